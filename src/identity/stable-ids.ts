/**
 * Stable profile ids: a group's profile id is a hash of its oldest identifier (first seen, then
 * type priority, then value), so identifiers joining later leave it alone, the older profile of
 * a merge keeps its id, and the part of a split that holds the anchor keeps it. The same on
 * every engine: the first 32 hex characters of SHA-256 over `type:value`.
 */
import type { Dialect, RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import { AGE_ORDER } from './nodes.js';
import { workTable } from './sql.js';

/** Characters of the SHA-256 hex kept as the profile id. */
export const PROFILE_ID_LENGTH = 32;

/** SQL for the profile id of an identifier (type and value expressions). */
export function profileIdExpr(d: Dialect, idType: string, idValue: string): string {
  return d.substring(d.sha256(`${idType} || ':' || ${idValue}`), 1, PROFILE_ID_LENGTH);
}

/** Work table `profiles_new` (id_type, id_value, profile_id, first_seen_at, last_seen_at) for the affected nodes. */
export async function assignProfileIds(
  ctx: IdentityContext,
  affected: RelationRef,
  groups: RelationRef,
): Promise<RelationRef> {
  const grouped = `SELECT n.id_type, n.id_value, n.priority, n.first_seen_at, n.last_seen_at, g.grp
    FROM ${ctx.q(affected)} n JOIN ${ctx.q(groups)} g ON g.node_id = n.node_id`;
  const anchors = `SELECT grp, ${profileIdExpr(ctx.d, 'id_type', 'id_value')} AS profile_id FROM (
      SELECT grp, id_type, id_value, row_number() OVER (PARTITION BY grp ORDER BY ${AGE_ORDER}) AS nth FROM (${grouped}) x
    ) r WHERE nth = 1`;
  return workTable(
    ctx,
    'profiles_new',
    `SELECT x.id_type, x.id_value, a.profile_id, x.first_seen_at, x.last_seen_at
     FROM (${grouped}) x JOIN (${anchors}) a ON a.grp = x.grp`,
  );
}
