/** `build_state` rows: the fingerprint each node was last built at. */
import type { Warehouse } from '../../warehouse/types.js';
import { scheduleTables } from '../tables.js';

/** node id → fingerprint of its last successful build. */
export async function readBuildState(
  warehouse: Warehouse,
  stateSchema: string,
): Promise<Map<string, string>> {
  const table = warehouse.dialect.qualify(scheduleTables(stateSchema).builds);
  const rows = await warehouse.query(`SELECT node, fingerprint FROM ${table}`);
  return new Map(rows.map((r) => [String(r.node), String(r.fingerprint)]));
}

/**
 * Records that `built` (node id → fingerprint) were built at `builtAt`. Delete then insert, no
 * transaction: a crash in between only forgets the fingerprints, so those nodes rebuild.
 */
export async function recordBuilt(
  warehouse: Warehouse,
  stateSchema: string,
  built: ReadonlyMap<string, string>,
  builtAt: Date,
): Promise<void> {
  if (built.size === 0) return;
  const d = warehouse.dialect;
  const table = d.qualify(scheduleTables(stateSchema).builds);
  const ids = [...built.keys()].map((id) => d.literal(id)).join(', ');
  await warehouse.execute(`DELETE FROM ${table} WHERE node IN (${ids})`);
  const values = [...built].map(
    ([id, print]) => `(${d.literal(id)}, ${d.literal(print)}, ${d.literal(builtAt)})`,
  );
  await warehouse.execute(`INSERT INTO ${table} (node, fingerprint, built_at) VALUES ${values.join(', ')}`);
}
