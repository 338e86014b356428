/**
 * The SQL that assembles what the serving store holds, one row per profile: its identifiers
 * (identity_map), traits (the `profiles` row) and audiences (`audience_members`), plus a
 * fingerprint of all of it computed by the warehouse, so a load can tell which profiles changed
 * without assembling them. Every profile with an identifier is served; one without a `profiles`
 * row (no profiles.yml yet) has no traits.
 */

import { createHash } from 'node:crypto';
import { audienceMembersRelation } from '../../audiences/members.js';
import { relationColumns, relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { fastHashOf } from '../../sync/planner/fast-hash.js';
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
  firstSeen: 'weft_first_seen_at',
} as const;

/** What a load reads: the fingerprints of every profile, and the assembled rows of some. */
export interface AssembledProfilesSql {
  /** One row per served profile: `profile_id`, `fingerprint` (text; no text assembled: cheap over all). */
  fingerprints: string;
  /**
   * What the fingerprints depend on besides the rows: the hash function (the engine's fast hash
   * changes with its version) and the trait columns with their types (a value hashes alike
   * as INTEGER and as TEXT, but is served differently). Fingerprints of another shape are not
   * comparable: the load is then a full one.
   */
  shape: string;
  /**
   * The assembled rows (identifiers, first seen, audiences, traits), of every profile or, with
   * `only` (SQL selecting `profile_id`s), of those alone: an incremental load assembles only
   * what changed.
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
  const columns = (await relationKind(warehouse, profiles))
    ? (await relationColumns(warehouse, profiles)).filter((c) => c.name !== 'profile_id')
    : [];
  const traits = columns.map((c) => c.name);
  const members = audienceMembersRelation(project);
  const hasMembers = (await relationKind(warehouse, members)) === 'table';
  const fast = await fastHashOf(warehouse);
  const { identifiers, audiences, firstSeen } = ASSEMBLED_COLUMNS;
  const traitRefs = traits.map((t) => `p.${d.quoteIdent(t)}`);
  const shape = createHash('sha256')
    .update(JSON.stringify({ v: 2, hash: fast?.scheme ?? 'md5', columns, hasMembers }))
    .digest('hex')
    .slice(0, 16);
  return {
    fingerprints: fingerprintsSql(warehouse, fast?.expr, {
      map: d.qualify(map),
      members: hasMembers ? d.qualify(members) : undefined,
      profiles: traits.length > 0 ? d.qualify(profiles) : undefined,
      traits: traits.map((t) => d.quoteIdent(t)),
    }),
    shape,
    rows: (only) => {
      const where = only ? ` WHERE profile_id IN (${only})` : '';
      const idItem = `id_type || ${d.literal(TYPE_SEPARATOR)} || id_value`;
      const ids = `SELECT profile_id, ${d.stringAgg(idItem, ITEM_SEPARATOR)} AS ${identifiers},
  min(first_seen_at) AS ${firstSeen}
  FROM ${d.qualify(map)}${where} GROUP BY profile_id`;
      const aud = `SELECT profile_id, ${d.stringAgg('audience', ITEM_SEPARATOR)} AS ${audiences}
  FROM ${d.qualify(members)}${where} GROUP BY profile_id`;
      const audRef = hasMembers ? `a.${audiences}` : d.cast('NULL', 'string');
      return `SELECT i.profile_id, i.${identifiers}, i.${firstSeen}, ${audRef} AS ${audiences}${traitRefs.map((t) => `, ${t}`).join('')}
FROM (${ids}) i
${hasMembers ? `LEFT JOIN (${aud}) a ON a.profile_id = i.profile_id` : ''}
${traits.length > 0 ? `LEFT JOIN ${d.qualify(profiles)} p ON p.profile_id = i.profile_id` : ''}`;
    },
    traits,
  };
}

/** The tables a fingerprint covers (qualified), and the trait columns (quoted). */
interface FingerprintSources {
  map: string;
  members: string | undefined;
  profiles: string | undefined;
  traits: string[];
}

/**
 * One pass: every source row hashed on its own (tagged by its table), the hashes summed per
 * profile in one aggregate. A sum does not depend on row order, so equal sets give equal
 * fingerprints, and the rows of the three tables are never joined or assembled as text. An
 * identifier row's hash covers its first-seen time, so the served `first_seen_at` (their minimum)
 * is covered too. Only profiles with an identifier (a row tagged 1) are served.
 */
function fingerprintsSql(
  warehouse: Warehouse,
  fast: ((exprs: string[]) => string) | undefined,
  sources: FingerprintSources,
): string {
  const d = warehouse.dialect;
  const branch = (tag: string, exprs: string[], from: string, served: 0 | 1) => {
    const values = [d.literal(tag), ...exprs];
    // The engine's own hash on the typed values (a NULL hashes apart from every value); elsewhere
    // two 31-bit buckets of SHA-256 over the row's text digest.
    const hashes = fast
      ? `${fast(values)} AS h1`
      : `${d.hashBucket(d.rowHash(values), HASH_RANGE)} AS h1, ${d.hashBucket(`${d.rowHash(values)} || '#'`, HASH_RANGE)} AS h2`;
    return `SELECT profile_id, ${hashes}, ${served} AS served FROM ${from}`;
  };
  const branches = [branch('i', ['id_type', 'id_value', 'first_seen_at'], sources.map, 1)];
  if (sources.members) branches.push(branch('a', ['audience'], sources.members, 0));
  if (sources.profiles) branches.push(branch('p', sources.traits, sources.profiles, 0));
  const sum = (column: string) => d.cast(`sum(${column})`, 'string');
  const fingerprint = fast ? sum('h1') : `${sum('h1')} || ':' || ${sum('h2')}`;
  return `SELECT profile_id, ${fingerprint} AS fingerprint
FROM (${branches.join('\nUNION ALL ')}) x
GROUP BY profile_id HAVING max(served) = 1`;
}
