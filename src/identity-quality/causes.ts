/**
 * Over-merged profiles by cause, from the seed's ground truth (never from the resolver): what
 * the persons of one profile have in common. A value carried by records of two of its persons
 * is the join; the seed knows which values are role mailboxes (ROLE_MAILBOXES and
 * MESSY_ROLE_MAILBOXES at a company domain) and desk phones (DESK_AREA_CODE), and any other value two true persons carry is a
 * family or otherwise shared value. A profile whose persons share no value at all was joined
 * through a chain (a typo, a limit) and counts as `other`. A family or other shared value ranks
 * first: it explains the merge on its own, where a role mailbox or desk line its persons also
 * carry (colleagues in one family business) may well be one weft kept from merging on.
 */
import type { Project } from '../config/types.js';
import { DESK_AREA_CODE, MESSY_ROLE_MAILBOXES } from '../seed/messy.js';
import { ROLE_MAILBOXES } from '../seed/vocab.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { qualityTables } from './tables.js';
import type { OverMergeCauses } from './types.js';

/** The id types of `project` normalized as `kind` (by name when the project has no identity). */
function typesOf(project: Project, kind: 'email' | 'phone'): string[] {
  const types = project.identity?.id_types;
  if (!types) return [kind];
  return Object.entries(types)
    .filter(([, t]) => t?.normalize === kind)
    .map(([name]) => name);
}

/**
 * Counts `rows`' over-merged profiles by cause: a family or other shared value first, then a
 * role mailbox, then a desk phone (the first of these that two of its persons carry);
 * quality_ids and quality_records must exist.
 */
export async function overMergeCauses(
  warehouse: Warehouse,
  project: Project,
  rows: RelationRef,
): Promise<OverMergeCauses> {
  const d = warehouse.dialect;
  const t = qualityTables(project);
  const inList = (names: string[]) =>
    names.length === 0 ? 'FALSE' : `v.id_type IN (${names.map((n) => d.literal(n)).join(', ')})`;
  const roles = [...new Set([...ROLE_MAILBOXES, ...MESSY_ROLE_MAILBOXES])].map(
    (p) => `v.value LIKE ${d.literal(`${p}@%`)}`,
  );
  const role = `(${inList(typesOf(project, 'email'))} AND (${roles.join(' OR ')}))`;
  const desk = `(${inList(typesOf(project, 'phone'))} AND v.value LIKE ${d.literal(`${DESK_AREA_CODE}%`)})`;
  const [m] = await warehouse.query(`WITH s AS (
      SELECT r.source, r.row_key, r.person_id, p.profile_id
      FROM ${d.qualify(t.records)} AS r
      JOIN (SELECT source, row_key, MIN(profile_id) AS profile_id FROM ${d.qualify(rows)} GROUP BY source, row_key) AS p
        ON p.source = r.source AND p.row_key = r.row_key),
    over AS (SELECT profile_id FROM s GROUP BY profile_id HAVING COUNT(DISTINCT person_id) > 1),
    joins AS (
      SELECT s.profile_id, i.id_type, i.value
      FROM s JOIN over AS o ON o.profile_id = s.profile_id
      JOIN ${d.qualify(t.ids)} AS i ON i.source = s.source AND i.row_key = s.row_key
      WHERE i.value IS NOT NULL
      GROUP BY s.profile_id, i.id_type, i.value HAVING COUNT(DISTINCT s.person_id) > 1),
    causes AS (
      SELECT v.profile_id, MAX(CASE WHEN ${role} THEN 2 WHEN ${desk} THEN 1 ELSE 3 END) AS cause
      FROM joins AS v GROUP BY v.profile_id)
    SELECT
      SUM(CASE WHEN c.cause = 2 THEN 1 ELSE 0 END) AS role_mailbox,
      SUM(CASE WHEN c.cause = 1 THEN 1 ELSE 0 END) AS desk_phone,
      SUM(CASE WHEN c.cause = 3 THEN 1 ELSE 0 END) AS shared_value,
      SUM(CASE WHEN c.cause IS NULL THEN 1 ELSE 0 END) AS other
    FROM over AS o LEFT JOIN causes AS c ON c.profile_id = o.profile_id`);
  const n = (key: string) => Number(m?.[key] ?? 0);
  return {
    role_mailbox: n('role_mailbox'),
    desk_phone: n('desk_phone'),
    shared_value: n('shared_value'),
    other: n('other'),
  };
}
