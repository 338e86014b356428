import path from 'node:path';
import { WarehouseError } from '../types.js';
import { describeHolder, type LockHolder, lockHolder } from './lock-holder.js';

/**
 * Turns a failure of `DuckDBInstance.create` into a human, actionable WarehouseError. The
 * original DuckDB error is kept as `cause`.
 * @param shownPath the path as the user knows it (relative to the project when inside it).
 * @param waitedMs the lock timeout weft waited out before giving up (0: it did not wait).
 */
export function openError(error: unknown, shownPath: string, waitedMs = 0): WarehouseError {
  const holder = lockHolder(error);
  if (holder)
    return new WarehouseError(lockMessage(holder, shownPath, waitedMs), undefined, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/\s*See also https?:\S+/, '').trim();
  return new WarehouseError(`Cannot open the DuckDB warehouse at ${shownPath}: ${reason}`, undefined, {
    cause: error,
  });
}

function lockMessage(holder: LockHolder, shownPath: string, waitedMs: number): string {
  const described = describeHolder(holder);
  const inUse = `The warehouse file ${shownPath} is in use by another process${described ? ` (${described})` : ''}`;
  if (waitedMs <= 0)
    return `${inUse}. Close it (another weft command, a DuckDB shell, a notebook) and try again.`;
  return (
    `${inUse}; still held after waiting ${formatSeconds(waitedMs)}. Try again when it is done, or wait ` +
    'longer with warehouse.lock_timeout (seconds) in weft.yml or WEFT_DUCKDB_LOCK_TIMEOUT.'
  );
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** The path to show users: relative to the project when the file lies inside it. */
export function displayPath(absolutePath: string, projectDir: string): string {
  const relative = path.relative(projectDir, absolutePath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
}
