/**
 * profile_merges: what happened to previous profiles. For each previous profile whose members
 * now carry another id: 'split' when its members went to several profiles (one row per new
 * profile other than its own id), 'merge' when they all joined one profile that also holds
 * other previous profiles' members, 'rekey' otherwise (late, older data moved the anchor).
 */
import type { RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import { releasePreviousMapSql } from './previous-map.js';
import { workTable } from './sql.js';

/** Counts of the rows written. */
export interface MergeCounts {
  merges: number;
  splits: number;
}

/** Appends to profile_merges the changes between `previous` and `current` (id_type, id_value, profile_id). */
export async function recordMerges(
  ctx: IdentityContext,
  previous: RelationRef,
  current: RelationRef,
  at: Date,
): Promise<MergeCounts> {
  const moves = await workTable(
    ctx,
    'moves',
    `SELECT p.profile_id AS old_id, c.profile_id AS new_id, count(*) AS members
     FROM ${ctx.q(previous)} p JOIN ${ctx.q(current)} c ON c.id_type = p.id_type AND c.id_value = p.id_value
     GROUP BY p.profile_id, c.profile_id`,
  );
  const mv = ctx.q(moves);
  const changes = await workTable(
    ctx,
    'merge_rows',
    `SELECT m.old_id AS old_profile_id, m.new_id AS new_profile_id,
       CASE WHEN o.targets > 1 THEN 'split' WHEN t.sources > 1 THEN 'merge' ELSE 'rekey' END AS reason
     FROM ${mv} m
     JOIN (SELECT old_id, count(*) AS targets FROM ${mv} GROUP BY old_id) o ON o.old_id = m.old_id
     JOIN (SELECT new_id, count(*) AS sources FROM ${mv} GROUP BY new_id) t ON t.new_id = m.new_id
     WHERE m.old_id <> m.new_id`,
  );
  const cq = ctx.q(changes);
  // The merges and the release of the kept previous map commit together: a kill before leaves
  // the map for the next build to compare against, a kill after leaves nothing to record twice.
  await ctx.warehouse.transaction(async () => {
    await ctx.run(
      ctx.d.insertSelect(
        ctx.out('profile_merges'),
        ['old_profile_id', 'new_profile_id', 'reason', 'at'],
        `SELECT old_profile_id, new_profile_id, reason, ${ctx.d.literal(at)} FROM ${cq}`,
      ),
    );
    await ctx.run(releasePreviousMapSql(ctx));
  });
  const rows = await ctx.warehouse.query<{ reason: string; n: unknown }>(
    `SELECT reason, count(*) AS n FROM ${cq} GROUP BY reason`,
  );
  const count = (reason: string) => Number(rows.find((r) => r.reason === reason)?.n ?? 0);
  return { merges: count('merge'), splits: count('split') };
}
