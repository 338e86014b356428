/**
 * Support's profile page: find a person by any identifier (normalized as identity.yml does, so
 * ` Ann@Example.COM ` finds ann@example.com), then what `weft privacy export` gathers for the
 * page — identifiers by source, traits, audiences, recent collected events, every destination
 * reached and when — plus the identity graph's edges with their evidence.
 *
 * Built for large identity tables (millions of identifiers): the catalog is read in one query,
 * the typed text is resolved in one query (every candidate id type at once) and the profile's
 * identifiers read in another, each filtering one column on constants, and every later read
 * filters on that profile's id or its identifier values.
 * The raw source rows of an export (identity_rows joined to every source) are not read: the page
 * does not show them (the privacy export still gathers them).
 */
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { idTypesOf } from '../../identity/id-types.js';
import { normalizeExpr } from '../../identity/normalize.js';
import { eventRows, syncDestinations, valuesMatcher } from '../../privacy/export.js';
import { identifierHash } from '../../privacy/hash.js';
import { privacyTables } from '../../privacy/tables.js';
import { audiencesSection } from '../../profiles/lookup/audiences-section.js';
import { orderIdentifiers, type ProfileIdentifier } from '../../profiles/lookup/identifiers-section.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import type { LookupTables } from '../../profiles/lookup/tables.js';
import { traitsSection } from '../../profiles/lookup/traits-section.js';
import { resolveSync } from '../../sync/resolve.js';
import type { RelationKind, RelationRef, Row, Warehouse } from '../../warehouse/types.js';
import { ConsoleError } from './context.js';

/** Events and edges shown per profile. */
const RECENT_EVENTS = 20;
const MAX_EDGES = 200;
/** Identifiers a profile may have for its edges to be looked up by value (else by a join). */
const MAX_EDGE_VALUES = 500;

/** One profile as the console shows it. */
export interface ConsoleProfile {
  profile_id: string;
  query: string;
  sections: Record<string, unknown>;
  events: Array<{ table: string; rows: number; recent: Row[] }>;
  destinations: Array<{ sync: string; type: string; connection: string; synced_at: string | null }>;
  edges: Row[];
}

/** What the search box text resolved to. */
export interface ResolvedSearch {
  /** The `type:value` query (or the profile id) the text stands for. */
  query: string;
  profileId: string;
  /** The id type matched (`profile_id` for a profile id). */
  idType: string;
  /** The normalized value matched (the profile id for a profile id). */
  value: string;
  /** The profile's identity_map rows (id_type, id_value, first_seen_at, last_seen_at). */
  identifiers: Row[];
}

/**
 * The `type:value` query (or profile id) a search text stands for, for the privacy buttons:
 * `type:value` as typed (found or not: a suppressed person is no longer in identity_map, and their
 * export says so), else what `resolveSearch` finds.
 */
export async function searchQuery(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<string | undefined> {
  const trimmed = text.trim();
  const idTypes = Object.keys(project.identity?.id_types ?? {});
  const typed = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(trimmed)?.[1];
  if (typed && idTypes.includes(typed)) return trimmed;
  return (await resolveSearch(project, warehouse, text))?.query;
}

/**
 * The profile a search box text names: `type:value` as typed, an email for text with an @, else
 * the first id type (in identity.yml priority order) that finds a profile, else a profile id.
 * Two identity_map reads: every candidate (type, normalized value) at once, then the rows of the
 * profile found (or, when none is, of the text as a profile id).
 */
export async function resolveSearch(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<ResolvedSearch | undefined> {
  const d = warehouse.dialect;
  const trimmed = text.trim();
  if (trimmed === '')
    throw new ConsoleError(400, 'type an identifier: an email, a phone, a user id or a profile id');
  const types = project.identity ? idTypesOf(project.identity) : [];
  const idTypes = types.map((t) => t.name);
  const typed = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/s.exec(trimmed);
  const typedType = typed?.[1] && idTypes.includes(typed[1]) ? typed[1] : undefined;
  const candidates: Array<{ idType: string; raw: string }> = typedType
    ? typed?.[2]?.trim()
      ? [{ idType: typedType, raw: typed[2] }]
      : []
    : (trimmed.includes('@') && idTypes.includes('email') ? ['email'] : idTypes).map((idType) => ({
        idType,
        raw: trimmed,
      }));
  // Each candidate normalized with the build's own expression, all in one SELECT.
  const normalized: Array<{ idType: string; value: string }> = [];
  if (candidates.length > 0) {
    const exprs = candidates.map((c, i) => {
      const type = types.find((t) => t.name === c.idType);
      return `${type ? normalizeExpr(d, type, d.literal(c.raw)) : d.literal(c.raw)} AS ${d.quoteIdent(`n${i}`)}`;
    });
    const [row] = await warehouse.query(`SELECT ${exprs.join(', ')}`);
    candidates.forEach((c, i) => {
      const value = row?.[`n${i}`];
      if (value !== null && value !== undefined) normalized.push({ idType: c.idType, value: String(value) });
    });
  }
  const byProfileId = typedType ? undefined : trimmed;
  if (normalized.length === 0 && byProfileId === undefined) return undefined;
  const map = d.qualify({ schema: project.config.schema, name: 'identity_map' });
  // Two reads, each filtering on one column with constants (which the engine can push into its
  // scan and skip blocks by their min/max), rather than one read whose OR over two columns
  // (id_value, profile_id) it must test row by row: the identifiers the text normalizes to, then
  // every identity_map row of the profiles they found (or of the text read as a profile id).
  const values = [...new Set(normalized.map((c) => c.value))];
  const hits =
    normalized.length === 0
      ? []
      : await warehouse.query(
          `SELECT id_type, id_value, profile_id FROM ${map}
WHERE id_value IN (${values.map((v) => d.literal(v)).join(', ')})
  AND (${normalized.map((c) => `(id_type = ${d.literal(c.idType)} AND id_value = ${d.literal(c.value)})`).join(' OR ')})`,
        );
  // An identifier found wins over the text read as a profile id (as before), so that is read only
  // when none is.
  const profileIds =
    hits.length > 0
      ? [...new Set(hits.map((r) => String(r.profile_id)))]
      : byProfileId === undefined
        ? []
        : [byProfileId];
  if (profileIds.length === 0) return undefined;
  const rows = await warehouse.query(
    `SELECT id_type, id_value, profile_id, first_seen_at, last_seen_at FROM ${map}
WHERE profile_id IN (${profileIds.map((id) => d.literal(id)).join(', ')})`,
  );
  const rowsOf = (profileId: string) => rows.filter((r) => String(r.profile_id) === profileId);
  for (const c of normalized) {
    const hit = rows.find((r) => String(r.id_type) === c.idType && String(r.id_value) === c.value);
    if (!hit) continue;
    const profileId = String(hit.profile_id);
    return {
      query: typedType ? trimmed : `${c.idType}:${trimmed}`,
      profileId,
      idType: c.idType,
      value: c.value,
      identifiers: rowsOf(profileId),
    };
  }
  if (byProfileId !== undefined && rows.some((r) => String(r.profile_id) === byProfileId))
    return {
      query: byProfileId,
      profileId: byProfileId,
      idType: 'profile_id',
      value: byProfileId,
      identifiers: rowsOf(byProfileId),
    };
  return undefined;
}

/** The profile `text` names, or a 404 saying what was tried. */
export async function profilePage(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<ConsoleProfile> {
  if (!project.identity)
    throw new ConsoleError(404, 'the project has no models/identity.yml, so it has no profiles');
  const d = warehouse.dialect;
  const ref = (name: string): RelationRef => ({ schema: project.config.schema, name });
  const suppressions = privacyTables(project.config.state_schema).suppressions;
  const snapshots = project.syncs.map((s) => resolveSync(project, s.value).snapshot);
  const lookup = ['identity_map', 'identity_occurrences', 'profile_merges', 'profiles'] as const;
  const kinds = await relationKinds(warehouse, [
    ...lookup.map(ref),
    ref('identity_edges'),
    suppressions,
    ...snapshots,
  ]);
  const kindOf = (r: RelationRef) => kinds.get(key(r));
  if (!kindOf(ref('identity_map'))) throw new ConsoleError(404, 'no profiles yet: run `weft build`');
  const found = await resolveSearch(project, warehouse, text);
  const missing = () => new ConsoleError(404, `no profile found for '${text.trim()}'`);
  if (!found) throw missing();
  // A suppressed identifier shows nothing (as `weft privacy export` says only the suppression).
  if (kindOf(suppressions)) {
    const [row] = await warehouse.query(
      `SELECT request_id FROM ${d.qualify(suppressions)} WHERE id_hash = ${d.literal(identifierHash(found.value))} LIMIT 1`,
    );
    if (row) throw missing();
  }
  const tables = Object.fromEntries(
    lookup.map((name) => [name, kindOf(ref(name)) ? ref(name) : undefined]),
  ) as LookupTables;
  const identifiers = await profileIdentifiers(project, warehouse, tables, found.identifiers);
  const ctx = { project, warehouse, tables, profileId: found.profileId };
  const sections: Record<string, unknown> = { identifiers: identifiers.map((i) => jsonValue(i)) };
  for (const section of [traitsSection, audiencesSection])
    sections[section.key] = (await section.load(ctx)).json;
  // The person's identifier values, for events and snapshots (kept in this process only).
  const values = [...new Set([found.value, found.profileId, ...identifiers.map((i) => i.value)])];
  const matches = valuesMatcher(d, values);
  const events = await eventRows(warehouse, matches);
  const destinations = await syncDestinations(
    project,
    warehouse,
    matches,
    (snapshot) => kindOf(snapshot) === 'table',
  );
  return {
    profile_id: found.profileId,
    query: found.query,
    sections: jsonValue(sections) as Record<string, unknown>,
    events: events.map((e) => ({ table: e.table, rows: e.rows, recent: recent(e.sample) })),
    destinations: destinations.map((dest) => ({
      sync: dest.sync,
      type: dest.type,
      connection: dest.connection,
      synced_at: dest.synced_at,
    })),
    edges: kindOf(ref('identity_edges'))
      ? await profileEdges(project, warehouse, found.profileId, identifiers)
      : [],
  };
}

/**
 * The identifiers section as `weft profile` shows it (profiles/lookup/identifiers-section.ts):
 * the profile's identity_map rows (already read) with the sources each was seen in, highest
 * priority type first, then oldest first.
 */
async function profileIdentifiers(
  project: Project,
  warehouse: Warehouse,
  tables: LookupTables,
  rows: Row[],
): Promise<ProfileIdentifier[]> {
  const d = warehouse.dialect;
  const sources = new Map<string, string[]>();
  const keyOf = (type: unknown, value: unknown) => `${String(type)}\u0000${String(value)}`;
  if (tables.identity_occurrences && rows.length > 0) {
    const pairs = rows.map(
      (r) => `(id_type = ${d.literal(String(r.id_type))} AND id_value = ${d.literal(String(r.id_value))})`,
    );
    const seen = await warehouse.query(`SELECT DISTINCT id_type, id_value, source
FROM ${d.qualify(tables.identity_occurrences)}
WHERE ${pairs.join(' OR ')}
ORDER BY source`);
    for (const row of seen) {
      const k = keyOf(row.id_type, row.id_value);
      sources.set(k, [...(sources.get(k) ?? []), String(row.source)]);
    }
  }
  return orderIdentifiers(project, rows, sources);
}

/** The newest events of a sample (by any timestamp-like column). */
function recent(sample: Row[]): Row[] {
  const time = (row: Row) => String(row.timestamp ?? row.received_at ?? row.ts ?? '');
  return [...sample].sort((a, b) => time(b).localeCompare(time(a))).slice(0, RECENT_EVENTS);
}

/**
 * The identity edges between the profile's identifiers, with their evidence (source, rows, seen):
 * matched on the identifier values already read, so identity_map is not scanned again.
 */
async function profileEdges(
  project: Project,
  warehouse: Warehouse,
  profileId: string,
  identifiers: Array<{ type: string; value: string }>,
): Promise<Row[]> {
  const d = warehouse.dialect;
  const edges = { schema: project.config.schema, name: 'identity_edges' };
  const map = { schema: project.config.schema, name: 'identity_map' };
  const side = (s: 'a' | 'b') =>
    identifiers
      .map((i) => `(e.${s}_type = ${d.literal(i.type)} AND e.${s}_value = ${d.literal(i.value)})`)
      .join(' OR ');
  const where =
    identifiers.length === 0
      ? 'FALSE'
      : identifiers.length <= MAX_EDGE_VALUES
        ? `${side('a')} OR ${side('b')}`
        : `EXISTS (SELECT 1 FROM ${d.qualify(map)} AS m WHERE m.profile_id = ${d.literal(profileId)}
  AND ((m.id_type = e.a_type AND m.id_value = e.a_value) OR (m.id_type = e.b_type AND m.id_value = e.b_value)))`;
  const rows = await warehouse.query(
    `SELECT e.source, e.a_type, e.a_value, e.b_type, e.b_value, e.first_seen_at, e.last_seen_at, e.row_count, e.used_for_merge, e.unused_reason
FROM ${d.qualify(edges)} AS e
WHERE ${where}
ORDER BY e.source, e.a_type, e.a_value, e.b_type, e.b_value
LIMIT ${MAX_EDGES}`,
  );
  return rows.map((r) => jsonValue(r) as Row);
}

function key(ref: RelationRef): string {
  return `${ref.schema}\u0000${ref.name}`;
}

/**
 * Which of `refs` exist and as what, in one catalog query (each dialect's own lookup, joined with
 * UNION ALL); one query per relation where the engine refuses the union.
 */
export async function relationKinds(
  warehouse: Warehouse,
  refs: RelationRef[],
): Promise<Map<string, RelationKind | undefined>> {
  const d = warehouse.dialect;
  const out = new Map<string, RelationKind | undefined>();
  if (refs.length === 0) return out;
  const union = refs
    .map((r, i) => `SELECT ${i} AS weft_ref, weft_k.* FROM (${d.relationKindQuery(r)}) AS weft_k`)
    .join('\nUNION ALL\n');
  let rows: Row[];
  try {
    rows = await warehouse.query(union);
  } catch {
    for (const r of refs) out.set(key(r), await relationKind(warehouse, r));
    return out;
  }
  for (const r of refs) out.set(key(r), undefined);
  for (const row of rows) {
    const r = refs[Number(row.weft_ref)];
    if (r && out.get(key(r)) === undefined) out.set(key(r), row.kind as RelationKind);
  }
  return out;
}
