/**
 * The identity graph: `buildIdentity` turns models/identity.yml into identity_occurrences,
 * identity_map, identity_rows, identity_edges and profile_merges, all as SQL through the
 * warehouse's dialect. Runs are incremental (only new source rows) unless the state cannot be
 * continued from; the result is always the full rebuild's.
 */
import type { Project } from '../config/types.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { loadBlocklist } from './blocklist.js';
import { componentWork } from './components.js';
import { createContext, type IdentityContext } from './context.js';
import { mergeEdgesIntoState, newEdges } from './edges.js';
import { commitHubDelta } from './hubs.js';
import { applyLimits } from './limits.js';
import { recordMerges } from './merges.js';
import { touchedNodes } from './nodes.js';
import {
  appendNewRows,
  createOccurrencesView,
  previousProfiles,
  updateEdges,
  updateMap,
  updateRows,
} from './outputs.js';
import { type Prepared, prepareFull, prepareIncremental } from './prepare.js';
import { keepAffectedPreviousMap } from './previous-map.js';
import { affectedNodes, mergeComponents } from './relabel.js';
import { graphFigures } from './report.js';
import { writeShared } from './shared-out.js';
import { resolveSources } from './source-columns.js';
import { dropWork } from './sql.js';
import { assignProfileIds } from './stable-ids.js';
import { configHash, stateProblem, writeMeta } from './state.js';
import type { BuildIdentityOptions, IdentityReport } from './types.js';
import { flaggedSql } from './wide.js';

export { idTypesOf, normalizeIdentifier } from './id-types.js';
export { normalizeExpr } from './normalize.js';
export { resolveFrom } from './relations.js';
export { rowKeyExpr } from './row-key.js';
export { profileIdExpr } from './stable-ids.js';
export type {
  BuildIdentityOptions,
  GiantProfile,
  IdentityEvent,
  IdentityReport,
  SharedValue,
} from './types.js';

/** Builds (or incrementally updates) the identity graph of `project` in `warehouse`. */
export async function buildIdentity(
  project: Project,
  warehouse: Warehouse,
  options: BuildIdentityOptions = {},
): Promise<IdentityReport> {
  const started = Date.now();
  const ctx = createContext(project, warehouse, options.onEvent ?? (() => {}));
  const hash = configHash(ctx);
  const sources = resolveSources(ctx);
  try {
    const blocked = await loadBlocklist(ctx);
    let reason = options.fullRefresh
      ? 'full refresh requested'
      : await step(ctx, 'state_check', () => stateProblem(ctx, hash));
    let prepared: Prepared | undefined;
    if (reason === undefined) {
      const attempt = await step(ctx, 'prepare_incremental', () => prepareIncremental(ctx, sources, blocked));
      if (typeof attempt === 'string') reason = attempt;
      else prepared = attempt;
    }
    ctx.emit(
      reason === undefined
        ? { type: 'identity_start', incremental: true }
        : { type: 'identity_start', incremental: false, reason },
    );
    if (!prepared) prepared = await step(ctx, 'prepare_full', () => prepareFull(ctx, sources, blocked));
    const full = reason !== undefined;
    const { wides, hubDelta } = prepared;

    await writeMeta(ctx, 'dirty', hash);
    await commitHubDelta(ctx, hubDelta);
    const flagged = sources.map((rs) => flaggedSql(ctx, rs, ctx.q(wides[rs.index] as RelationRef)));
    const fresh = await step(ctx, 'edges', () => newEdges(ctx, sources, flagged, full));
    const mergedEdges = await step(ctx, 'edge_state', () => mergeEdgesIntoState(ctx, fresh, full));
    const touched = await step(ctx, 'nodes', () => touchedNodes(ctx, sources, flagged, full));
    const { written, rounds } = await step(ctx, 'components', () =>
      mergeComponents(ctx, fresh, touched, full),
    );
    // read by no later step: on DuckDB a kept work table holds memory the later steps need
    await dropWork(ctx, ['nodes_touched', 'cc_edges', ...componentWork('cc')]);
    const affected = await step(ctx, 'affected', () => affectedNodes(ctx, written, full));
    const limits = await step(ctx, 'limits', () => applyLimits(ctx, affected));
    const current = await step(ctx, 'profile_ids', () => assignProfileIds(ctx, affected, limits.groups));
    await dropWork(ctx, ['groups']);
    // Kept until the merges are recorded: a kill after identity_map changes must not lose them.
    if (!full) await keepAffectedPreviousMap(ctx, current);
    const previous = await previousProfiles(ctx, prepared.previousMap, current);
    const changed = await step(ctx, 'map', () => updateMap(ctx, current, previous, full));
    const merges = await step(ctx, 'merges', () => recordMerges(ctx, previous, current, new Date(started)));
    await step(ctx, 'edges_out', () => updateEdges(ctx, mergedEdges, limits.dropped, affected, full));
    await step(ctx, 'rows_out', () => updateRows(ctx, sources, wides, current, changed, full));
    // the new rows join the processed ones only now: rows_out read the processed ones without them
    if (!full) await step(ctx, 'processed_rows', () => appendNewRows(ctx, sources, wides));
    await step(ctx, 'shared_out', () => writeShared(ctx, sources));
    await createOccurrencesView(ctx, sources);
    await writeMeta(ctx, 'clean', hash);
    const figures = await step(ctx, 'report', () => graphFigures(ctx));
    const report: IdentityReport = {
      ...figures,
      rounds,
      merges: merges.merges,
      splits: merges.splits,
      incremental: !full,
      rows_processed: prepared.rowsProcessed,
      limit_rounds: limits.rounds,
      ms: Date.now() - started,
    };
    if (full) report.full_rebuild_reason = reason;
    ctx.emit({ type: 'identity_done', report });
    if (ctx.config.fail_on_giant_component && report.giant_profiles.length > 0) {
      const top = report.giant_profiles[0];
      throw new Error(
        `identity: ${report.giant_profiles.length} profile(s) exceed giant_component_size ${ctx.config.giant_component_size} (largest ${top?.profile_id}: ${top?.identifiers} identifiers)`,
      );
    }
    return report;
  } finally {
    await dropScratch(ctx);
  }
}

async function step<T>(ctx: IdentityContext, name: string, body: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await body();
  ctx.emit({ type: 'identity_step', step: name, ms: Date.now() - t0 });
  return result;
}

async function dropScratch(ctx: IdentityContext): Promise<void> {
  for (const name of ctx.scratch) {
    try {
      await ctx.run(ctx.d.dropRelation(ctx.d.tempRelation(`identity_work_${name}`), 'table'));
    } catch {
      // best effort: scratch tables are session-scoped and replaced by the next build anyway
    }
  }
}
