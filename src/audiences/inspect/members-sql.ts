/**
 * The two queries `weft audience preview` runs over `audience_members` (the last build's
 * members), when that table exists.
 */

import type { Dialect, RelationRef } from '../../warehouse/types.js';
import { SPLIT_COLUMN } from '../splits.js';

/** What the preview queries read. */
export interface MembersPreviewInput {
  members: RelationRef;
  /** The previewed audience. */
  target: string;
  /** The other audiences to compare it with (built ones). */
  others: string[];
}

/**
 * Size, arms and overlaps in one query: per (audience, split) of the target and the others,
 * `size` = members and `overlap` = how many of them are in the target (a self-join on
 * profile_id). The target's own rows give its size (overlap = size) and its arms.
 */
export function membersOverlapSql(dialect: Dialect, input: MembersPreviewInput): string {
  const members = dialect.qualify(input.members);
  const names = [input.target, ...input.others].map((name) => dialect.literal(name)).join(', ');
  return `SELECT o.audience, o.split, count(*) AS size, count(t.profile_id) AS overlap
FROM ${members} AS o
LEFT JOIN (SELECT DISTINCT profile_id FROM ${members} WHERE audience = ${dialect.literal(input.target)}) AS t
  ON t.profile_id = o.profile_id
WHERE o.audience IN (${names})
GROUP BY o.audience, o.split
`;
}

/**
 * Up to `limit` members of `target` (ordered by profile id) with the view's `columns`: the
 * first `limit` ids from the members table, their traits from `profiles`, `split` from the
 * members table when `hasSplits`. Evaluates no audience view.
 */
export function membersSampleSql(
  dialect: Dialect,
  input: {
    members: RelationRef;
    profiles: RelationRef;
    target: string;
    columns: string[];
    hasSplits: boolean;
    limit: number;
  },
): string {
  const select = input.columns.map((column) => {
    if (column === 'profile_id') return 'm.profile_id';
    const quoted = dialect.quoteIdent(column);
    return input.hasSplits && column === SPLIT_COLUMN ? `m.split AS ${quoted}` : `p.${quoted}`;
  });
  return `SELECT ${select.join(', ')}
FROM (
  SELECT profile_id, split FROM ${dialect.qualify(input.members)}
  WHERE audience = ${dialect.literal(input.target)}
  ORDER BY profile_id LIMIT ${input.limit}
) AS m
LEFT JOIN ${dialect.qualify(input.profiles)} AS p ON p.profile_id = m.profile_id
ORDER BY m.profile_id
`;
}
