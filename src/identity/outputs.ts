/**
 * Writes the output tables for what this build touched: occurrences and processed rows of the
 * new source rows, identity_map for the affected identifiers, identity_edges and identity_rows
 * wherever a profile id changed. A full build touches everything.
 */
import type { RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import { EDGE_KEYS } from './edges.js';
import type { ResolvedSource } from './source-columns.js';
import { appendTo, replaceMatching, unionAll, workTable } from './sql.js';
import { OUTPUT_TABLES, STATE_TABLES } from './tables.js';

/** Appends the new rows' occurrences and records the rows as processed. */
export async function appendOccurrences(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  wides: RelationRef[],
  flagged: string[],
): Promise<void> {
  const { d } = ctx;
  const parts = sources.flatMap((rs) =>
    rs.ids.map(
      (id) =>
        `SELECT ${d.literal(rs.source.from)} AS source, row_key, ${d.literal(id.type.name)} AS id_type, ${id.norm} AS id_value,
           ${id.raw} AS raw_value, seen_at, CASE WHEN ${id.reason} IS NULL AND ${id.hub} THEN 'hub' ELSE ${id.reason} END AS excluded_reason
         FROM (${flagged[rs.index]}) f WHERE ${id.raw} IS NOT NULL`,
    ),
  );
  const occurrences = OUTPUT_TABLES.identity_occurrences ?? [];
  await appendTo(ctx, ctx.out('identity_occurrences'), occurrences, unionAll(ctx, parts, occurrences));
  const rows = sources.map(
    (rs) =>
      `SELECT ${d.literal(rs.source.from)} AS source, row_key, seen_at, fingerprint FROM ${ctx.q(wides[rs.index] as RelationRef)}`,
  );
  await appendTo(
    ctx,
    ctx.state('rows'),
    STATE_TABLES.rows ?? [],
    unionAll(ctx, rows, STATE_TABLES.rows ?? []),
  );
}

/** Previous map rows of the affected identifiers (from `previousMap`, the map before this build). */
export function previousProfiles(
  ctx: IdentityContext,
  previousMap: RelationRef,
  current: RelationRef,
): Promise<RelationRef> {
  return workTable(
    ctx,
    'prev',
    `SELECT p.id_type, p.id_value, p.profile_id FROM ${ctx.q(previousMap)} p
     WHERE EXISTS (SELECT 1 FROM ${ctx.q(current)} c WHERE c.id_type = p.id_type AND c.id_value = p.id_value)`,
  );
}

/** Replaces the affected identifiers' map rows; returns identifiers whose profile id is new or changed (work `changed`). */
export async function updateMap(
  ctx: IdentityContext,
  current: RelationRef,
  previous: RelationRef,
): Promise<RelationRef> {
  await replaceMatching(
    ctx,
    ctx.out('identity_map'),
    current,
    ['id_type', 'id_value'],
    OUTPUT_TABLES.identity_map ?? [],
  );
  return workTable(
    ctx,
    'changed',
    `SELECT c.id_type, c.id_value, c.profile_id FROM ${ctx.q(current)} c
     LEFT JOIN ${ctx.q(previous)} p ON p.id_type = c.id_type AND p.id_value = c.id_value
     WHERE p.profile_id IS NULL OR p.profile_id <> c.profile_id`,
  );
}

/** Rewrites identity_edges rows whose evidence is new or whose ends changed profile (all rows when `full`). */
export async function updateEdges(
  ctx: IdentityContext,
  freshEdges: RelationRef,
  changed: RelationRef,
  full: boolean,
): Promise<void> {
  const map = ctx.q(ctx.out('identity_map'));
  const ch = ctx.q(changed);
  const touched = full
    ? 'TRUE'
    : `(EXISTS (SELECT 1 FROM ${ctx.q(freshEdges)} f WHERE ${EDGE_KEYS.map((k) => `f.${k} = e.${k}`).join(' AND ')})
        OR EXISTS (SELECT 1 FROM ${ch} c WHERE c.id_type = e.a_type AND c.id_value = e.a_value)
        OR EXISTS (SELECT 1 FROM ${ch} c WHERE c.id_type = e.b_type AND c.id_value = e.b_value))`;
  const select = `SELECT source, row_key, a_type, a_value, b_type, b_value, first_seen_at, last_seen_at, row_count, used_for_merge,
       CASE WHEN hub THEN 'hub' WHEN NOT used_for_merge THEN 'limit' END AS unused_reason
     FROM (SELECT e.*, (NOT e.hub AND coalesce(ma.profile_id = mb.profile_id, FALSE)) AS used_for_merge
       FROM ${ctx.q(ctx.state('edges'))} e
       LEFT JOIN ${map} ma ON ma.id_type = e.a_type AND ma.id_value = e.a_value
       LEFT JOIN ${map} mb ON mb.id_type = e.b_type AND mb.id_value = e.b_value
       WHERE ${touched}) x`;
  const columns = OUTPUT_TABLES.identity_edges ?? [];
  if (full) return appendTo(ctx, ctx.out('identity_edges'), columns, select);
  const out = await workTable(ctx, 'edges_out', select);
  await replaceMatching(ctx, ctx.out('identity_edges'), out, EDGE_KEYS, columns);
}

/** Writes identity_rows for the new rows and for rows whose anchor changed profile. */
export async function updateRows(
  ctx: IdentityContext,
  newRows: RelationRef,
  changed: RelationRef,
  full: boolean,
): Promise<void> {
  const rowsTable = ctx.q(ctx.out('identity_rows'));
  const moved = full
    ? ''
    : `UNION ALL SELECT r.source, r.row_key, r.anchor_type, r.anchor_value FROM ${rowsTable} r
       WHERE EXISTS (SELECT 1 FROM ${ctx.q(changed)} c WHERE c.id_type = r.anchor_type AND c.id_value = r.anchor_value)`;
  const select = `SELECT r.source, r.row_key, m.profile_id, r.anchor_type, r.anchor_value FROM (
       SELECT source, row_key, anchor_type, anchor_value FROM ${ctx.q(newRows)} ${moved}
     ) r JOIN ${ctx.q(ctx.out('identity_map'))} m ON m.id_type = r.anchor_type AND m.id_value = r.anchor_value`;
  const columns = OUTPUT_TABLES.identity_rows ?? [];
  if (full) return appendTo(ctx, ctx.out('identity_rows'), columns, select);
  const out = await workTable(ctx, 'rows_out', select);
  await replaceMatching(ctx, ctx.out('identity_rows'), out, ['source', 'row_key'], columns);
}
