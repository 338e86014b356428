/**
 * The identity_map a build started from, kept in the state schema (`prev_map`) until the build's
 * merges and splits are in profile_merges, so a build killed in between (kill -9 during
 * identity) loses no history: the next build compares against this map instead of the half
 * rewritten identity_map. Full builds keep the whole map (the outputs are reset); incremental
 * builds keep the previous rows of the identifiers they touch (a NULL profile for an identifier
 * that is new). The table is emptied in the same transaction that appends the merges.
 */
import { relationKind } from '../build/relations.js';
import type { RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import { workTable } from './sql.js';

const NAME = 'prev_map';

const EMPTY = `SELECT CAST(NULL AS VARCHAR) AS id_type, CAST(NULL AS VARCHAR) AS id_value, CAST(NULL AS VARCHAR) AS profile_id WHERE 1 = 0`;

/** Whether an interrupted build left its starting map behind (rows in the kept table). */
async function pending(ctx: IdentityContext): Promise<boolean> {
  if ((await relationKind(ctx.warehouse, ctx.state(NAME))) !== 'table') return false;
  return (await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(ctx.state(NAME))}`)) > 0;
}

/**
 * Full builds, before the outputs are reset: the map of the last finished build, persisted. After
 * an interruption that is the kept map, with the current map's rows for identifiers it does not
 * hold (rows the interrupted build had not touched, or its new identifiers).
 */
export async function keepFullPreviousMap(ctx: IdentityContext, hadMap: boolean): Promise<RelationRef> {
  const ref = ctx.state(NAME);
  const map = ctx.q(ctx.out('identity_map'));
  if (!(await pending(ctx))) {
    await ctx.run(
      ctx.d.createTableAs(ref, hadMap ? `SELECT id_type, id_value, profile_id FROM ${map}` : EMPTY),
    );
    return ref;
  }
  const kept = ctx.q(ref);
  const current = hadMap
    ? `\nUNION ALL SELECT m.id_type, m.id_value, m.profile_id FROM ${map} m
       WHERE NOT EXISTS (SELECT 1 FROM ${kept} k WHERE k.id_type = m.id_type AND k.id_value = m.id_value)`
    : '';
  const merged = await workTable(
    ctx,
    'prev_map_merged',
    `SELECT id_type, id_value, profile_id FROM ${kept} WHERE profile_id IS NOT NULL${current}`,
  );
  await ctx.run(ctx.d.createTableAs(ref, `SELECT id_type, id_value, profile_id FROM ${ctx.q(merged)}`));
  return ref;
}

/** Incremental builds, before identity_map changes: the previous rows of the identifiers in `current`. */
export async function keepAffectedPreviousMap(ctx: IdentityContext, current: RelationRef): Promise<void> {
  await ctx.run(
    ctx.d.createTableAs(
      ctx.state(NAME),
      `SELECT c.id_type, c.id_value, p.profile_id FROM ${ctx.q(current)} c
       LEFT JOIN ${ctx.q(ctx.out('identity_map'))} p ON p.id_type = c.id_type AND p.id_value = c.id_value`,
    ),
  );
}

/**
 * Empties the kept map (run in the transaction that appends the merges; a DELETE, not a DROP:
 * some engines allow no DDL in a transaction). An empty table means nothing is pending.
 */
export function releasePreviousMapSql(ctx: IdentityContext): string {
  return `DELETE FROM ${ctx.q(ctx.state(NAME))}`;
}
