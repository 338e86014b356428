/**
 * Waiting for a DuckDB file another weft process holds. DuckDB lets one process at a time
 * open a file; weft's long-running commands (`weft serve`, `weft schedule`) hold it only while
 * they work, so a command that finds it locked by weft waits (backoff, bounded by the lock
 * timeout) instead of failing; so does one that cannot tell who holds it. A file held by
 * something else (a DuckDB shell, a notebook) is not released soon: that fails at once. A process
 * holding the file idle (idle-holder.ts: the console keeps it warm between requests) is asked to
 * release it and waited for, whatever its command line, without a notice. See docs/warehouses/duckdb.md.
 */
import { rmSync } from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import { type WarehouseConnectionConfig, WarehouseError } from '../types.js';
import { askIdleHolder, noteWanted, wantedPath } from './idle-holder.js';
import { acquireInstance } from './instance-cache.js';
import { describeHolder, lockHolder } from './lock-holder.js';
import { openError } from './open-error.js';

/** Default seconds to wait for a file another weft process holds. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 30;
const FIRST_RETRY_MS = 25;
/** Short, so a waiting command takes the file in a gap between a collector's landings. */
const MAX_RETRY_MS = 250;
/** How long a holder asked to release an idle file is waited for at least (it polls every 50 ms). */
const IDLE_RELEASE_MS = 2000;

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
  // Set once an idle holder was asked to let go: it is waited for even if it is not weft's CLI.
  let asked = false;
  let noted = false;
  for (;;) {
    try {
      const instance = await acquireInstance(databasePath);
      if (noted) rmSync(wantedPath(databasePath), { force: true });
      return instance;
    } catch (error) {
      const holder = lockHolder(error);
      const waited = Date.now() - started;
      if (holder && askIdleHolder(databasePath, holder.pid)) asked = true;
      // An idle holder lets go within its poll: worth a short wait even with a timeout of 0.
      const limit = asked ? Math.max(timeoutMs, IDLE_RELEASE_MS) : timeoutMs;
      if (!holder || (holder.isWeft === false && !asked) || limit <= 0) throw openError(error, shownPath);
      // The message names the configured limit, not the measured wait (which varies with load).
      if (waited >= limit) throw openError(error, shownPath, limit);
      noteWanted(databasePath);
      noted = true;
      if (!told && !asked) {
        notify(`waiting for ${shownPath}, held by ${describeHolder(holder) || 'another process'}…`);
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, limit - waited)));
      delay = Math.min(MAX_RETRY_MS, delay * 2);
    }
  }
}

/** The default notice: one stderr line, only for a person watching (a TTY). */
function waitingLine(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
}
