/**
 * Nodes: used identifiers (not excluded, not hubs) with an integer id. Ids of known nodes never
 * change; new ones are numbered after the largest in (first seen, priority, value) order, so a
 * fresh build numbers nodes by age. A new node starts as its own component (label = its id).
 */
import type { RelationRef } from '../warehouse/types.js';
import { type IdentityContext, perTypeCase } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { replaceMatching, unionAll, workTable } from './sql.js';
import { STATE_TABLES } from './tables.js';

/** Order of node age: the component's minimum in this order is its anchor (stable profile id). */
export const AGE_ORDER = 'first_seen_at NULLS LAST, priority, id_type, id_value';

/** Upserts the identifiers seen in the new rows into the state's nodes; returns the touched nodes (work `nodes_touched`). */
export async function upsertNodes(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  flagged: RelationRef[],
): Promise<RelationRef> {
  const { d } = ctx;
  const parts = sources.flatMap((rs) =>
    rs.ids.map(
      (id) =>
        `SELECT ${d.literal(id.type.name)} AS id_type, ${id.norm} AS id_value, seen_at FROM ${ctx.q(flagged[rs.index] as RelationRef)}
         WHERE ${id.reason} IS NULL AND NOT ${id.hub}`,
    ),
  );
  const state = ctx.q(ctx.state('nodes'));
  const priority = perTypeCase(ctx, 's.id_type', (t) => String(t.priority));
  const seen = await workTable(
    ctx,
    'nodes_seen',
    `SELECT id_type, id_value, min(seen_at) AS first_seen_at, max(seen_at) AS last_seen_at FROM (${unionAll(ctx, parts, [])}) o GROUP BY id_type, id_value`,
  );
  const seenQ = ctx.q(seen);
  const next = await ctx.count(`SELECT coalesce(max(node_id), 0) AS n FROM ${state}`);
  const touched = await workTable(
    ctx,
    'nodes_touched',
    `SELECT coalesce(n.node_id, ${next} + row_number() OVER (PARTITION BY n.node_id IS NULL ORDER BY
         s.first_seen_at NULLS LAST, ${priority}, s.id_type, s.id_value)) AS node_id,
       s.id_type, s.id_value, ${priority} AS priority,
       CASE WHEN n.first_seen_at IS NULL OR s.first_seen_at < n.first_seen_at THEN s.first_seen_at ELSE n.first_seen_at END AS first_seen_at,
       CASE WHEN n.last_seen_at IS NULL OR s.last_seen_at > n.last_seen_at THEN s.last_seen_at ELSE n.last_seen_at END AS last_seen_at,
       n.label AS old_label
     FROM ${seenQ} s LEFT JOIN ${state} n ON n.id_type = s.id_type AND n.id_value = s.id_value`,
  );
  const upsert = await workTable(
    ctx,
    'nodes_upsert',
    `SELECT node_id, id_type, id_value, priority, first_seen_at, last_seen_at, coalesce(old_label, node_id) AS label FROM ${ctx.q(touched)}`,
  );
  await replaceMatching(ctx, ctx.state('nodes'), upsert, ['node_id'], STATE_TABLES.nodes ?? []);
  return touched;
}
