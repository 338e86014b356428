/**
 * `weft privacy export`: everything weft holds or sent about one person — identifiers and their
 * sources, traits and audiences (as `weft profile` shows them), the raw source rows identity linked
 * to them (through identity_rows), collected events, and per sync what the destination last
 * acknowledged and when. A suppressed person shows only their suppression record.
 */
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import { rowKeyExpr } from '../identity/row-key.js';
import { jsonValue, lookupProfile } from '../profiles/lookup/index.js';
import { resolveSync, sourceRelation } from '../sync/resolve.js';
import type { Dialect, RelationRef, Row, Warehouse } from '../warehouse/types.js';
import { type EventTable, eventTables, linkedEventValues } from './linked-events.js';
import { resolveSubject } from './subject.js';
import { existingSuppressions } from './tables.js';

/** Rows per source or event table in an export (the count says when there are more). */
export const EXPORT_ROW_LIMIT = 1000;

/** The export of one person. */
export interface PersonExport {
  query: string;
  profile_id: string | null;
  /** Requests that suppressed this identifier (then nothing else is exported). */
  suppressed_by: string[];
  sections: Record<string, unknown>;
  source_rows: Array<{ source: string; rows: number; sample: Row[] }>;
  events: Array<{ table: string; rows: number; sample: Row[] }>;
  destinations: Array<{
    sync: string;
    connection: string;
    type: string;
    key: string;
    destination_id: string | null;
    synced_at: string | null;
    run_id: string | null;
  }>;
}

/** Exports one person, found by `text` (type:value or a profile id). */
export async function exportPerson(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<PersonExport> {
  const d = warehouse.dialect;
  const subject = await resolveSubject(project, warehouse, text);
  const out: PersonExport = {
    query: text,
    profile_id: null,
    suppressed_by: [],
    sections: {},
    source_rows: [],
    events: [],
    destinations: [],
  };
  const suppressions = await existingSuppressions(warehouse, project.config.state_schema);
  if (suppressions) {
    const rows = await warehouse.query(
      `SELECT DISTINCT request_id FROM ${d.qualify(suppressions)} WHERE id_hash = ${d.literal(subject.hash)} ORDER BY request_id`,
    );
    out.suppressed_by = rows.map((r) => String(r.request_id));
    if (out.suppressed_by.length > 0) return out;
  }
  // The person's identifier values, for events and snapshots (kept in this process only).
  let values = [subject.value];
  if (subject.profileId && project.identity) {
    const lookup = await lookupProfile(project, warehouse, subject.profileId);
    if (lookup.found) {
      out.profile_id = lookup.profileId;
      for (const section of lookup.sections) out.sections[section.key] = section.output.json;
      const ids = (out.sections.identifiers as Array<{ value: string }> | undefined) ?? [];
      values = [...new Set([...values, subject.profileId, ...ids.map((i) => String(i.value))])];
      out.source_rows = await sourceRows(project, warehouse, lookup.profileId);
    }
  }
  // The anonymous ids the events tie to the person before a build does: an erasure deletes them.
  const events = await eventTables(warehouse);
  values = [...values, ...(await linkedEventValues(warehouse, values, events))];
  const matches = valuesMatcher(warehouse.dialect, values);
  out.events = await eventRows(warehouse, matches, events);
  out.destinations = await syncDestinations(project, warehouse, matches);
  return out;
}

async function sourceRows(
  project: Project,
  warehouse: Warehouse,
  profileId: string,
): Promise<PersonExport['source_rows']> {
  const d = warehouse.dialect;
  const rowsRef = { schema: project.config.schema, name: 'identity_rows' };
  if (!project.identity || !(await relationKind(warehouse, rowsRef))) return [];
  const out: PersonExport['source_rows'] = [];
  for (const source of project.identity.sources) {
    const keys = `(SELECT row_key FROM ${d.qualify(rowsRef)} WHERE source = ${d.literal(source.from)} AND profile_id = ${d.literal(profileId)})`;
    let relation: ReturnType<typeof sourceRelation>;
    try {
      relation = sourceRelation(project, source.from);
    } catch {
      continue;
    }
    const where = `${rowKeyExpr(d, source)} IN ${keys}`;
    const { rows: n, sample } = await countAndSample(warehouse, relation, where);
    if (n === 0) continue;
    out.push({ source: source.from, rows: n, sample });
  }
  return out;
}

/**
 * A test `expr IN values` on trimmed, lower-cased text. Equal hashes (src/privacy/hash.ts) mean
 * equal trimmed, lower-cased text: compared as text, so no row of a large table is hashed to find
 * one person.
 */
export function valuesMatcher(d: Dialect, values: string[]): (expr: string) => string {
  const normalized = (expr: string) => `lower(trim(${d.cast(expr, 'string')}))`;
  const valueList = `(${values.map((v) => normalized(d.literal(v))).join(', ')})`;
  return (expr: string) => `${normalized(expr)} IN ${valueList}`;
}

/**
 * Per sync, the snapshot rows (what the destination last acknowledged) whose key `matches`.
 * `exists` answers whether a snapshot is a table when the caller already knows (else one
 * catalog query per sync).
 */
export async function syncDestinations(
  project: Project,
  warehouse: Warehouse,
  matches: (expr: string) => string,
  exists?: (ref: RelationRef) => boolean,
): Promise<PersonExport['destinations']> {
  const d = warehouse.dialect;
  const out: PersonExport['destinations'] = [];
  for (const { value: config } of project.syncs) {
    const sync = resolveSync(project, config);
    const present = exists
      ? exists(sync.snapshot)
      : (await relationKind(warehouse, sync.snapshot)) === 'table';
    if (!present) continue;
    const rows = await warehouse.query(
      `SELECT * FROM ${d.qualify(sync.snapshot)} WHERE ${matches(d.quoteIdent('key'))} ORDER BY ${d.quoteIdent('key')}`,
    );
    for (const row of rows) {
      out.push({
        sync: config.name,
        connection: config.connection,
        type: project.config.connections[config.connection]?.type ?? 'unknown',
        key: String(row.key),
        destination_id: row.destination_id === null ? null : String(row.destination_id),
        synced_at: row.synced_at === null ? null : new Date(row.synced_at as string).toISOString(),
        run_id: row.run_id === null ? null : String(row.run_id),
      });
    }
  }
  return out;
}

/** Per table of collected events (the `events` schema), the rows `matches` finds in user_id / anonymous_id. */
export async function eventRows(
  warehouse: Warehouse,
  matches: (expr: string) => string,
  known?: EventTable[],
): Promise<PersonExport['events']> {
  const d = warehouse.dialect;
  const out: PersonExport['events'] = [];
  for (const { table, columns } of known ?? (await eventTables(warehouse))) {
    const where = columns.map((c) => matches(d.quoteIdent(c))).join(' OR ');
    const { rows: n, sample } = await countAndSample(warehouse, table, where);
    if (n === 0) continue;
    out.push({ table: table.name, rows: n, sample });
  }
  return out;
}

/** How many rows of `relation` match `where`, and the first of them: one scan, not two. */
async function countAndSample(
  warehouse: Warehouse,
  relation: RelationRef,
  where: string,
): Promise<{ rows: number; sample: Row[] }> {
  const d = warehouse.dialect;
  const total = 'weft_export_rows';
  const found = await warehouse.query(
    `SELECT *, count(*) OVER () AS ${d.quoteIdent(total)} FROM ${d.qualify(relation)} WHERE ${where} LIMIT ${EXPORT_ROW_LIMIT}`,
  );
  const rows = Number(found[0]?.[total] ?? 0);
  const sample = found.map(({ [total]: _count, ...row }) => jsonValue(row) as Row);
  return { rows, sample };
}
