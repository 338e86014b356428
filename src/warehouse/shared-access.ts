/**
 * Warehouse access for long-running processes (`weft serve`, `weft schedule`) that must not lock
 * other weft commands out of an embedded DuckDB file (DuckDB allows one writing process per file).
 * Long-running code opens the warehouse through `withWarehouse` for each unit of work instead of
 * holding it open. CONTRACT: the MQTT/NATS work (issue 14, item 6) owns the policy (when the file
 * is held, how a busy file is waited for); today it opens, runs and closes.
 */
import type { Project } from '../config/types.js';
import { openWarehouse } from './registry.js';
import type { Warehouse } from './types.js';

/** Runs `body` with the project's warehouse open, releasing it (and any file lock) afterwards. */
export async function withWarehouse<T>(
  project: Project,
  body: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: project.dir });
  try {
    return await body(warehouse);
  } finally {
    await warehouse.close();
  }
}
