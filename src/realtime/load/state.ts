/**
 * What the warehouse remembers about each serving store it loaded (in `state_schema`):
 * `serving_loads(store_key, token, profiles, loaded_at)`, one row per store, and
 * `serving_fp_<key>(profile_id, fingerprint)`, the fingerprints of the rows that store holds.
 * A store whose load token matches its row can be loaded incrementally from the difference.
 */
import { createHash } from 'node:crypto';
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { ColumnDef, RelationRef, Warehouse } from '../../warehouse/types.js';

const LOADS_COLUMNS: ColumnDef[] = [
  { name: 'store_key', type: 'string' },
  { name: 'token', type: 'string' },
  { name: 'profiles', type: 'integer' },
  { name: 'loaded_at', type: 'timestamp' },
];

/** The state relations of one store. */
export interface StoreState {
  loads: RelationRef;
  fingerprints: RelationRef;
  /** The store's key in `serving_loads`. */
  key: string;
}

/** The state relations for the store described by `description`. */
export function storeState(project: Project, description: string): StoreState {
  const key = createHash('sha256').update(description).digest('hex').slice(0, 12);
  const schema = project.config.state_schema;
  return {
    loads: { schema, name: 'serving_loads' },
    fingerprints: { schema, name: `serving_fp_${key}` },
    key,
  };
}

/** The token of the store's last recorded load, when its fingerprints are there too. */
export async function recordedToken(warehouse: Warehouse, state: StoreState): Promise<string | undefined> {
  const d = warehouse.dialect;
  if (!(await relationKind(warehouse, state.loads)) || !(await relationKind(warehouse, state.fingerprints)))
    return undefined;
  const [row] = await warehouse.query(
    `SELECT token FROM ${d.qualify(state.loads)} WHERE store_key = ${d.literal(state.key)}`,
  );
  return row?.token === null || row?.token === undefined ? undefined : String(row.token);
}

/**
 * Records a committed load: `current` (`profile_id`, `fingerprint` of every profile the store now
 * holds, in the state schema) becomes the store's fingerprints by a rename, with the token, in
 * one transaction: no copy, whatever the size.
 */
export async function recordLoad(
  warehouse: Warehouse,
  state: StoreState,
  current: RelationRef,
  token: string,
  profiles: number,
  now: Date,
): Promise<void> {
  const d = warehouse.dialect;
  if (current.schema !== state.fingerprints.schema)
    throw new Error(`the fingerprints to record must be in ${state.fingerprints.schema}`);
  if (!(await relationKind(warehouse, state.loads)))
    await warehouse.execute(d.createTable(state.loads, LOADS_COLUMNS));
  const recorded = await relationKind(warehouse, state.fingerprints);
  await warehouse.transaction(async () => {
    if (recorded) await warehouse.execute(d.dropRelation(state.fingerprints, 'table'));
    await warehouse.execute(d.renameTable(current, state.fingerprints.name));
    await warehouse.execute(
      `DELETE FROM ${d.qualify(state.loads)} WHERE store_key = ${d.literal(state.key)}`,
    );
    await warehouse.execute(
      `INSERT INTO ${d.qualify(state.loads)} (store_key, token, profiles, loaded_at) VALUES (${d.literal(state.key)}, ${d.literal(token)}, ${profiles}, ${d.literal(now)})`,
    );
  });
}
