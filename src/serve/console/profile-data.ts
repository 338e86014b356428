/**
 * Support's profile page: find a person by any identifier (normalized as identity.yml does, so
 * ` Ann@Example.COM ` finds ann@example.com), then everything `weft privacy export` gathers —
 * identifiers by source, traits, audiences, recent events, every destination reached and when —
 * plus the identity graph's edges with their evidence.
 */
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { exportPerson } from '../../privacy/export.js';
import { findProfile } from '../../profiles/lookup/find.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { lookupTables } from '../../profiles/lookup/tables.js';
import type { Row, Warehouse } from '../../warehouse/types.js';
import { ConsoleError } from './context.js';

/** Events and edges shown per profile. */
const RECENT_EVENTS = 20;
const MAX_EDGES = 200;

/**
 * The `type:value` query a search box text stands for: `type:value` as typed, an email for text
 * with an @, else the first id type (in identity.yml priority order) that finds a profile, else
 * a profile id.
 */
export async function resolveSearch(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<string | undefined> {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new ConsoleError(400, 'type an identifier: an email, a phone, a user id or a profile id');
  const idTypes = Object.keys(project.identity?.id_types ?? {});
  const typed = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(trimmed)?.[1];
  if (typed && idTypes.includes(typed)) return trimmed;
  const tables = await lookupTables(project, warehouse);
  const candidates = trimmed.includes('@') && idTypes.includes('email') ? ['email'] : idTypes;
  for (const idType of candidates) {
    const found = await findProfile(project, warehouse, tables, {
      kind: 'identifier',
      idType,
      value: trimmed,
      text,
    });
    if (found.found) return `${idType}:${trimmed}`;
  }
  const byId = await findProfile(project, warehouse, tables, {
    kind: 'profile_id',
    profileId: trimmed,
    text,
  });
  return byId.found ? trimmed : undefined;
}

/** One profile as the console shows it. */
export interface ConsoleProfile {
  profile_id: string;
  query: string;
  sections: Record<string, unknown>;
  events: Array<{ table: string; rows: number; recent: Row[] }>;
  destinations: Array<{ sync: string; type: string; connection: string; synced_at: string | null }>;
  edges: Row[];
}

/** The profile `text` names, or a 404 saying what was tried. */
export async function profilePage(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<ConsoleProfile> {
  if (!project.identity)
    throw new ConsoleError(404, 'the project has no models/identity.yml, so it has no profiles');
  if (!(await relationKind(warehouse, { schema: project.config.schema, name: 'identity_map' })))
    throw new ConsoleError(404, 'no profiles yet: run `weft build`');
  const query = await resolveSearch(project, warehouse, text);
  if (!query) throw new ConsoleError(404, `no profile found for '${text.trim()}'`);
  const found = await exportPerson(project, warehouse, query);
  if (!found.profile_id) throw new ConsoleError(404, `no profile found for '${text.trim()}'`);
  return {
    profile_id: found.profile_id,
    query,
    sections: jsonValue(found.sections) as Record<string, unknown>,
    events: found.events.map((e) => ({ table: e.table, rows: e.rows, recent: recent(e.sample) })),
    destinations: found.destinations.map((d) => ({
      sync: d.sync,
      type: d.type,
      connection: d.connection,
      synced_at: d.synced_at,
    })),
    edges: await profileEdges(project, warehouse, found.profile_id),
  };
}

/** The newest events of a sample (by any timestamp-like column). */
function recent(sample: Row[]): Row[] {
  const time = (row: Row) => String(row.timestamp ?? row.received_at ?? row.ts ?? '');
  return [...sample].sort((a, b) => time(b).localeCompare(time(a))).slice(0, RECENT_EVENTS);
}

/** The identity edges between the profile's identifiers, with their evidence (source, rows, seen). */
async function profileEdges(project: Project, warehouse: Warehouse, profileId: string): Promise<Row[]> {
  const d = warehouse.dialect;
  const edges = { schema: project.config.schema, name: 'identity_edges' };
  const map = { schema: project.config.schema, name: 'identity_map' };
  if (!(await relationKind(warehouse, edges))) return [];
  const rows = await warehouse.query(
    `SELECT e.source, e.a_type, e.a_value, e.b_type, e.b_value, e.first_seen_at, e.last_seen_at, e.row_count, e.used_for_merge, e.unused_reason
FROM ${d.qualify(edges)} AS e
WHERE EXISTS (SELECT 1 FROM ${d.qualify(map)} AS m WHERE m.profile_id = ${d.literal(profileId)}
  AND ((m.id_type = e.a_type AND m.id_value = e.a_value) OR (m.id_type = e.b_type AND m.id_value = e.b_value)))
ORDER BY e.source, e.a_type, e.a_value, e.b_type, e.b_value
LIMIT ${MAX_EDGES}`,
  );
  return rows.map((r) => jsonValue(r) as Row);
}
