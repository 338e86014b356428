/**
 * The privacy state tables in `state_schema` (ordinary tables anyone can audit):
 * `privacy_requests` (one row per request), `privacy_steps` (the ledger: one row per system a
 * request must reach) and `suppressions` (hashed identifiers only, never a clear value).
 */
import { relationKind } from '../build/relations.js';
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';

const s = (name: string): ColumnDef => ({ name, type: 'string' });
const ts = (name: string): ColumnDef => ({ name, type: 'timestamp' });
const big = (name: string): ColumnDef => ({ name, type: 'bigint' });

/** `privacy_requests`: one row per request. */
export const REQUESTS_COLUMNS: ColumnDef[] = [
  s('request_id'),
  s('kind'),
  s('regulation'),
  s('status'),
  ts('received_at'),
  ts('due_at'),
  ts('completed_at'),
  big('identifiers'),
  { name: 'profile_found', type: 'boolean' },
];

/** `privacy_steps`: the ledger, one row per (request, system). */
export const STEPS_COLUMNS: ColumnDef[] = [
  s('request_id'),
  s('step'),
  s('system'),
  s('destination'),
  s('action'),
  s('status'),
  big('records'),
  big('attempts'),
  s('last_error'),
  s('response_id'),
  ts('created_at'),
  ts('updated_at'),
  ts('acknowledged_at'),
];

/** `suppressions`: hashed identifiers (see hash.ts) of people who asked to be erased. */
export const SUPPRESSIONS_COLUMNS: ColumnDef[] = [
  s('id_hash'),
  s('id_type'),
  s('request_id'),
  ts('created_at'),
];

/** The privacy tables of a state schema. */
export interface PrivacyTables {
  requests: RelationRef;
  steps: RelationRef;
  suppressions: RelationRef;
}

/** Names the privacy tables of `stateSchema`. */
export function privacyTables(stateSchema: string): PrivacyTables {
  return {
    requests: { schema: stateSchema, name: 'privacy_requests' },
    steps: { schema: stateSchema, name: 'privacy_steps' },
    suppressions: { schema: stateSchema, name: 'suppressions' },
  };
}

/** Creates the state schema and the privacy tables when missing (idempotent). */
export async function ensurePrivacyTables(warehouse: Warehouse, stateSchema: string): Promise<PrivacyTables> {
  const { dialect } = warehouse;
  const tables = privacyTables(stateSchema);
  await warehouse.execute(dialect.createSchema(stateSchema));
  await warehouse.execute(
    dialect.createTable(tables.requests, REQUESTS_COLUMNS, { primaryKey: ['request_id'] }),
  );
  await warehouse.execute(
    dialect.createTable(tables.steps, STEPS_COLUMNS, { primaryKey: ['request_id', 'step'] }),
  );
  await warehouse.execute(dialect.createTable(tables.suppressions, SUPPRESSIONS_COLUMNS));
  return tables;
}

/** The suppressions table when it exists (no request was ever made otherwise). */
export async function existingSuppressions(
  warehouse: Warehouse,
  stateSchema: string,
): Promise<RelationRef | undefined> {
  const ref = privacyTables(stateSchema).suppressions;
  return (await relationKind(warehouse, ref)) ? ref : undefined;
}
