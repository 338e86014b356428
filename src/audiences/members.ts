/**
 * `<schema>.audience_members(audience, profile_id, split)`: every audience's members as of the
 * last build, one row per (audience, profile), `split` the arm (NULL without splits). The build
 * writes it once from the views; sizes, fingerprints, `weft audience preview` and the profile
 * page read it instead of evaluating every view again. The views stay (syncs read them, and
 * without `as_of` they stay live); this table is a snapshot of the build.
 */
import type { Project } from '../config/types.js';
import type { ColumnDef, Dialect, RelationRef } from '../warehouse/types.js';
import { SPLIT_COLUMN } from './splits.js';

/** The audience name whose view `audience_<name>` would be the members table itself. */
export const RESERVED_AUDIENCE_NAME = 'members';

/** Columns of `audience_members`. */
export const MEMBER_COLUMNS: ColumnDef[] = [
  { name: 'audience', type: 'string' },
  { name: 'profile_id', type: 'string' },
  /** The split arm; NULL for an audience without `splits`. */
  { name: 'split', type: 'string' },
];

/** `<schema>.audience_members`. */
export function audienceMembersRelation(project: Project): RelationRef {
  return { schema: project.config.schema, name: `audience_${RESERVED_AUDIENCE_NAME}` };
}

/** One audience's rows for the members table: its name, and whether its view has a `split` column. */
export interface MemberSource {
  name: string;
  view: RelationRef;
  hasSplits: boolean;
}

/** `SELECT '<name>' AS audience, profile_id, split FROM <view>`, typed like MEMBER_COLUMNS. */
export function memberRowsSql(dialect: Dialect, source: MemberSource): string {
  const split = source.hasSplits ? dialect.quoteIdent(SPLIT_COLUMN) : 'NULL';
  return `SELECT ${dialect.literal(source.name)} AS audience, ${dialect.cast('profile_id', 'string')} AS profile_id, ${dialect.cast(split, 'string')} AS split
FROM ${dialect.qualify(source.view)}
`;
}

/** Largest prime below 2^31: sums of a million such values stay far inside BIGINT. */
const HASH_RANGE = 2_147_483_647;

/**
 * The one aggregate behind sizes and fingerprints: per (audience, split) the member count and
 * two sums of hash values of the profile ids (as text, so no engine rounds them). Summed per
 * audience they give `count:sum1:sum2`, the fingerprint `audience_state` stores (two independent
 * hashes: a membership change goes unnoticed with odds of about 1 in 2^62; a sum does not
 * depend on row order, so equal members give equal fingerprints).
 */
export function measureSql(dialect: Dialect, members: RelationRef): string {
  const id = dialect.cast('profile_id', 'string');
  const sum = (expr: string) => dialect.cast(`coalesce(sum(${expr}), 0)`, 'string');
  return `SELECT audience, split, count(*) AS size, ${sum(dialect.hashBucket(id, HASH_RANGE))} AS hash_a, ${sum(dialect.hashBucket(`${id} || '#'`, HASH_RANGE))} AS hash_b
FROM ${dialect.qualify(members)}
GROUP BY audience, split
`;
}
