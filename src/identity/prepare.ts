/**
 * The read-only first half of a build: which source rows are new, their wide tables, and the
 * hubs they would create. An incremental run bails out (to a full rebuild) before changing any
 * state when rows were deleted or changed, or when the new rows create a hub.
 */
import { relationKind } from '../build/relations.js';
import type { RelationRef } from '../warehouse/types.js';
import type { Blocked } from './blocklist.js';
import type { IdentityContext } from './context.js';
import { findHubDelta, type HubDelta, hubsFromPairs, withShared } from './hubs.js';
import { keepFullPreviousMap } from './previous-map.js';
import { findShared, SHARED_WORK } from './shared.js';
import type { ResolvedSource } from './source-columns.js';
import { dropWork, workTable } from './sql.js';
import { resetTables } from './tables.js';
import { keyedRowsSql, newRowsOfDiff, rowDiffSql, wideSql } from './wide.js';

/** What the second half works from. */
export interface Prepared {
  wides: RelationRef[];
  hubDelta: HubDelta;
  /** The identity_map before this build. */
  previousMap: RelationRef;
  rowsProcessed: number;
}

/** Prepares an incremental run, or returns why a full rebuild is needed. */
export async function prepareIncremental(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  blocked: Map<string, Blocked>,
): Promise<Prepared | string> {
  const wides: RelationRef[] = [];
  for (const rs of sources) {
    // every row, not deduplicated: only new rows are (in newRowsOfDiff), which is all a run reads
    const diff = await workTable(ctx, `diff_${rs.index}`, rowDiffSql(ctx, rs, keyedRowsSql(ctx, rs, false)));
    const gone = await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(diff)} WHERE in_source IS NULL`);
    if (gone > 0) return `${gone} processed row(s) of ${rs.source.from} were deleted or changed`;
    wides.push(
      await workTable(ctx, `wide_${rs.index}`, wideSql(ctx, rs, newRowsOfDiff(rs, ctx.q(diff)), blocked)),
    );
  }
  const hubDelta = await findHubDelta(ctx, sources, wides, false);
  if (hubDelta.newHubCount > 0) return `the new rows make ${hubDelta.newHubCount} value(s) hubs`;
  const rowsProcessed = await countRows(ctx, wides);
  // no new rows, no change to the shared set: spare the pass over every row
  const sharedChange = rowsProcessed === 0 ? 0 : await sharedChanges(ctx, sources, wides);
  if (sharedChange > 0) return `the new rows change which values are shared (${sharedChange})`;
  return { wides, hubDelta, previousMap: ctx.out('identity_map'), rowsProcessed };
}

/** Resets outputs and state (keeping a copy of the previous map and profile_merges) and prepares every row. */
export async function prepareFull(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  blocked: Map<string, Blocked>,
): Promise<Prepared> {
  const map = ctx.out('identity_map');
  const hadMap = (await relationKind(ctx.warehouse, map)) === 'table';
  await ctx.run(ctx.d.createSchema(ctx.project.config.state_schema));
  // Persisted (not a temp table): a build killed after the reset must not lose what it started from.
  const previousMap = await keepFullPreviousMap(ctx, hadMap);
  await resetTables(ctx);
  const wides: RelationRef[] = [];
  // a fresh build writes each source's wide table straight into the state
  for (const rs of sources) {
    const ref = ctx.state(`src_${rs.index}`);
    await ctx.run(ctx.d.createTableAs(ref, wideSql(ctx, rs, keyedRowsSql(ctx, rs), blocked)));
    wides.push(ref);
  }
  // one pass over the wide rows for both: hubs are counted from the pairs shared detection reads
  const { shared, pairs } = await findShared(
    ctx,
    sources.map((rs) => ({ rs, ref: wides[rs.index] as RelationRef })),
  );
  const hubs = await hubsFromPairs(ctx, pairs);
  const hubDelta = await withShared(ctx, hubs, shared);
  // hubs_all holds what the build needs of them; kept, the pairs and blocks crowd later steps
  await dropWork(ctx, [...SHARED_WORK, 'hubs_new']);
  return { wides, hubDelta, previousMap, rowsProcessed: await countRows(ctx, wides) };
}

/**
 * Values that the processed rows plus the new ones make shared, or no longer shared, compared
 * with the state (0: the new rows leave the shared set as it is).
 */
async function sharedChanges(
  ctx: IdentityContext,
  sources: ResolvedSource[],
  wides: RelationRef[],
): Promise<number> {
  const { shared } = await findShared(ctx, [
    ...sources.map((rs) => ({ rs, ref: ctx.state(`src_${rs.index}`) })),
    ...sources.map((rs) => ({ rs, ref: wides[rs.index] as RelationRef })),
  ]);
  const found = ctx.q(shared);
  const stored = `(SELECT id_type, id_value FROM ${ctx.q(ctx.state('hubs'))} WHERE reason = 'shared')`;
  const hubs = ctx.q(ctx.state('hubs'));
  const changes = await ctx.count(
    `SELECT (SELECT count(*) FROM ${found} f WHERE NOT EXISTS (SELECT 1 FROM ${hubs} h WHERE h.id_type = f.id_type AND h.id_value = f.id_value))
      + (SELECT count(*) FROM ${stored} s WHERE NOT EXISTS (SELECT 1 FROM ${found} f WHERE f.id_type = s.id_type AND f.id_value = s.id_value)) AS n`,
  );
  await dropWork(ctx, SHARED_WORK);
  return changes;
}

async function countRows(ctx: IdentityContext, wides: RelationRef[]): Promise<number> {
  let total = 0;
  for (const wide of wides) total += await ctx.count(`SELECT count(*) AS n FROM ${ctx.q(wide)}`);
  return total;
}
