/**
 * Diagnostic queries for when the quality gate fails: which records were wrongly merged, and
 * which linkable records were left apart — each with the identifiers they carry.
 */
import type { Project } from '../config/types.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { qualityTables } from './tables.js';

/** A record placed with records of another true person (or split from its own). */
export interface MisplacedRecord {
  profile_id: string;
  /** The profile's majority person (over-merge) or the record's own person (split). */
  person_id: number;
  /** The record's true person. */
  record_person_id: number;
  source: string;
  row_key: string;
  /** `type:value` (canonical) of the record's identifiers. */
  identifiers: string;
}

async function misplaced(warehouse: Warehouse, sql: string): Promise<MisplacedRecord[]> {
  const rows = await warehouse.query(sql);
  return rows.map((r) => ({
    profile_id: String(r.profile_id),
    person_id: Number(r.person_id),
    record_person_id: Number(r.record_person_id),
    source: String(r.source),
    row_key: String(r.row_key),
    identifiers: String(r.identifiers ?? ''),
  }));
}

function scoredRows(warehouse: Warehouse, project: Project, rows: RelationRef): string {
  const d = warehouse.dialect;
  return `SELECT r.source, r.row_key, r.person_id, r.truth_cluster, p.profile_id
    FROM ${d.qualify(qualityTables(project).records)} AS r
    JOIN ${d.qualify(rows)} AS p ON p.source = r.source AND p.row_key = r.row_key`;
}

/**
 * `picked` (a query with source, row_key and the columns of `orderBy`) plus each record's
 * identifiers, aggregated for the picked records only: a correlated subquery per scored row
 * is fine on DuckDB, which decorrelates it, but Postgres runs it once per row.
 */
function withIdentifiers(warehouse: Warehouse, project: Project, picked: string, orderBy: string): string {
  const d = warehouse.dialect;
  const identifier = `i.id_type || ':' || COALESCE(i.value, '(invalid)')`;
  return `WITH picked AS (${picked}),
     keys AS (SELECT DISTINCT source, row_key FROM picked),
     idents AS (
       SELECT i.source, i.row_key, ${d.stringAgg(identifier, ' ', 'i.id_type, i.value')} AS identifiers
       FROM ${d.qualify(qualityTables(project).ids)} AS i
       JOIN keys ON keys.source = i.source AND keys.row_key = i.row_key
       GROUP BY i.source, i.row_key)
     SELECT picked.*, idents.identifiers FROM picked
     LEFT JOIN idents ON idents.source = picked.source AND idents.row_key = picked.row_key
     ORDER BY ${orderBy}`;
}

/**
 * Records in over-merged profiles that are not the profile's majority person, largest
 * profiles first (at most `limit`).
 */
export async function overMergedProfiles(
  warehouse: Warehouse,
  project: Project,
  rows: RelationRef = qualityTables(project).identityRows,
  limit = 20,
): Promise<MisplacedRecord[]> {
  const picked = `WITH s AS (${scoredRows(warehouse, project, rows)}),
     counts AS (SELECT profile_id, person_id, COUNT(*) AS c FROM s GROUP BY profile_id, person_id),
     majority AS (SELECT profile_id, MIN(person_id) AS person_id, SUM(c) AS size FROM (
       SELECT profile_id, person_id, c, MAX(c) OVER (PARTITION BY profile_id) AS top FROM counts) AS x
       WHERE c = top GROUP BY profile_id)
     SELECT s.profile_id, m.person_id, s.person_id AS record_person_id, s.source, s.row_key, m.size
     FROM s JOIN majority AS m ON s.profile_id = m.profile_id
     WHERE s.person_id <> m.person_id
     ORDER BY m.size DESC, s.profile_id, s.source, s.row_key LIMIT ${Number(limit)}`;
  return misplaced(
    warehouse,
    withIdentifiers(
      warehouse,
      project,
      picked,
      'picked.size DESC, picked.profile_id, picked.source, picked.row_key',
    ),
  );
}

/** Records of truth clusters spread over several profiles (at most `limit`), grouped by cluster. */
export async function splitRecords(
  warehouse: Warehouse,
  project: Project,
  rows: RelationRef = qualityTables(project).identityRows,
  limit = 20,
): Promise<MisplacedRecord[]> {
  const picked = `WITH s AS (${scoredRows(warehouse, project, rows)}),
     split AS (SELECT truth_cluster FROM s GROUP BY truth_cluster HAVING COUNT(DISTINCT profile_id) > 1)
     SELECT s.profile_id, s.person_id, s.person_id AS record_person_id, s.source, s.row_key, s.truth_cluster
     FROM s JOIN split ON s.truth_cluster = split.truth_cluster
     ORDER BY s.truth_cluster, s.profile_id, s.source, s.row_key LIMIT ${Number(limit)}`;
  return misplaced(
    warehouse,
    withIdentifiers(
      warehouse,
      project,
      picked,
      'picked.truth_cluster, picked.profile_id, picked.source, picked.row_key',
    ),
  );
}
