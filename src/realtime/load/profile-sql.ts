/**
 * The SQL that assembles what the serving store holds, one row per profile: its identifiers
 * (identity_map), traits (the `profiles` row) and audiences (`audience_members`), plus a
 * fingerprint of all of it computed by the warehouse, so a load can tell which profiles changed
 * without reading them. Every profile with an identifier is served; one without a `profiles` row
 * (no profiles.yml yet) has no traits.
 */

import { audienceMembersRelation } from '../../audiences/members.js';
import { relationColumns, relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';

/** Hash values range below this prime (as the audience fingerprints', src/audiences/members.ts). */
const HASH_RANGE = 2_147_483_647;

/** Between the identifiers (and audiences) of one profile in the aggregated text. */
export const ITEM_SEPARATOR = '\u001e';
/** Between an identifier's type and value. */
export const TYPE_SEPARATOR = '\u001f';

/** Columns the assembled rows carry besides the traits. */
export const ASSEMBLED_COLUMNS = {
  identifiers: 'weft_identifiers',
  audiences: 'weft_audiences',
  fingerprint: 'weft_fingerprint',
} as const;

/** The assembled query, or why there is nothing to serve yet. */
export async function assembledProfilesSql(
  project: Project,
  warehouse: Warehouse,
): Promise<{ sql: string; traits: string[] }> {
  const d = warehouse.dialect;
  const ref = (name: string): RelationRef => ({ schema: project.config.schema, name });
  const map = ref('identity_map');
  if (!(await relationKind(warehouse, map)))
    throw new Error(`${d.qualify(map)} does not exist: run \`weft build\` (with models/identity.yml) first`);
  const profiles = ref('profiles');
  const traits = (await relationKind(warehouse, profiles))
    ? (await relationColumns(warehouse, profiles)).map((c) => c.name).filter((name) => name !== 'profile_id')
    : [];
  const members = audienceMembersRelation(project);
  const hasMembers = (await relationKind(warehouse, members)) === 'table';
  const { identifiers, audiences, fingerprint } = ASSEMBLED_COLUMNS;
  // Aggregated in no particular order (ordering the aggregate costs the most here), hashed with
  // an order-independent sum, so equal sets give equal fingerprints.
  const setHash = (item: string) => {
    const sum = (expr: string) => d.cast(`sum(${d.hashBucket(expr, HASH_RANGE)})`, 'string');
    return `${sum(item)} || ':' || ${sum(`${item} || '#'`)}`;
  };
  const idItem = `id_type || ${d.literal(TYPE_SEPARATOR)} || id_value`;
  const ids = `SELECT profile_id, ${d.stringAgg(idItem, ITEM_SEPARATOR)} AS ${identifiers}, ${setHash(idItem)} AS ids_hash
  FROM ${d.qualify(map)} GROUP BY profile_id`;
  const aud = hasMembers
    ? `SELECT profile_id, ${d.stringAgg('audience', ITEM_SEPARATOR)} AS ${audiences}, ${setHash('audience')} AS aud_hash
  FROM ${d.qualify(members)} GROUP BY profile_id`
    : undefined;
  const traitRefs = traits.map((t) => `p.${d.quoteIdent(t)}`);
  const audRef = aud ? `a.${audiences}` : d.cast('NULL', 'string');
  const hashed = d.rowHash(['i.ids_hash', aud ? 'a.aud_hash' : 'NULL', ...traitRefs]);
  const sql = `SELECT i.profile_id, i.${identifiers}, ${audRef} AS ${audiences}, ${hashed} AS ${fingerprint}${traitRefs.map((t) => `, ${t}`).join('')}
FROM (${ids}) i
${aud ? `LEFT JOIN (${aud}) a ON a.profile_id = i.profile_id` : ''}
${traits.length > 0 ? `LEFT JOIN ${d.qualify(profiles)} p ON p.profile_id = i.profile_id` : ''}`;
  return { sql, traits };
}
