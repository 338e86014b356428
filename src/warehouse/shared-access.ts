/**
 * Warehouse access for long-running processes (`weft serve`, `weft schedule`) that must not lock
 * other weft commands out of an embedded DuckDB file (DuckDB allows one process per file).
 * Long-running code opens the warehouse through `withWarehouse` for each unit of work instead of
 * holding it open.
 *
 * Policy: a warehouse that holds a file lock (a DuckDB file) is opened for the unit and closed
 * after it, so other weft commands get the file between units (and wait for it meanwhile: see
 * src/warehouse/duckdb/lock-wait.ts). Any other warehouse (Postgres, BigQuery, Snowflake,
 * DuckDB `:memory:`) is kept open after a unit and reused by the next one, because reconnecting
 * each second costs logins (and would lose a `:memory:` database): one idle warehouse per
 * project, closed after a minute unused or by `closeIdleWarehouses`. Concurrent units never
 * share one: a unit that finds none idle opens its own.
 *
 * With `keepWarm` (the console's units), a DuckDB file is kept open after the unit too, so the
 * next request finds DuckDB's cache of the tables' blocks warm (a cold instance reads every block
 * a query touches again: seconds at a million profiles) — but only while nobody else needs the
 * file: it is marked as held idle (src/warehouse/duckdb/idle-holder.ts), and closed at once when
 * another weft process asks for it or another thread of this process waits for its turn, or
 * after WARM_CLOSE_MS unused.
 */
import type { Project } from '../config/types.js';
import type { IdleHold } from './duckdb/idle-holder.js';
import { openWarehouse } from './registry.js';
import type { Warehouse } from './types.js';

/** How long a reusable warehouse stays open unused. */
const IDLE_CLOSE_MS = 60_000;
/** How long a DuckDB file kept warm stays open unused (other processes wait for it meanwhile only if they ask). */
const WARM_CLOSE_MS = 30_000;
/** How often a warm file checks whether another process or thread wants it. */
const WANTED_POLL_MS = 50;

/** How a unit of work uses the warehouse. */
export interface UnitAccess {
  /**
   * Keep a DuckDB file open after the unit while no other process or thread wants it (see the
   * module comment); other warehouses are kept open anyway.
   */
  keepWarm?: boolean;
}

interface IdleWarehouse {
  warehouse: Warehouse;
  timer: NodeJS.Timeout;
  /** A DuckDB file kept warm: its idle marker and the poll watching it. */
  hold?: { marker: IdleHold; poll: NodeJS.Timeout };
}

const idleByProject = new Map<string, IdleWarehouse>();

/** Runs `body` with the project's warehouse open, releasing it (and any file lock) afterwards. */
export async function withWarehouse<T>(
  project: Project,
  body: (warehouse: Warehouse) => Promise<T>,
  access: UnitAccess = {},
): Promise<T> {
  const key = keyOf(project);
  const idle = idleByProject.get(key);
  if (idle) {
    idleByProject.delete(key);
    stopIdling(idle);
  }
  const warehouse =
    idle?.warehouse ?? (await openWarehouse(project.config.warehouse, { projectDir: project.dir }));
  let failed = false;
  try {
    return await body(warehouse);
  } catch (error) {
    failed = true; // a failed unit may have left a broken connection: do not reuse it
    throw error;
  } finally {
    if (failed && access.keepWarm && holdsFileLock(warehouse) && !idleByProject.has(key)) {
      // A failed unit's connection is not reused, but the file's cache stays warm: a fresh
      // connection on the same instance (still open, so no disk read) is kept instead.
      const fresh = await openWarehouse(project.config.warehouse, { projectDir: project.dir }).catch(
        () => undefined,
      );
      await warehouse.close();
      if (fresh && !(idleByProject.has(key) || keepWarm(key, fresh))) await fresh.close();
    } else if (failed || idleByProject.has(key)) await warehouse.close();
    else if (!holdsFileLock(warehouse)) keepIdle(key, warehouse);
    else if (!(access.keepWarm && keepWarm(key, warehouse))) await warehouse.close();
  }
}

/** Closes the warehouses kept for reuse (call at shutdown). */
export async function closeIdleWarehouses(): Promise<void> {
  const idle = [...idleByProject.values()];
  idleByProject.clear();
  for (const entry of idle) {
    stopIdling(entry, false);
    await entry.warehouse.close();
    entry.hold?.marker.end();
  }
}

/** Whether a warehouse locks its database against other processes while open. */
function holdsFileLock(warehouse: Warehouse): boolean {
  return (warehouse as { holdsFileLock?: unknown }).holdsFileLock === true;
}

function keepIdle(key: string, warehouse: Warehouse): void {
  idleByProject.set(key, { warehouse, timer: closeAfter(key, warehouse, IDLE_CLOSE_MS) });
}

/** Keeps a file-locking warehouse open while nobody wants its file; false when it cannot be. */
function keepWarm(key: string, warehouse: Warehouse): boolean {
  const holdIdle = (warehouse as { holdIdle?: () => IdleHold | undefined }).holdIdle;
  const marker = typeof holdIdle === 'function' ? holdIdle.call(warehouse) : undefined;
  if (!marker) return false;
  const poll = setInterval(() => {
    if (marker.wanted()) release(key, warehouse);
  }, WANTED_POLL_MS);
  poll.unref();
  idleByProject.set(key, {
    warehouse,
    timer: closeAfter(key, warehouse, WARM_CLOSE_MS),
    hold: { marker, poll },
  });
  return true;
}

function closeAfter(key: string, warehouse: Warehouse, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => release(key, warehouse), ms);
  timer.unref(); // an idle warehouse never keeps the process alive
  return timer;
}

/** Closes `warehouse` if it is still the project's idle one. */
function release(key: string, warehouse: Warehouse): void {
  const idle = idleByProject.get(key);
  if (idle?.warehouse !== warehouse) return;
  idleByProject.delete(key);
  stopIdling(idle, false);
  // The marker goes once the file is closed: until then the holder is still asked, not refused.
  void warehouse
    .close()
    .catch(() => undefined)
    .finally(() => idle.hold?.marker.end());
}

/** Stops an idle warehouse's timers; `endMarker` when it goes back to work (its file busy, not idle). */
function stopIdling(idle: IdleWarehouse, endMarker = true): void {
  clearTimeout(idle.timer);
  if (idle.hold) {
    clearInterval(idle.hold.poll);
    if (endMarker) idle.hold.marker.end();
  }
}

function keyOf(project: Project): string {
  return `${project.dir}\0${JSON.stringify(project.config.warehouse)}`;
}
