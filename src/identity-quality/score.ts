/**
 * Scores one resolver's row → profile table against quality_records with counts only: pairs
 * are never enumerated, a cluster of n records holds n(n-1)/2 of them.
 */
import type { Project } from '../config/types.js';
import type { Dialect, RelationRef, Warehouse } from '../warehouse/types.js';
import { overMergeCauses } from './causes.js';
import { qualityTables } from './tables.js';
import type { QualityReport } from './types.js';

/** SQL: the pairs among `n` items, n(n-1)/2, in floating point so large counts cannot overflow. */
const pairs = (d: Dialect, n: string) => `${d.cast(n, 'double')} * (${n} - 1) / 2`;

/** Scores `rows(source, row_key, profile_id)`; quality_records must exist (prepareTruth). */
export async function scoreResolution(
  warehouse: Warehouse,
  project: Project,
  rows: RelationRef,
  resolver: string,
): Promise<QualityReport> {
  const d = warehouse.dialect;
  const t = qualityTables(project);
  // Unresolved records become singleton profiles; a row listed twice counts once.
  const scored = `SELECT r.person_id, r.truth_cluster, p.profile_id IS NOT NULL AS resolved,
      COALESCE(p.profile_id, 'unresolved' || chr(31) || r.source || chr(31) || r.row_key) AS profile_id
    FROM ${d.qualify(t.records)} AS r
    LEFT JOIN (SELECT source, row_key, MIN(profile_id) AS profile_id FROM ${d.qualify(rows)}
               GROUP BY source, row_key) AS p
      ON p.source = r.source AND p.row_key = r.row_key`;
  const [m] = await warehouse.query(`WITH s AS (${scored}),
    prof AS (SELECT profile_id, COUNT(*) AS n, COUNT(DISTINCT person_id) AS persons FROM s GROUP BY profile_id),
    pp AS (SELECT profile_id, person_id, COUNT(*) AS c FROM s GROUP BY profile_id, person_id),
    tc AS (SELECT truth_cluster, COUNT(*) AS n FROM s GROUP BY truth_cluster),
    tp AS (SELECT truth_cluster, profile_id, COUNT(*) AS c FROM s GROUP BY truth_cluster, profile_id)
    SELECT
      (SELECT COUNT(*) FROM s) AS records,
      (SELECT COUNT(*) FROM s WHERE NOT resolved) AS unresolved_records,
      (SELECT COUNT(DISTINCT person_id) FROM s) AS persons,
      (SELECT COUNT(DISTINCT profile_id) FROM s WHERE resolved) AS profiles,
      (SELECT SUM(${pairs(d, 'n')}) FROM prof) AS predicted_pairs,
      (SELECT SUM(${pairs(d, 'c')}) FROM pp) AS correct_pairs,
      (SELECT SUM(${pairs(d, 'n')}) FROM tc) AS linkable_pairs,
      (SELECT SUM(${pairs(d, 'c')}) FROM tp) AS found_pairs,
      (SELECT SUM(${d.cast('pp.c', 'double')} * pp.c / prof.n) FROM pp JOIN prof ON pp.profile_id = prof.profile_id) AS b3_precision_sum,
      (SELECT SUM(${d.cast('tp.c', 'double')} * tp.c / tc.n) FROM tp JOIN tc ON tp.truth_cluster = tc.truth_cluster) AS b3_recall_sum,
      (SELECT COUNT(*) FROM prof WHERE persons > 1) AS over_merged_profiles,
      (SELECT COUNT(DISTINCT s.person_id) FROM s JOIN (
         SELECT truth_cluster FROM tp GROUP BY truth_cluster HAVING COUNT(*) > 1) AS split
         ON s.truth_cluster = split.truth_cluster) AS split_persons,
      (SELECT COUNT(*) FROM (SELECT person_id FROM s GROUP BY person_id
         HAVING COUNT(DISTINCT profile_id) > 1) AS several) AS persons_in_several_profiles,
      (SELECT MAX(n) FROM prof) AS largest_records,
      (SELECT MAX(persons) FROM prof) AS largest_persons`);
  const n = (key: string) => Number(m?.[key] ?? 0);
  const ratio = (num: number, den: number) => (den === 0 ? 1 : num / den);
  const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
  const precision = ratio(n('correct_pairs'), n('predicted_pairs'));
  const recall = ratio(n('found_pairs'), n('linkable_pairs'));
  const b3p = ratio(n('b3_precision_sum'), n('records'));
  const b3r = ratio(n('b3_recall_sum'), n('records'));
  const causes = await overMergeCauses(warehouse, project, rows);
  return {
    resolver,
    records: n('records'),
    unresolved_records: n('unresolved_records'),
    persons: n('persons'),
    profiles: n('profiles'),
    pairwise: {
      precision,
      recall,
      f1: f1(precision, recall),
      predicted_pairs: n('predicted_pairs'),
      correct_pairs: n('correct_pairs'),
      linkable_pairs: n('linkable_pairs'),
      found_pairs: n('found_pairs'),
    },
    bcubed: { precision: b3p, recall: b3r, f1: f1(b3p, b3r) },
    over_merged_profiles: n('over_merged_profiles'),
    over_merged_by_cause: causes,
    split_persons: n('split_persons'),
    persons_in_several_profiles: n('persons_in_several_profiles'),
    largest_profile: { records: n('largest_records'), persons: n('largest_persons') },
  };
}
