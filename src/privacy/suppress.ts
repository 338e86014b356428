/**
 * Suppression: a request's person goes into `suppressions` as hashes of every identifier weft
 * knows for them (the typed one, each normalized identifier of their profile, each raw spelling
 * the sources hold, and the profile id). Computed in the warehouse: clear values never leave it.
 */

import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import { lookupTables } from '../profiles/lookup/tables.js';
import type { Warehouse } from '../warehouse/types.js';
import { hashExpr, identifierHash } from './hash.js';
import type { Subject } from './subject.js';
import type { PrivacyTables } from './tables.js';

/** Inserts the hashes of `subjects` for request `requestId`; returns how many distinct hashes it holds. */
export async function suppressSubjects(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  requestId: string,
  subjects: Subject[],
  now: Date,
): Promise<number> {
  const { dialect: d } = warehouse;
  const lookup = await lookupTables(project, warehouse);
  const parts: string[] = [];
  for (const subject of subjects) {
    parts.push(`SELECT ${d.literal(subject.hash)} AS id_hash, ${d.literal(subject.idType)} AS id_type`);
  }
  const profiles = [...new Set(subjects.flatMap((s) => (s.profileId ? [s.profileId] : [])))];
  for (const profileId of profiles) {
    parts.push(`SELECT ${d.literal(identifierHash(profileId))} AS id_hash, 'profile_id' AS id_type`);
    if (lookup.identity_map) {
      const map = d.qualify(lookup.identity_map);
      parts.push(
        `SELECT ${hashExpr(d, 'id_value')} AS id_hash, id_type FROM ${map} WHERE profile_id = ${d.literal(profileId)}`,
      );
      const rows = { schema: project.config.schema, name: 'identity_rows' };
      const keyed = keyedSources(project);
      if (keyed.length > 0 && (await relationKind(warehouse, rows))) {
        // Keyed sources' row keys (a CRM contact id…): a sync keyed by one finds the person too.
        parts.push(
          `SELECT ${hashExpr(d, 'row_key')} AS id_hash, 'row_key' AS id_type FROM ${d.qualify(rows)} WHERE profile_id = ${d.literal(profileId)} AND source IN (${keyed.map((k) => d.literal(k)).join(', ')})`,
        );
      }
      if (lookup.identity_occurrences) {
        parts.push(`SELECT ${hashExpr(d, 'o.raw_value')} AS id_hash, o.id_type
FROM ${d.qualify(lookup.identity_occurrences)} AS o
JOIN ${map} AS m ON m.id_type = o.id_type AND m.id_value = o.id_value
WHERE m.profile_id = ${d.literal(profileId)} AND o.raw_value IS NOT NULL`);
      }
    }
  }
  const req = d.literal(requestId);
  await warehouse.execute(
    d.insertSelect(
      tables.suppressions,
      ['id_hash', 'id_type', 'request_id', 'created_at'],
      `SELECT DISTINCT h.id_hash, h.id_type, ${req}, ${d.literal(now)} FROM (${parts.join('\nUNION ALL\n')}) AS h
WHERE NOT EXISTS (SELECT 1 FROM ${d.qualify(tables.suppressions)} AS x WHERE x.request_id = ${req} AND x.id_hash = h.id_hash)`,
    ),
  );
  const [row] = await warehouse.query(
    `SELECT count(DISTINCT id_hash) AS n FROM ${d.qualify(tables.suppressions)} WHERE request_id = ${req}`,
  );
  return Number(row?.n ?? 0);
}

/** SQL: true when `expr` (a column of some relation) hashes to a suppressed identifier. */
export function isSuppressed(
  warehouse: Warehouse,
  suppressions: { schema: string; name: string },
  expr: string,
): string {
  const { dialect: d } = warehouse;
  return `${hashExpr(d, expr)} IN (SELECT id_hash FROM ${d.qualify(suppressions)})`;
}

/** Identity sources whose row key is a column of theirs (`key:` in identity.yml), by `from`. */
export function keyedSources(project: Project): string[] {
  return (project.identity?.sources ?? []).filter((s) => s.key).map((s) => s.from);
}
