/**
 * The state schema's tables (ordinary warehouse tables anyone can query):
 * `sync_runs`, `sync_rejections`, `sync_leases`, `destination_usage`, and per sync `snapshot_<sync>` and `plan_<sync>`.
 */
import type { ColumnDef, RelationRef, Warehouse } from '../../warehouse/types.js';

/** Columns of `sync_runs`: one row per run, `running` while it is alive. */
export const RUNS_COLUMNS: ColumnDef[] = [
  { name: 'run_id', type: 'string' },
  { name: 'sync', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'started_at', type: 'timestamp' },
  { name: 'finished_at', type: 'timestamp' },
  { name: 'added', type: 'bigint' },
  { name: 'changed', type: 'bigint' },
  { name: 'removed', type: 'bigint' },
  { name: 'succeeded', type: 'bigint' },
  { name: 'rejected', type: 'bigint' },
  { name: 'unacknowledged', type: 'bigint' },
  { name: 'duration_ms', type: 'bigint' },
  { name: 'error', type: 'string' },
];

/** Columns of `sync_rejections`: one row per (sync, key) the destination currently rejects. */
export const REJECTIONS_COLUMNS: ColumnDef[] = [
  { name: 'sync', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'reason', type: 'string' },
  { name: 'first_seen', type: 'timestamp' },
  { name: 'last_seen', type: 'timestamp' },
  { name: 'attempts', type: 'bigint' },
  { name: 'run_id', type: 'string' },
];

/** Columns of `sync_leases`: at most one row per sync, the run holding it until `expires_at`. */
export const LEASES_COLUMNS: ColumnDef[] = [
  { name: 'sync', type: 'string' },
  { name: 'run_id', type: 'string' },
  { name: 'holder', type: 'string' },
  { name: 'acquired_at', type: 'timestamp' },
  { name: 'expires_at', type: 'timestamp' },
];

/** Columns of `destination_usage`: requests sent per destination account and UTC day (daily quotas). */
export const USAGE_COLUMNS: ColumnDef[] = [
  { name: 'account', type: 'string' },
  { name: 'day', type: 'date' },
  { name: 'requests', type: 'bigint' },
];

/** Columns of `snapshot_<sync>`: what the destination acknowledged, per key. */
export const SNAPSHOT_COLUMNS: ColumnDef[] = [
  { name: 'key', type: 'string' },
  { name: 'hash', type: 'string' },
  { name: 'destination_id', type: 'string' },
  { name: 'synced_at', type: 'timestamp' },
  { name: 'run_id', type: 'string' },
];

/**
 * Columns added to snapshots where the engine has a fast row hash (see planner/fast-hash.ts):
 * the engine's hash of the values sent and the scheme that computed it.
 */
export const FAST_HASH_COLUMNS: ColumnDef[] = [
  { name: 'fast_hash', type: 'bigint' },
  { name: 'fast_scheme', type: 'string' },
];

/** The shared state tables of a state schema. */
export function stateTables(stateSchema: string): {
  runs: RelationRef;
  rejections: RelationRef;
  leases: RelationRef;
  usage: RelationRef;
} {
  return {
    runs: { schema: stateSchema, name: 'sync_runs' },
    rejections: { schema: stateSchema, name: 'sync_rejections' },
    leases: { schema: stateSchema, name: 'sync_leases' },
    usage: { schema: stateSchema, name: 'destination_usage' },
  };
}

/**
 * Creates the state schema and its shared tables when missing (idempotent). Calls within one
 * process run one at a time: concurrent syncs on separate connections to one DuckDB would
 * otherwise race on the same CREATE ... IF NOT EXISTS (a catalog write-write conflict).
 */
export function ensureStateTables(warehouse: Warehouse, stateSchema: string): Promise<void> {
  const next = ensuring.then(() => createStateTables(warehouse, stateSchema));
  ensuring = next.catch(() => undefined);
  return next;
}

/** The tail of this process's state-table creations. */
let ensuring: Promise<unknown> = Promise.resolve();

async function createStateTables(warehouse: Warehouse, stateSchema: string): Promise<void> {
  const { dialect } = warehouse;
  const tables = stateTables(stateSchema);
  await warehouse.execute(dialect.createSchema(stateSchema));
  await warehouse.execute(dialect.createTable(tables.runs, RUNS_COLUMNS));
  await warehouse.execute(dialect.createTable(tables.rejections, REJECTIONS_COLUMNS));
  // One row per sync: racing runs conflict on it (see lease.ts).
  await warehouse.execute(dialect.createTable(tables.leases, LEASES_COLUMNS, { primaryKey: ['sync'] }));
  await warehouse.execute(
    dialect.createTable(tables.usage, USAGE_COLUMNS, { primaryKey: ['account', 'day'] }),
  );
}

/**
 * Creates a sync's snapshot table when missing (an empty snapshot: everything is `added`); on
 * engines with a fast row hash, adds its columns (older snapshots gain them, holding NULL).
 */
export async function ensureSnapshot(warehouse: Warehouse, snapshot: RelationRef): Promise<void> {
  const { dialect } = warehouse;
  await warehouse.execute(dialect.createTable(snapshot, SNAPSHOT_COLUMNS));
  if (hasFastHash(warehouse))
    for (const column of FAST_HASH_COLUMNS) await warehouse.execute(dialect.addColumn(snapshot, column));
}

/** Whether snapshots on this warehouse carry FAST_HASH_COLUMNS. */
export function hasFastHash(warehouse: Warehouse): boolean {
  return Boolean(warehouse.dialect.fastRowHash && warehouse.dialect.fastRowHashScheme);
}
