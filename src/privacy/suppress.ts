/**
 * Suppression: a request's person goes into `suppressions` as hashes of every identifier weft
 * knows for them (the typed one, each normalized identifier of their profile, each raw spelling
 * the sources hold, and the profile id). Computed in the warehouse: clear values never leave it.
 */

import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import { type LookupTables, lookupTables } from '../profiles/lookup/tables.js';
import type { Warehouse } from '../warehouse/types.js';
import { hashExpr, identifierHash } from './hash.js';
import { suppressLinkedEventIds } from './linked-events.js';
import type { Subject } from './subject.js';
import type { PrivacyTables } from './tables.js';

/** One request's resolved identifiers. */
export interface RequestSubjects {
  requestId: string;
  subjects: Subject[];
}

/**
 * Inserts the hashes of each new request's subjects (one statement for the whole batch); returns
 * how many distinct hashes each request holds.
 */
export async function suppressSubjects(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  batch: RequestSubjects[],
  now: Date,
  known?: LookupTables,
): Promise<Map<string, number>> {
  const { dialect: d } = warehouse;
  const lookup = known ?? (await lookupTables(project, warehouse));
  const rowsRef = { schema: project.config.schema, name: 'identity_rows' };
  const keyed = keyedSources(project);
  const withRows =
    keyed.length > 0 && Boolean(lookup.identity_map) && Boolean(await relationKind(warehouse, rowsRef));
  const parts: string[] = [];
  for (const { requestId, subjects } of batch) {
    const req = d.literal(requestId);
    for (const subject of subjects) {
      parts.push(
        `SELECT ${req} AS request_id, ${d.literal(subject.hash)} AS id_hash, ${d.literal(subject.idType)} AS id_type`,
      );
    }
    const profiles = [...new Set(subjects.flatMap((s) => (s.profileId ? [s.profileId] : [])))];
    for (const profileId of profiles) {
      const id = d.literal(profileId);
      parts.push(
        `SELECT ${req} AS request_id, ${d.literal(identifierHash(profileId))} AS id_hash, 'profile_id' AS id_type`,
      );
      if (!lookup.identity_map) continue;
      const map = d.qualify(lookup.identity_map);
      parts.push(
        `SELECT ${req} AS request_id, ${hashExpr(d, 'id_value')} AS id_hash, id_type FROM ${map} WHERE profile_id = ${id}`,
      );
      if (withRows) {
        // Keyed sources' row keys (a CRM contact id…): a sync keyed by one finds the person too.
        parts.push(
          `SELECT ${req} AS request_id, ${hashExpr(d, 'row_key')} AS id_hash, 'row_key' AS id_type FROM ${d.qualify(rowsRef)} WHERE profile_id = ${id} AND source IN (${keyed.map((k) => d.literal(k)).join(', ')})`,
        );
      }
      if (lookup.identity_occurrences) {
        parts.push(`SELECT ${req} AS request_id, ${hashExpr(d, 'o.raw_value')} AS id_hash, o.id_type
FROM ${d.qualify(lookup.identity_occurrences)} AS o
JOIN ${map} AS m ON m.id_type = o.id_type AND m.id_value = o.id_value
WHERE m.profile_id = ${id} AND o.raw_value IS NOT NULL`);
      }
    }
  }
  const counts = new Map<string, number>(batch.map((b) => [b.requestId, 0]));
  if (parts.length === 0) return counts;
  // Request ids are new: nothing of theirs is in the table yet.
  await warehouse.execute(
    d.insertSelect(
      tables.suppressions,
      ['id_hash', 'id_type', 'request_id', 'created_at'],
      `SELECT DISTINCT h.id_hash, h.id_type, h.request_id, ${d.literal(now)} FROM (${parts.join('\nUNION ALL\n')}) AS h`,
    ),
  );
  await suppressLinkedEventIds(
    warehouse,
    tables,
    batch.map((b) => b.requestId),
    now,
  );
  const rows = await warehouse.query(
    `SELECT request_id, count(DISTINCT id_hash) AS n FROM ${d.qualify(tables.suppressions)}
WHERE request_id IN (${batch.map((b) => d.literal(b.requestId)).join(', ')}) GROUP BY request_id`,
  );
  for (const row of rows) counts.set(String(row.request_id), Number(row.n));
  return counts;
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
