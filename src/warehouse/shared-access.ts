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
 */
import type { Project } from '../config/types.js';
import { openWarehouse } from './registry.js';
import type { Warehouse } from './types.js';

/** How long a reusable warehouse stays open unused. */
const IDLE_CLOSE_MS = 60_000;

interface IdleWarehouse {
  warehouse: Warehouse;
  timer: NodeJS.Timeout;
}

const idleByProject = new Map<string, IdleWarehouse>();

/** Runs `body` with the project's warehouse open, releasing it (and any file lock) afterwards. */
export async function withWarehouse<T>(
  project: Project,
  body: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const key = keyOf(project);
  const idle = idleByProject.get(key);
  if (idle) {
    idleByProject.delete(key);
    clearTimeout(idle.timer);
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
    if (failed || holdsFileLock(warehouse) || idleByProject.has(key)) await warehouse.close();
    else keepIdle(key, warehouse);
  }
}

/** Closes the warehouses kept for reuse (call at shutdown). */
export async function closeIdleWarehouses(): Promise<void> {
  const idle = [...idleByProject.values()];
  idleByProject.clear();
  for (const { warehouse, timer } of idle) {
    clearTimeout(timer);
    await warehouse.close();
  }
}

/** Whether a warehouse locks its database against other processes while open. */
function holdsFileLock(warehouse: Warehouse): boolean {
  return (warehouse as { holdsFileLock?: unknown }).holdsFileLock === true;
}

function keepIdle(key: string, warehouse: Warehouse): void {
  const timer = setTimeout(() => {
    if (idleByProject.get(key)?.warehouse !== warehouse) return;
    idleByProject.delete(key);
    void warehouse.close().catch(() => undefined);
  }, IDLE_CLOSE_MS);
  timer.unref(); // an idle warehouse never keeps the process alive
  idleByProject.set(key, { warehouse, timer });
}

function keyOf(project: Project): string {
  return `${project.dir}\0${JSON.stringify(project.config.warehouse)}`;
}
