/**
 * Star edges per source row: the row's anchor (its highest-priority usable identifier, a non-hub
 * one when there is any) linked to each other usable identifier. Evidence is aggregated per
 * (source, a, b): first/last seen, row count and one row key (the smallest) to look at.
 */
import type { RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { appendTo, replaceMatching, unionAll, workTable } from './sql.js';
import { STATE_TABLES } from './tables.js';

const EDGE_KEYS = ['source', 'a_type', 'a_value', 'b_type', 'b_value'];
const EDGE_COLUMNS =
  'source, a_type, a_value, b_type, b_value, row_key, first_seen_at, last_seen_at, row_count, hub';

/** The flagged rows of a source with `anchor_p`, `a_type`, `a_value`, `a_hub` for the row's anchor. */
export function anchoredSql(ctx: IdentityContext, rs: ResolvedSource, flagged: string): string {
  const { d } = ctx;
  const pick = [
    ...rs.ids.map((id) => `WHEN ${id.reason} IS NULL AND NOT ${id.hub} THEN ${id.type.priority}`),
    ...rs.ids.map((id) => `WHEN ${id.reason} IS NULL THEN ${id.type.priority}`),
  ];
  const by = (f: (id: (typeof rs.ids)[number]) => string) =>
    `CASE anchor_p ${rs.ids.map((id) => `WHEN ${id.type.priority} THEN ${f(id)}`).join(' ')} END`;
  return `SELECT a.*, ${by((id) => d.literal(id.type.name))} AS a_type, ${by((id) => id.norm)} AS a_value, ${by((id) => id.hub)} AS a_hub
    FROM (SELECT f.*, CASE ${pick.join(' ')} END AS anchor_p FROM (${flagged}) f) a`;
}

/**
 * Aggregated star edges of the new rows: work table `edges_new`; on a full build (`full`: the
 * state's edges were just reset, empty) straight into the state's edges, which it returns, sparing
 * a copy of every edge (they are the same rows).
 */
export async function newEdges(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  flagged: string[],
  full = false,
): Promise<RelationRef> {
  const { d } = ctx;
  const parts: string[] = [];
  for (const rs of sources) {
    if (rs.ids.length < 2) continue;
    const anchored = anchoredSql(ctx, rs, flagged[rs.index] as string);
    for (const id of rs.ids) {
      parts.push(
        `SELECT ${d.literal(rs.source.from)} AS source, row_key, seen_at, a_type, a_value, a_hub, ${d.literal(id.type.name)} AS b_type, ${id.norm} AS b_value, ${id.hub} AS b_hub
         FROM (${anchored}) x WHERE ${id.reason} IS NULL AND anchor_p <> ${id.type.priority}`,
      );
    }
  }
  const empty = [
    { name: 'source', type: 'string' as const },
    { name: 'row_key', type: 'string' as const },
    { name: 'seen_at', type: 'timestamp' as const },
    { name: 'a_type', type: 'string' as const },
    { name: 'a_value', type: 'string' as const },
    { name: 'a_hub', type: 'boolean' as const },
    { name: 'b_type', type: 'string' as const },
    { name: 'b_value', type: 'string' as const },
    { name: 'b_hub', type: 'boolean' as const },
  ];
  const aggregated = `SELECT source, a_type, a_value, b_type, b_value, min(row_key) AS row_key, min(seen_at) AS first_seen_at,
       max(seen_at) AS last_seen_at, count(*) AS row_count, (a_hub OR b_hub) AS hub
     FROM (${unionAll(ctx, parts, empty)}) e GROUP BY source, a_type, a_value, b_type, b_value, a_hub, b_hub`;
  if (!full) return workTable(ctx, 'edges_new', aggregated);
  await appendTo(
    ctx,
    ctx.state('edges'),
    STATE_TABLES.edges ?? [],
    `SELECT ${EDGE_COLUMNS} FROM (${aggregated}) a`,
  );
  return ctx.state('edges');
}

/**
 * Merges the new edges' evidence into the state's edges (min/max/sum with what was there).
 * Returns the state rows this wrote: the state itself for a full build (newEdges already wrote
 * them there), else work `edges_merged`.
 */
export async function mergeEdgesIntoState(
  ctx: IdentityContext,
  fresh: RelationRef,
  full: boolean,
): Promise<RelationRef> {
  const cols = EDGE_COLUMNS;
  if (full) return ctx.state('edges');
  const state = ctx.q(ctx.state('edges'));
  const merged = await workTable(
    ctx,
    'edges_merged',
    `SELECT source, a_type, a_value, b_type, b_value, min(row_key) AS row_key, min(first_seen_at) AS first_seen_at,
       max(last_seen_at) AS last_seen_at, sum(row_count) AS row_count, hub
     FROM (SELECT ${cols} FROM ${ctx.q(fresh)}
       UNION ALL SELECT ${cols
         .split(', ')
         .map((c) => `s.${c}`)
         .join(', ')} FROM ${state} s
       WHERE EXISTS (SELECT 1 FROM ${ctx.q(fresh)} f WHERE ${EDGE_KEYS.map((k) => `f.${k} = s.${k}`).join(' AND ')})) e
     GROUP BY source, a_type, a_value, b_type, b_value, hub`,
  );
  await replaceMatching(ctx, ctx.state('edges'), merged, EDGE_KEYS, STATE_TABLES.edges ?? []);
  return merged;
}

export { EDGE_KEYS };
