/**
 * The scheduler's tables in the state schema: `schedule_state` (one row per scheduled sync: the
 * slot it last ran for and how that ended) and `build_state` (one row per built node: the
 * fingerprint it was built at). Both survive restarts; anyone can query them.
 */
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';

/** Columns of `schedule_state`. */
export const SCHEDULE_STATE_COLUMNS: ColumnDef[] = [
  { name: 'sync', type: 'string' },
  { name: 'last_due_at', type: 'timestamp' },
  { name: 'last_started_at', type: 'timestamp' },
  { name: 'last_finished_at', type: 'timestamp' },
  { name: 'last_status', type: 'string' },
  { name: 'last_run_id', type: 'string' },
];

/** Columns of `build_state`: `node` is `model:<name>` or `stage:<identity|profiles|audiences>`. */
export const BUILD_STATE_COLUMNS: ColumnDef[] = [
  { name: 'node', type: 'string' },
  { name: 'fingerprint', type: 'string' },
  { name: 'built_at', type: 'timestamp' },
];

/** The scheduler's tables of a state schema. */
export function scheduleTables(stateSchema: string): { schedule: RelationRef; builds: RelationRef } {
  return {
    schedule: { schema: stateSchema, name: 'schedule_state' },
    builds: { schema: stateSchema, name: 'build_state' },
  };
}

/** Creates the state schema and both tables when missing (idempotent). */
export async function ensureScheduleTables(warehouse: Warehouse, stateSchema: string): Promise<void> {
  const d = warehouse.dialect;
  const tables = scheduleTables(stateSchema);
  await warehouse.execute(d.createSchema(stateSchema));
  await warehouse.execute(d.createTable(tables.schedule, SCHEDULE_STATE_COLUMNS, { primaryKey: ['sync'] }));
  await warehouse.execute(d.createTable(tables.builds, BUILD_STATE_COLUMNS, { primaryKey: ['node'] }));
}
