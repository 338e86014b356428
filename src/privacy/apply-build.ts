/**
 * Honours suppressions in what the build wrote: every profile holding a suppressed identifier is
 * removed from the identity outputs (identity_map, identity_rows, identity_edges, profile_merges),
 * from the identity state the next incremental build continues from (so it is as if the person's
 * rows had never been read), and from `profiles` and `audience_members` (audiences then leave them
 * out). Runs after the identity stage of every build and at once when a request is made. Any
 * identifier of theirs not yet suppressed is added (hashed), so a later link keeps them out.
 */
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { hashExpr } from './hash.js';
import { keyedSources } from './suppress.js';
import { existingSuppressions } from './tables.js';

/** What a pass removed. */
export interface SuppressionReport {
  /** Profiles removed from the outputs. */
  profiles: number;
}

/** Removes suppressed people from the project's identity, profile and audience tables. */
export async function applySuppressions(
  project: Project,
  warehouse: Warehouse,
  now: Date = new Date(),
): Promise<SuppressionReport> {
  const stateSchema = project.config.state_schema;
  const suppressions = await existingSuppressions(warehouse, stateSchema);
  if (!suppressions) return { profiles: 0 };
  const d = warehouse.dialect;
  const out = (name: string): RelationRef => ({ schema: project.config.schema, name });
  const map = out('identity_map');
  if (!(await relationKind(warehouse, map))) return { profiles: 0 };
  const supp = `(SELECT id_hash FROM ${d.qualify(suppressions)})`;
  // An interrupted build's starting map (identity/previous-map.ts) holds identifier values too.
  const prevMap: RelationRef = { schema: stateSchema, name: 'identity_state_prev_map' };
  const prevMapExists = (await relationKind(warehouse, prevMap)) === 'table';
  if (prevMapExists)
    await warehouse.execute(
      `DELETE FROM ${d.qualify(prevMap)} WHERE ${hashExpr(d, 'id_value')} IN ${supp} OR ${hashExpr(d, 'profile_id')} IN ${supp}`,
    );
  const suppressed: RelationRef = { schema: stateSchema, name: 'privacy_suppressed_profiles' };
  const ids: RelationRef = { schema: stateSchema, name: 'privacy_suppressed_ids' };
  await warehouse.execute(
    d.createTableAs(
      suppressed,
      `SELECT DISTINCT profile_id FROM ${d.qualify(map)}
WHERE ${hashExpr(d, 'id_value')} IN ${supp} OR ${hashExpr(d, 'profile_id')} IN ${supp}`,
    ),
  );
  try {
    const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify(suppressed)}`);
    const profiles = Number(row?.n ?? 0);
    if (profiles === 0) return { profiles };
    const inSuppressed = (column: string) => `${column} IN (SELECT profile_id FROM ${d.qualify(suppressed)})`;
    await warehouse.execute(
      d.createTableAs(
        ids,
        `SELECT id_type, id_value, ${hashExpr(d, 'id_value')} AS id_hash FROM ${d.qualify(map)} WHERE ${inSuppressed('profile_id')}`,
      ),
    );
    await warehouse.execute(
      d.insertSelect(
        suppressions,
        ['id_hash', 'id_type', 'request_id', 'created_at'],
        `SELECT DISTINCT id_hash, id_type, 'linked', ${d.literal(now)} FROM ${d.qualify(ids)} WHERE id_hash NOT IN ${supp}`,
      ),
    );
    const keyed = keyedSources(project);
    if (keyed.length > 0 && (await relationKind(warehouse, out('identity_rows')))) {
      const rowHash = hashExpr(d, 'row_key');
      await warehouse.execute(
        d.insertSelect(
          suppressions,
          ['id_hash', 'id_type', 'request_id', 'created_at'],
          `SELECT DISTINCT ${rowHash}, 'row_key', 'linked', ${d.literal(now)} FROM ${d.qualify(out('identity_rows'))}
WHERE ${inSuppressed('profile_id')} AND source IN (${keyed.map((k) => d.literal(k)).join(', ')}) AND ${rowHash} NOT IN ${supp}`,
        ),
      );
    }
    const idIn = (t: string, v: string) =>
      `EXISTS (SELECT 1 FROM ${d.qualify(ids)} AS i WHERE i.id_type = ${t} AND i.id_value = ${v})`;
    const deletes: Array<[RelationRef, string]> = [];
    // Identity state first (row keys come from identity_rows, deleted after).
    const identity = project.identity;
    const rows = out('identity_rows');
    if (identity && (await relationKind(warehouse, rows))) {
      identity.sources.forEach((source, index) => {
        deletes.push([
          { schema: stateSchema, name: `identity_state_src_${index}` },
          `row_key IN (SELECT row_key FROM ${d.qualify(rows)} WHERE source = ${d.literal(source.from)} AND ${inSuppressed('profile_id')})`,
        ]);
      });
    }
    const stateRef = (name: string): RelationRef => ({ schema: stateSchema, name: `identity_state_${name}` });
    if (prevMapExists) {
      const t = d.qualify(prevMap);
      deletes.push([prevMap, `${idIn(`${t}.id_type`, `${t}.id_value`)} OR ${inSuppressed('profile_id')}`]);
    }
    deletes.push([
      stateRef('nodes'),
      idIn(`${d.qualify(stateRef('nodes'))}.id_type`, `${d.qualify(stateRef('nodes'))}.id_value`),
    ]);
    for (const edges of [stateRef('edges'), out('identity_edges')]) {
      const t = d.qualify(edges);
      deletes.push([
        edges,
        `${idIn(`${t}.a_type`, `${t}.a_value`)} OR ${idIn(`${t}.b_type`, `${t}.b_value`)}`,
      ]);
    }
    deletes.push([rows, inSuppressed('profile_id')]);
    deletes.push([map, inSuppressed('profile_id')]);
    deletes.push([
      out('profile_merges'),
      `${inSuppressed('old_profile_id')} OR ${inSuppressed('new_profile_id')}`,
    ]);
    deletes.push([out('profiles'), inSuppressed('profile_id')]);
    deletes.push([out('audience_members'), inSuppressed('profile_id')]);
    for (const [table, where] of deletes) {
      if ((await relationKind(warehouse, table)) !== 'table') continue;
      await warehouse.execute(`DELETE FROM ${d.qualify(table)} WHERE ${where}`);
    }
    return { profiles };
  } finally {
    await warehouse.execute(d.dropRelation(suppressed, 'table'));
    await warehouse.execute(d.dropRelation(ids, 'table'));
  }
}
