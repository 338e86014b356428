/**
 * Writes the outputs for what this build touched: identity_map for the affected identifiers,
 * identity_edges and identity_rows wherever a profile id (or a limit decision) may have
 * changed, and the identity_occurrences view. A full build writes everything directly.
 */
import type { RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import { anchoredSql, EDGE_KEYS } from './edges.js';
import type { ResolvedSource } from './source-columns.js';
import { appendTo, replaceMatching, unionAll, workTable } from './sql.js';
import { OUTPUT_TABLES } from './tables.js';
import { flaggedSql, rawOf, wideColumns } from './wide.js';

/** (Re)creates the identity_occurrences view: one row per (source row, identifier) over the state's wide tables. */
export async function createOccurrencesView(ctx: IdentityContext, sources: ResolvedSource[]): Promise<void> {
  const { d } = ctx;
  const parts = sources.flatMap((rs) =>
    rs.ids.map(
      (id) =>
        `SELECT ${d.literal(rs.source.from)} AS source, row_key, ${d.literal(id.type.name)} AS id_type, ${id.norm} AS id_value,
           ${rawOf(id)} AS raw_value, seen_at, CASE WHEN ${id.reason} IS NULL AND ${id.hub} THEN ${id.hubReason} ELSE ${id.reason} END AS excluded_reason
         FROM (${flaggedSql(ctx, rs, ctx.q(ctx.state(`src_${rs.index}`)))}) f WHERE coalesce(${id.reason}, '') <> 'missing'`,
    ),
  );
  await ctx.run(
    d.createView(
      ctx.out('identity_occurrences'),
      unionAll(ctx, parts, OUTPUT_TABLES.identity_occurrences ?? []),
    ),
  );
}

/** Records the new rows (incremental runs) in the state's wide tables. */
export async function appendNewRows(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  wides: RelationRef[],
): Promise<void> {
  for (const rs of sources) {
    const columns = wideColumns(rs);
    await ctx.run(
      ctx.d.insertSelect(
        ctx.state(`src_${rs.index}`),
        columns,
        `SELECT ${columns.join(', ')} FROM ${ctx.q(wides[rs.index] as RelationRef)}`,
      ),
    );
  }
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

/**
 * Replaces the affected identifiers' map rows; returns identifiers whose profile id is new or
 * changed (work `changed`), which only an incremental run's updateRows reads (a full build's
 * are every identifier, so none is made).
 */
export async function updateMap(
  ctx: IdentityContext,
  current: RelationRef,
  previous: RelationRef,
  full: boolean,
): Promise<RelationRef | undefined> {
  const columns = OUTPUT_TABLES.identity_map ?? [];
  if (full) {
    await appendTo(
      ctx,
      ctx.out('identity_map'),
      columns,
      `SELECT ${columns.map((c) => c.name).join(', ')} FROM ${ctx.q(current)}`,
    );
    return undefined;
  }
  await replaceMatching(ctx, ctx.out('identity_map'), current, ['id_type', 'id_value'], columns);
  return workTable(
    ctx,
    'changed',
    `SELECT c.id_type, c.id_value, c.profile_id FROM ${ctx.q(current)} c
     LEFT JOIN ${ctx.q(previous)} p ON p.id_type = c.id_type AND p.id_value = c.id_value
     WHERE p.profile_id IS NULL OR p.profile_id <> c.profile_id`,
  );
}

/**
 * Writes identity_edges: used unless an end is a hub or a limit cut it (`dropped`). An edge's
 * row changes only with its evidence (`mergedEdges`, the state rows this build wrote) or its
 * limit status, which only the affected components' limits decide (no hub appears in an
 * incremental run), so incremental runs rewrite just those edges: merged ones, ones cut now,
 * and ones cut before whose anchor is in an affected component.
 */
export async function updateEdges(
  ctx: IdentityContext,
  mergedEdges: RelationRef,
  dropped: RelationRef,
  affected: RelationRef,
  full: boolean,
): Promise<void> {
  const state = ctx.q(ctx.state('edges'));
  const ends = ['a_type', 'a_value', 'b_type', 'b_value'];
  // edges cut now or cut before in an affected component; a small work table first: inlined,
  // the nested EXISTS made DuckDB join every state edge (2 s at 1M people, 0.2 s this way)
  const recut = full
    ? undefined
    : await workTable(
        ctx,
        'edges_recut',
        `SELECT ${ends.join(', ')} FROM ${ctx.q(dropped)}
         UNION ALL SELECT ${ends.join(', ')} FROM ${ctx.q(ctx.out('identity_edges'))} p
         WHERE p.unused_reason = 'limit' AND EXISTS (SELECT 1 FROM ${ctx.q(affected)} n WHERE n.id_type = p.a_type AND n.id_value = p.a_value)`,
      );
  const touched = recut
    ? `(SELECT * FROM ${ctx.q(mergedEdges)}
       UNION SELECT * FROM ${state} s WHERE EXISTS (SELECT 1 FROM ${ctx.q(recut)} x WHERE ${ends.map((k) => `x.${k} = s.${k}`).join(' AND ')}))`
    : state;
  // an edge with a shared end says 'shared', one with only hub ends 'hub'. The join is on the
  // ends alone (a state hub is one row per value) and the CASE asks e.hub: with `e.hub AND` in
  // the ON clause DuckDB joined every edge to every hub in a nested loop (17-28 s at 1M people)
  const shared = `(SELECT id_type, id_value FROM ${ctx.q(ctx.state('hubs'))} WHERE reason = 'shared')`;
  const select = `SELECT e.source, e.row_key, e.a_type, e.a_value, e.b_type, e.b_value, e.first_seen_at, e.last_seen_at, e.row_count,
       (NOT e.hub AND x.a_type IS NULL) AS used_for_merge,
       CASE WHEN e.hub THEN CASE WHEN ha.id_type IS NOT NULL OR hb.id_type IS NOT NULL THEN 'shared' ELSE 'hub' END
         WHEN x.a_type IS NOT NULL THEN 'limit' END AS unused_reason
     FROM ${touched} e
     LEFT JOIN ${ctx.q(dropped)} x ON x.a_type = e.a_type AND x.a_value = e.a_value AND x.b_type = e.b_type AND x.b_value = e.b_value
     LEFT JOIN ${shared} ha ON ha.id_type = e.a_type AND ha.id_value = e.a_value
     LEFT JOIN ${shared} hb ON hb.id_type = e.b_type AND hb.id_value = e.b_value`;
  const columns = OUTPUT_TABLES.identity_edges ?? [];
  if (full) return appendTo(ctx, ctx.out('identity_edges'), columns, select);
  const out = await workTable(ctx, 'edges_out', select);
  await replaceMatching(ctx, ctx.out('identity_edges'), out, EDGE_KEYS, columns);
}

/**
 * Writes identity_rows: each row's profile through its anchor. An incremental run writes the new
 * rows (`wides`; their anchors are touched identifiers, so in `current`) and the processed rows
 * whose anchor's profile id changed (`changed`): a processed row's anchor is fixed, as no hub
 * appears in an incremental run, so no other row's profile can change.
 */
export async function updateRows(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  wides: RelationRef[],
  current: RelationRef,
  changed: RelationRef | undefined,
  full: boolean,
): Promise<void> {
  const { d } = ctx;
  const anchors = (rs: ResolvedSource, from: string) =>
    `SELECT ${d.literal(rs.source.from)} AS source, row_key, a_type, a_value FROM (${anchoredSql(ctx, rs, flaggedSql(ctx, rs, from))}) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub`;
  const profiled = (parts: string[], profiles: string) =>
    `SELECT r.source, r.row_key, m.profile_id FROM (${unionAll(ctx, parts, [])}) r
     JOIN ${profiles} m ON m.id_type = r.a_type AND m.id_value = r.a_value`;
  const fresh = sources.map((rs) => anchors(rs, ctx.q(wides[rs.index] as RelationRef)));
  const columns = OUTPUT_TABLES.identity_rows ?? [];
  if (full)
    return appendTo(ctx, ctx.out('identity_rows'), columns, profiled(fresh, ctx.q(ctx.out('identity_map'))));
  if (!changed) throw new Error('identity: an incremental run needs the changed identifiers');
  const ch = ctx.q(changed);
  // IN lists, not correlated EXISTS: engines turn `x IN (SELECT …) OR y IN (SELECT …)` into
  // hash lookups against the small lists, where an OR of EXISTS joins every row (~10x slower)
  const processed = sources.map((rs) => {
    const holdsChanged = rs.ids
      .map((id) => `s.${id.norm} IN (SELECT id_value FROM ${ch} WHERE id_type = ${d.literal(id.type.name)})`)
      .join(' OR ');
    return anchors(rs, `(SELECT * FROM ${ctx.q(ctx.state(`src_${rs.index}`))} s WHERE ${holdsChanged})`);
  });
  const out = await workTable(
    ctx,
    'rows_out',
    `${profiled(fresh, ctx.q(current))}\nUNION ALL\n${profiled(processed, ch)}`,
  );
  await replaceMatching(ctx, ctx.out('identity_rows'), out, ['source', 'row_key'], columns);
}
