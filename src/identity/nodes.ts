/**
 * Nodes: used identifiers (not excluded, not hubs) with an integer id. Ids of known nodes never
 * change; new ones are numbered after the largest. A new node starts as its own component
 * (label = its id). Ids are internal: nothing the build outputs depends on their order.
 */
import type { RelationRef } from '../warehouse/types.js';
import { type IdentityContext, perTypeCase } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { unionAll, workTable } from './sql.js';

/** Order of node age: the component's minimum in this order is its anchor (stable profile id). */
export const AGE_ORDER = 'first_seen_at NULLS LAST, priority, id_type, id_value';

/**
 * The identifiers seen in the new rows with their node ids, merged first/last seen and current
 * label (work `nodes_touched`; the state is written after components, see relabel.ts).
 */
export async function touchedNodes(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  flagged: string[],
  full: boolean,
): Promise<RelationRef> {
  const { d } = ctx;
  const parts = sources.flatMap((rs) =>
    rs.ids.map(
      (id) =>
        `SELECT ${d.literal(id.type.name)} AS id_type, ${id.norm} AS id_value, seen_at FROM (${flagged[rs.index]}) f
         WHERE ${id.reason} IS NULL AND NOT ${id.hub}`,
    ),
  );
  const state = ctx.q(ctx.state('nodes'));
  const priority = perTypeCase(ctx, 's.id_type', (t) => String(t.priority));
  const next = await ctx.count(`SELECT coalesce(max(node_id), 0) AS n FROM ${state}`);
  // A fresh build numbers in any order (ids are internal: anchors use AGE_ORDER explicitly),
  // which spares a sort of every identifier; later runs number new nodes by age.
  const order = full
    ? ''
    : `PARTITION BY n.node_id IS NULL ORDER BY s.first_seen_at NULLS LAST, ${priority}, s.id_type, s.id_value`;
  return workTable(
    ctx,
    'nodes_touched',
    `SELECT node_id, id_type, id_value, priority, first_seen_at, last_seen_at, coalesce(old_label, node_id) AS label FROM (
     SELECT coalesce(n.node_id, ${next} + row_number() OVER (${order})) AS node_id,
       s.id_type, s.id_value, ${priority} AS priority,
       CASE WHEN n.first_seen_at IS NULL OR s.first_seen_at < n.first_seen_at THEN s.first_seen_at ELSE n.first_seen_at END AS first_seen_at,
       CASE WHEN n.last_seen_at IS NULL OR s.last_seen_at > n.last_seen_at THEN s.last_seen_at ELSE n.last_seen_at END AS last_seen_at,
       n.label AS old_label
     FROM (SELECT id_type, id_value, min(seen_at) AS first_seen_at, max(seen_at) AS last_seen_at
           FROM (${unionAll(ctx, parts, [])}) o GROUP BY id_type, id_value) s
     LEFT JOIN ${state} n ON n.id_type = s.id_type AND n.id_value = s.id_value) t`,
  );
}
