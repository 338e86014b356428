/**
 * A `Warehouse` for long-running code written against one open warehouse (the trigger engine's
 * trigger_runs reads and writes) that must not hold a DuckDB file for the life of `weft serve`:
 * every statement runs as its own unit through `withWarehouse`, so the file is held only while
 * a statement runs and other weft commands (and the lander's worker thread) get it in between.
 * Statements are independent: `transaction`, `load` and `stream` are not offered (each would
 * need one connection across calls).
 */
import type { Project } from '../config/types.js';
import { getEngine } from './registry.js';
import { withWarehouse } from './shared-access.js';
import type { Row, Warehouse } from './types.js';

/** The project's warehouse, opened for each statement. */
export function perUnitWarehouse(project: Project): Warehouse {
  const run = <T>(body: (warehouse: Warehouse) => Promise<T>) => withWarehouse(project, body);
  return {
    dialect: getEngine(project.config.warehouse.type).dialect,
    execute: (sql: string) => run((w) => w.execute(sql)),
    query: <T extends Row = Row>(sql: string) => run((w) => w.query<T>(sql)),
    stream: () => {
      throw new Error('perUnitWarehouse does not stream: use withWarehouse');
    },
    load: () => Promise.reject(new Error('perUnitWarehouse does not load: use withWarehouse')),
    transaction: () => Promise.reject(new Error('perUnitWarehouse has no transactions: use withWarehouse')),
    close: async () => undefined,
  };
}
