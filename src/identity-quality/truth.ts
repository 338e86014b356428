/**
 * The ground truth the resolver is measured against, written as two tables:
 * - quality_ids: every (identity source row, identifier) with the row's true person and the
 *   identifier's canonical value (oracle.ts);
 * - quality_records: every identity source row carrying at least one identifier, with its true
 *   person and its *truth cluster*: the rows of that person connected through values that no
 *   other person's rows carry. Rows the data cannot link (a cookie that never logged in, a row
 *   whose only identifier is junk or shared by a couple) are their own cluster, so recall only
 *   counts links the evidence supports.
 */
import type { Project } from '../config/types.js';
import { TRUTH_ROW_PERSON } from '../seed/index.js';
import type { Warehouse } from '../warehouse/types.js';
import { connectedComponents } from './components.js';
import { oracleValue } from './oracle.js';
import type { QualitySource } from './sources.js';
import { qualityTables } from './tables.js';

/** SQL: a row's node id in the clustering (source and row key, unit-separated). */
export const ROW_NODE = `source || chr(31) || row_key`;

/** Writes quality_ids and quality_records; returns the truth clustering's round count. */
export async function prepareTruth(
  warehouse: Warehouse,
  project: Project,
  sources: QualitySource[],
): Promise<number> {
  const d = warehouse.dialect;
  const t = qualityTables(project);
  const idTypes = project.identity?.id_types ?? {};
  const selects = sources.flatMap((s) =>
    s.ids.map(
      (id) => `SELECT ${d.literal(s.name)} AS source, r.weft_row_key AS row_key, truth_row.person_id,
        ${d.literal(id.type)} AS id_type, ${oracleValue(d, `r.${d.quoteIdent(id.column)}`, idTypes[id.type]?.normalize)} AS value
      FROM (SELECT *, ${s.rowKey} AS weft_row_key FROM ${d.qualify(s.relation)}) AS r
      JOIN ${d.qualify(TRUTH_ROW_PERSON.ref)} AS truth_row
        ON truth_row.source_table = ${d.literal(s.truthTable)}
       AND truth_row.row_key = ${d.cast(`r.${d.quoteIdent(s.truthKeyColumn)}`, 'string')}
      WHERE r.${d.quoteIdent(id.column)} IS NOT NULL`,
    ),
  );
  await warehouse.execute(d.createTableAs(t.ids, selects.join('\nUNION ALL\n')));
  const ids = d.qualify(t.ids);
  // Star per private value (carried by one true person only): its smallest row to every other.
  const edges = `WITH private_values AS (
      SELECT id_type, value FROM ${ids} WHERE value IS NOT NULL
      GROUP BY id_type, value HAVING COUNT(DISTINCT person_id) = 1),
    carriers AS (
      SELECT DISTINCT i.id_type, i.value, ${ROW_NODE} AS node
      FROM ${ids} AS i JOIN private_values AS p ON i.id_type = p.id_type AND i.value = p.value)
    SELECT MIN(node) OVER (PARTITION BY id_type, value) AS a, node AS b FROM carriers`;
  const rounds = await connectedComponents(warehouse, edges, t.truthLabels);
  await warehouse.execute(
    d.createTableAs(
      t.records,
      `SELECT r.source, r.row_key, r.person_id, COALESCE(l.label, r.node) AS truth_cluster
       FROM (SELECT DISTINCT source, row_key, person_id, ${ROW_NODE} AS node FROM ${ids}) AS r
       LEFT JOIN ${d.qualify(t.truthLabels)} AS l ON l.node = r.node`,
    ),
  );
  await warehouse.execute(d.dropRelation(t.truthLabels, 'table'));
  return rounds;
}
