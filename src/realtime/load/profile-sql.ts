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
  firstSeen: 'weft_first_seen_at',
} as const;

/** What a load reads: the fingerprints of every profile, and the assembled rows of some. */
export interface AssembledProfilesSql {
  /** One row per profile: `profile_id`, `weft_fingerprint` (no text assembled: cheap over all). */
  fingerprints: string;
  /**
   * The assembled rows (identifiers, first seen, audiences, fingerprint, traits), of every
   * profile or, with `only` (SQL selecting `profile_id`s), of those alone: an incremental load
   * assembles only what changed.
   */
  rows(only?: string): string;
  /** The trait columns the rows carry. */
  traits: string[];
}

/** The load's queries, or why there is nothing to serve yet. */
export async function assembledProfilesSql(
  project: Project,
  warehouse: Warehouse,
): Promise<AssembledProfilesSql> {
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
  const { identifiers, audiences, fingerprint, firstSeen } = ASSEMBLED_COLUMNS;
  // Hashed with an order-independent sum, so equal sets give equal fingerprints. The engine's own
  // fast hash where it has one (DuckDB hash(): a version that changes it makes every profile look
  // changed once, and that load is a full one); elsewhere two 31-bit buckets of SHA-256.
  const fast = d.fastRowHash?.bind(d);
  const setHash = (item: string) => {
    if (fast) return d.cast(`sum(${fast([item])})`, 'string');
    const sum = (expr: string) => d.cast(`sum(${d.hashBucket(expr, HASH_RANGE)})`, 'string');
    return `${sum(item)} || ':' || ${sum(`${item} || '#'`)}`;
  };
  const rowHash = (exprs: string[]) =>
    fast
      ? d.cast(fast(exprs.map((e) => `coalesce('=' || ${d.cast(e, 'string')}, '~')`)), 'string')
      : d.rowHash(exprs);
  const idItem = `id_type || ${d.literal(TYPE_SEPARATOR)} || id_value`;
  const where = (only?: string) => (only ? ` WHERE profile_id IN (${only})` : '');
  const ids = (
    text: boolean,
    only?: string,
  ) => `SELECT profile_id${text ? `, ${d.stringAgg(idItem, ITEM_SEPARATOR)} AS ${identifiers}` : ''}, ${setHash(idItem)} AS ids_hash,
  min(first_seen_at) AS ${firstSeen}
  FROM ${d.qualify(map)}${where(only)} GROUP BY profile_id`;
  const aud = (text: boolean, only?: string) =>
    hasMembers
      ? `SELECT profile_id${text ? `, ${d.stringAgg('audience', ITEM_SEPARATOR)} AS ${audiences}` : ''}, ${setHash('audience')} AS aud_hash
  FROM ${d.qualify(members)}${where(only)} GROUP BY profile_id`
      : undefined;
  const traitRefs = traits.map((t) => `p.${d.quoteIdent(t)}`);
  // first seen: the age live identity compares when it stitches loaded profiles (src/realtime/live)
  const hashed = rowHash(['i.ids_hash', `i.${firstSeen}`, hasMembers ? 'a.aud_hash' : 'NULL', ...traitRefs]);
  const from = (text: boolean, only?: string) => `FROM (${ids(text, only)}) i
${hasMembers ? `LEFT JOIN (${aud(text, only)}) a ON a.profile_id = i.profile_id` : ''}
${traits.length > 0 ? `LEFT JOIN ${d.qualify(profiles)} p ON p.profile_id = i.profile_id` : ''}`;
  const audRef = hasMembers ? `a.${audiences}` : d.cast('NULL', 'string');
  return {
    fingerprints: `SELECT i.profile_id, ${hashed} AS ${fingerprint}\n${from(false)}`,
    rows: (only) =>
      `SELECT i.profile_id, i.${identifiers}, i.${firstSeen}, ${audRef} AS ${audiences}, ${hashed} AS ${fingerprint}${traitRefs.map((t) => `, ${t}`).join('')}\n${from(true, only)}`,
    traits,
  };
}
