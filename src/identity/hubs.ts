/**
 * Automatic hub detection. A value linked (in one source row) to more than K distinct values of
 * one higher-priority type is a hub: its edges stay as evidence but never merge profiles. An
 * incremental run counts, for the values its new rows link, partners over all processed rows.
 */
import type { RelationRef } from '../warehouse/types.js';
import { type IdentityContext, perTypeCase } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { unionAll, workTable } from './sql.js';

/** Values that become hubs through the new rows. */
export interface HubDelta {
  newHubs: RelationRef;
  newHubCount: number;
}

const PAIR_COLUMNS = ['low_type', 'low_value', 'high_type', 'high_value'].map((name) => ({
  name,
  type: 'string' as const,
}));

/** (low, high) value pairs of usable identifiers sharing a row of `from`, optionally only for `lows` (low_type, low_value, high_type). */
function pairsSql(ctx: IdentityContext, rs: ResolvedSource, from: string, lows?: RelationRef): string[] {
  const { d } = ctx;
  const parts: string[] = [];
  for (const [i, high] of rs.ids.entries()) {
    for (const low of rs.ids.slice(i + 1)) {
      const only = lows
        ? ` AND ${low.norm} IN (SELECT low_value FROM ${ctx.q(lows)} WHERE low_type = ${d.literal(low.type.name)} AND high_type = ${d.literal(high.type.name)})`
        : '';
      parts.push(
        `SELECT ${d.literal(low.type.name)} AS low_type, ${low.norm} AS low_value, ${d.literal(high.type.name)} AS high_type, ${high.norm} AS high_value
         FROM ${from} w WHERE ${high.reason} IS NULL AND ${low.reason} IS NULL${only}`,
      );
    }
  }
  return parts;
}

/** Finds new hubs from the wide tables of the new rows (`full`: they are all the rows). Writes only work tables. */
export async function findHubDelta(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  wides: RelationRef[],
  full: boolean,
): Promise<HubDelta> {
  const fresh = sources.flatMap((rs) => pairsSql(ctx, rs, ctx.q(wides[rs.index] as RelationRef)));
  const threshold = perTypeCase(ctx, 'low_type', (t) => String(t.hubThreshold));
  let all = unionAll(ctx, fresh, PAIR_COLUMNS);
  if (!full) {
    // partners the processed rows already give the values the new rows link
    const lows = await workTable(
      ctx,
      'hub_candidates',
      `SELECT DISTINCT low_type, low_value, high_type FROM (${all}) p`,
    );
    const old = sources.flatMap((rs) => pairsSql(ctx, rs, ctx.q(ctx.state(`src_${rs.index}`)), lows));
    all = unionAll(ctx, [...fresh, ...old], PAIR_COLUMNS);
  }
  const newHubs = await workTable(
    ctx,
    'hubs_new',
    `SELECT low_type AS id_type, low_value AS id_value, max(partners) AS partners, 'hub' AS reason FROM (
       SELECT low_type, low_value, high_type, count(DISTINCT high_value) AS partners FROM (${all}) linked
       GROUP BY low_type, low_value, high_type HAVING count(DISTINCT high_value) > ${threshold}
     ) counted
     WHERE NOT EXISTS (SELECT 1 FROM ${ctx.q(ctx.state('hubs'))} h WHERE h.id_type = counted.low_type AND h.id_value = counted.low_value)
     GROUP BY low_type, low_value`,
  );
  const newHubCount = await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(newHubs)}`);
  return { newHubs, newHubCount };
}

/**
 * A full build's hubs, counted from the distinct pairs shared detection read (findShared's
 * `sh_pairs`: every pair of usable identifiers on a row, the higher-priority one as x) instead
 * of a second pass over every wide row: a value's partners of a higher-priority type are its
 * pairs with one.
 */
export async function hubsFromPairs(ctx: IdentityContext, pairs: RelationRef): Promise<HubDelta> {
  const threshold = perTypeCase(ctx, 'y_type', (t) => String(t.hubThreshold));
  const newHubs = await workTable(
    ctx,
    'hubs_new',
    `SELECT y_type AS id_type, y_value AS id_value, max(partners) AS partners, 'hub' AS reason FROM (
       SELECT y_type, y_value, x_type, count(*) AS partners FROM ${ctx.q(pairs)}
       GROUP BY y_type, y_value, x_type HAVING count(*) > ${threshold}
     ) counted
     WHERE NOT EXISTS (SELECT 1 FROM ${ctx.q(ctx.state('hubs'))} h WHERE h.id_type = counted.y_type AND h.id_value = counted.y_value)
     GROUP BY y_type, y_value`,
  );
  const newHubCount = await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(newHubs)}`);
  return { newHubs, newHubCount };
}

/** Adds the shared values found (`shared`: id_type, id_value, persons) that are not hubs to a full build's delta. */
export async function withShared(
  ctx: IdentityContext,
  delta: HubDelta,
  shared: RelationRef,
): Promise<HubDelta> {
  const h = ctx.q(delta.newHubs);
  const newHubs = await workTable(
    ctx,
    'hubs_all',
    `SELECT id_type, id_value, partners, reason FROM ${h}
     UNION ALL SELECT s.id_type, s.id_value, s.persons AS partners, 'shared' AS reason FROM ${ctx.q(shared)} s
     WHERE NOT EXISTS (SELECT 1 FROM ${h} x WHERE x.id_type = s.id_type AND x.id_value = s.id_value)`,
  );
  return { newHubs, newHubCount: await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(newHubs)}`) };
}

/** Records new hubs in the state. */
export async function commitHubDelta(ctx: IdentityContext, delta: HubDelta): Promise<void> {
  await ctx.run(
    ctx.d.insertSelect(
      ctx.state('hubs'),
      ['id_type', 'id_value', 'partners', 'reason'],
      `SELECT id_type, id_value, partners, reason FROM ${ctx.q(delta.newHubs)}`,
    ),
  );
}
