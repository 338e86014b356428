/**
 * A naive resolver to compare against: connected components over the raw identifier values
 * with exact string equality only — no normalization, no blocklist, no hub detection, no
 * per-profile limits. Writes naive_identity_rows(source, row_key, profile_id).
 */
import type { Project } from '../config/types.js';
import type { Warehouse } from '../warehouse/types.js';
import { connectedComponents } from './components.js';
import type { QualitySource } from './sources.js';
import { qualityTables } from './tables.js';

/** What the naive resolver built. */
export interface NaiveReport {
  identifiers: number;
  profiles: number;
  rounds: number;
  ms: number;
}

/** Resolves every identity source naively into naive_identity_rows. */
export async function buildNaiveIdentity(
  warehouse: Warehouse,
  project: Project,
  sources: QualitySource[],
): Promise<NaiveReport> {
  const started = performance.now();
  const d = warehouse.dialect;
  const t = qualityTables(project);
  const selects = sources.flatMap((s) =>
    s.ids.map(
      (
        id,
        priority,
      ) => `SELECT ${d.literal(s.name)} AS source, r.weft_row_key AS row_key, ${priority} AS priority,
        ${d.literal(id.type)} || chr(31) || ${d.cast(`r.${d.quoteIdent(id.column)}`, 'string')} AS node
      FROM (SELECT *, ${s.rowKey} AS weft_row_key FROM ${d.qualify(s.relation)}) AS r
      WHERE r.${d.quoteIdent(id.column)} IS NOT NULL`,
    ),
  );
  await warehouse.execute(
    d.createTableAs(
      t.naiveIds,
      // The anchor of a row is its highest-priority identifier (ids are in priority order).
      `SELECT source, row_key, node,
         FIRST_VALUE(node) OVER (PARTITION BY source, row_key ORDER BY priority) AS anchor
       FROM (${selects.join('\nUNION ALL\n')}) AS ids`,
    ),
  );
  const ids = d.qualify(t.naiveIds);
  const rounds = await connectedComponents(
    warehouse,
    `SELECT anchor AS a, node AS b FROM ${ids} WHERE node <> anchor`,
    t.naiveLabels,
  );
  await warehouse.execute(
    d.createTableAs(
      t.naiveRows,
      `SELECT DISTINCT i.source, i.row_key, COALESCE(l.label, i.anchor) AS profile_id
       FROM ${ids} AS i LEFT JOIN ${d.qualify(t.naiveLabels)} AS l ON l.node = i.anchor`,
    ),
  );
  const [counts] = await warehouse.query(
    `SELECT (SELECT COUNT(DISTINCT node) FROM ${ids}) AS identifiers,
            (SELECT COUNT(DISTINCT profile_id) FROM ${d.qualify(t.naiveRows)}) AS profiles`,
  );
  await warehouse.execute(d.dropRelation(t.naiveIds, 'table'));
  await warehouse.execute(d.dropRelation(t.naiveLabels, 'table'));
  return {
    identifiers: Number(counts?.identifiers ?? 0),
    profiles: Number(counts?.profiles ?? 0),
    rounds,
    ms: Math.round(performance.now() - started),
  };
}
