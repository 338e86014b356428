/**
 * Automatic hub detection. A value linked (in one source row) to more than K distinct values of
 * one higher-priority type is a hub: its edges stay as evidence but never merge profiles.
 * Co-occurring pairs are kept in state so a later run only counts what its new rows add.
 */
import type { RelationRef } from '../warehouse/types.js';
import { type IdentityContext, perTypeCase } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { unionAll, workTable } from './sql.js';
import { STATE_TABLES } from './tables.js';

/** Pairs the new rows add (not yet in state) and values that become hubs through them. */
export interface HubDelta {
  freshPairs: RelationRef;
  newHubs: RelationRef;
  newHubCount: number;
}

/** Finds pairs and new hubs from the wide tables of the new rows. Writes only work tables. */
export async function findHubDelta(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  wides: RelationRef[],
): Promise<HubDelta> {
  const { d } = ctx;
  const parts: string[] = [];
  for (const rs of sources) {
    const wide = wides[rs.index] as RelationRef;
    for (const [i, high] of rs.ids.entries()) {
      for (const low of rs.ids.slice(i + 1)) {
        parts.push(
          `SELECT ${d.literal(low.type.name)} AS low_type, ${low.norm} AS low_value, ${d.literal(high.type.name)} AS high_type, ${high.norm} AS high_value FROM ${ctx.q(wide)} WHERE ${high.reason} IS NULL AND ${low.reason} IS NULL`,
        );
      }
    }
  }
  const statePairs = ctx.q(ctx.state('pairs'));
  const all = unionAll(ctx, parts, STATE_TABLES.pairs ?? []);
  const freshPairs = await workTable(
    ctx,
    'pairs_fresh',
    `SELECT DISTINCT low_type, low_value, high_type, high_value FROM (${all}) p
     WHERE NOT EXISTS (SELECT 1 FROM ${statePairs} s WHERE s.low_type = p.low_type AND s.low_value = p.low_value AND s.high_type = p.high_type AND s.high_value = p.high_value)`,
  );
  const fresh = ctx.q(freshPairs);
  const threshold = perTypeCase(ctx, 'low_type', (t) => String(t.hubThreshold));
  const newHubs = await workTable(
    ctx,
    'hubs_new',
    `SELECT low_type AS id_type, low_value AS id_value, max(partners) AS partners FROM (
       SELECT low_type, low_value, high_type, count(*) AS partners FROM (
         SELECT low_type, low_value, high_type FROM ${fresh}
         UNION ALL
         SELECT s.low_type, s.low_value, s.high_type FROM ${statePairs} s
         WHERE EXISTS (SELECT 1 FROM ${fresh} f WHERE f.low_type = s.low_type AND f.low_value = s.low_value AND f.high_type = s.high_type)
       ) linked GROUP BY low_type, low_value, high_type HAVING count(*) > ${threshold}
     ) counted
     WHERE NOT EXISTS (SELECT 1 FROM ${ctx.q(ctx.state('hubs'))} h WHERE h.id_type = counted.low_type AND h.id_value = counted.low_value)
     GROUP BY low_type, low_value`,
  );
  const newHubCount = await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(newHubs)}`);
  return { freshPairs, newHubs, newHubCount };
}

/** Records the delta in state: fresh pairs and new hubs. */
export async function commitHubDelta(ctx: IdentityContext, delta: HubDelta): Promise<void> {
  await ctx.run(
    ctx.d.insertSelect(
      ctx.state('pairs'),
      ['low_type', 'low_value', 'high_type', 'high_value'],
      `SELECT low_type, low_value, high_type, high_value FROM ${ctx.q(delta.freshPairs)}`,
    ),
  );
  await ctx.run(
    ctx.d.insertSelect(
      ctx.state('hubs'),
      ['id_type', 'id_value', 'partners'],
      `SELECT id_type, id_value, partners FROM ${ctx.q(delta.newHubs)}`,
    ),
  );
}
