/**
 * `weft identity review`: the riskiest profiles, for a data team to inspect before syncing —
 * those with several distinct names on their rows, shared values attached, edges a limit cut, or
 * more identifiers than giant_component_size (default 10) — most names first, then the largest,
 * each with its evidence. Read-only SQL over the identity outputs and
 * the state's rows (for names); the ranking is deterministic.
 */
import type { Project } from '../config/types.js';
import type { Warehouse } from '../warehouse/types.js';
import { idTypesOf } from './id-types.js';
import { resolveSources } from './source-columns.js';
import { unionAll } from './sql.js';

/** One profile under review, with the evidence that makes it risky. */
export interface ReviewedProfile {
  profile_id: string;
  /** Identifiers in identity_map. */
  identifiers: number;
  /** Distinct names on its rows (sources with `names`). */
  names: number;
  /** Shared values (and hubs) attached to it (identity_shared). */
  shared: number;
  /** Edges touching it that a max_per_profile limit cut. */
  limit_cuts: number;
  /** Up to 10 of its identifiers, `type:value`, oldest first. */
  sample_identifiers: string[];
  /** Up to 5 of the names on its rows. */
  sample_names: string[];
  /** Up to 5 shared values attached, `type:value (N people)`. */
  shared_values: string[];
}

const q = (w: Warehouse, schema: string, name: string) => w.dialect.qualify({ schema, name });

/** The `limit` riskiest profiles of `project` (identity must have been built). */
export async function reviewProfiles(
  project: Project,
  warehouse: Warehouse,
  limit = 20,
): Promise<ReviewedProfile[]> {
  const config = project.identity;
  if (!config) throw new Error('the project has no models/identity.yml');
  const d = warehouse.dialect;
  const out = project.config.schema;
  const map = q(warehouse, out, 'identity_map');
  const shared = q(warehouse, out, 'identity_shared');
  const edges = q(warehouse, out, 'identity_edges');
  const rows = q(warehouse, out, 'identity_rows');
  // a context-free view of the sources: only names and row keys are read
  const ctxLike = { config, types: idTypesOf(config) } as Parameters<typeof resolveSources>[0];
  const named = resolveSources(ctxLike)
    .filter((rs) => rs.source.names)
    .map(
      (rs) =>
        `SELECT r.profile_id, s.name_key FROM ${q(warehouse, project.config.state_schema, `identity_state_src_${rs.index}`)} s
         JOIN ${rows} r ON r.source = ${d.literal(rs.source.from)} AND r.row_key = s.row_key WHERE s.name_key IS NOT NULL`,
    );
  const names = unionAll(
    { d } as Parameters<typeof unionAll>[0],
    named,
    ['profile_id', 'name_key'].map((name) => ({ name, type: 'string' as const })),
  );
  // large: above giant_component_size when set, else more than 10 identifiers
  const large = Number(config.giant_component_size ?? 10);
  const ranked = await warehouse.query(
    `WITH sizes AS (SELECT profile_id, count(*) AS identifiers FROM ${map} GROUP BY profile_id),
     nm AS (SELECT profile_id, count(DISTINCT name_key) AS names FROM (${names}) n GROUP BY profile_id),
     sh AS (SELECT profile_id, count(*) AS shared FROM ${shared} GROUP BY profile_id),
     cuts AS (SELECT m.profile_id, count(*) AS limit_cuts FROM ${edges} e
       JOIN ${map} m ON m.id_type = e.a_type AND m.id_value = e.a_value WHERE e.unused_reason = 'limit' GROUP BY m.profile_id)
     SELECT s.profile_id, s.identifiers, coalesce(nm.names, 0) AS names, coalesce(sh.shared, 0) AS shared,
       coalesce(cuts.limit_cuts, 0) AS limit_cuts
     FROM sizes s LEFT JOIN nm ON nm.profile_id = s.profile_id LEFT JOIN sh ON sh.profile_id = s.profile_id
       LEFT JOIN cuts ON cuts.profile_id = s.profile_id
     WHERE coalesce(nm.names, 0) > 1 OR coalesce(sh.shared, 0) > 0 OR coalesce(cuts.limit_cuts, 0) > 0 OR s.identifiers > ${large}
     ORDER BY names DESC, identifiers DESC, shared DESC, limit_cuts DESC, s.profile_id LIMIT ${Number(limit)}`,
  );
  const result: ReviewedProfile[] = [];
  for (const r of ranked) {
    const id = d.literal(String(r.profile_id));
    const ids = await warehouse.query(
      `SELECT id_type, id_value FROM ${map} WHERE profile_id = ${id} ORDER BY first_seen_at, id_type, id_value LIMIT 10`,
    );
    const nameRows =
      named.length === 0
        ? []
        : await warehouse.query(
            `SELECT DISTINCT name_key FROM (${names}) n WHERE profile_id = ${id} ORDER BY name_key LIMIT 5`,
          );
    const sharedRows = await warehouse.query(
      `SELECT id_type, id_value, persons FROM ${shared} WHERE profile_id = ${id} ORDER BY persons DESC, id_type, id_value LIMIT 5`,
    );
    result.push({
      profile_id: String(r.profile_id),
      identifiers: Number(r.identifiers),
      names: Number(r.names),
      shared: Number(r.shared),
      limit_cuts: Number(r.limit_cuts),
      sample_identifiers: ids.map((x) => `${x.id_type}:${x.id_value}`),
      sample_names: nameRows.map((x) => String(x.name_key)),
      shared_values: sharedRows.map((x) => `${x.id_type}:${x.id_value} (${Number(x.persons)} people)`),
    });
  }
  return result;
}
