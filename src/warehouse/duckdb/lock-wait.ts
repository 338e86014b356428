/**
 * Waiting for a DuckDB file another weft process holds. DuckDB lets one process at a time
 * open a file; weft's long-running commands (`weft serve`, `weft schedule`) hold it only while
 * they work, so a command that finds it locked by weft waits (backoff, bounded by the lock
 * timeout) instead of failing; so does one that cannot tell who holds it. A file held by
 * something else (a DuckDB shell, a notebook) is not released soon: that fails at once. See docs/warehouses/duckdb.md.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { type WarehouseConnectionConfig, WarehouseError } from '../types.js';
import { acquireInstance } from './instance-cache.js';
import { describeHolder, lockHolder } from './lock-holder.js';
import { openError } from './open-error.js';

/** Default seconds to wait for a file another weft process holds. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 30;
const FIRST_RETRY_MS = 25;
/** Short, so a waiting command takes the file in a gap between a collector's landings. */
const MAX_RETRY_MS = 250;

/** The lock timeout in ms: WEFT_DUCKDB_LOCK_TIMEOUT, else `lock_timeout`, else 30 s. */
export function lockTimeoutMs(config: WarehouseConnectionConfig, env = process.env): number {
  const fromEnv = env.WEFT_DUCKDB_LOCK_TIMEOUT;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const seconds = Number(fromEnv);
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new WarehouseError(
        `WEFT_DUCKDB_LOCK_TIMEOUT must be a number of seconds (0 or more), got '${fromEnv}'`,
      );
    return seconds * 1000;
  }
  const configured = config.lock_timeout;
  if (configured === undefined) return DEFAULT_LOCK_TIMEOUT_SECONDS * 1000;
  if (typeof configured !== 'number' || !Number.isFinite(configured) || configured < 0)
    throw new WarehouseError(
      `warehouse.lock_timeout must be a number of seconds (0 or more), got ${String(configured)}`,
    );
  return configured * 1000;
}

/** Opens the file's instance, waiting while another weft process holds it (at most `timeoutMs`). */
export async function acquireWaitingForLock(
  databasePath: string,
  shownPath: string,
  timeoutMs: number,
  notify: (line: string) => void = waitingLine,
): Promise<DuckDBInstance> {
  const started = Date.now();
  let delay = FIRST_RETRY_MS;
  let told = false;
  for (;;) {
    try {
      return await acquireInstance(databasePath);
    } catch (error) {
      const holder = lockHolder(error);
      const waited = Date.now() - started;
      if (!holder || holder.isWeft === false || timeoutMs <= 0) throw openError(error, shownPath);
      // The message names the configured limit, not the measured wait (which varies with load).
      if (waited >= timeoutMs) throw openError(error, shownPath, timeoutMs);
      if (!told) {
        notify(`waiting for ${shownPath}, held by ${describeHolder(holder) || 'another process'}…`);
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, timeoutMs - waited)));
      delay = Math.min(MAX_RETRY_MS, delay * 2);
    }
  }
}

/** The default notice: one stderr line, only for a person watching (a TTY). */
function waitingLine(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
}
