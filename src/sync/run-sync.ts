/**
 * One sync run, end to end: lease → recover crashed runs → plan (in the warehouse) → guardrails
 * → push (journaled, through the destination account's budget) → merge the journal into the
 * snapshot together with the run's final row → release the lease. The snapshot only ever
 * advances for acknowledged records.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import type { Project, SyncConfig } from '../config/types.js';
import { assertDbtTestsPassed } from '../dbt/gate.js';
import type { AnyDestination, DestinationLogger } from '../destination-kit/index.js';
import type { Warehouse } from '../warehouse/types.js';
import { AccountBudgets } from './budget/budgets.js';
import { queuePriority, type SyncPriority } from './budget/priority.js';
import { type RunUsage, startRunUsage } from './budget/run-usage.js';
import { destinationFor, openDestination } from './destination.js';
import { assertJournalWritable, JournalWriter, journalDir } from './journal/journal-file.js';
import { mergeJournal } from './journal/merge.js';
import { compileMappings, type RowMapper } from './mapping/compile.js';
import { mappingTarget } from './mapping/discover.js';
import { fastHashOf } from './planner/fast-hash.js';
import { type PlanResult, planColumns, planSync, sourceColumns } from './planner/plan.js';
import { recoverInterruptedRuns } from './recover.js';
import { enterRun, releaseWarehouseMemory } from './release-memory.js';
import { resolveSync } from './resolve.js';
import { newRunId } from './run-id.js';
import { DEFAULT_RETRY, type RetryPolicy } from './runner/backoff.js';
import { type PushCounts, pushPlan } from './runner/push.js';
import { adoptPlanStatements } from './state/backfill.js';
import { acquireLease, LEASE_TTL_MS, releaseLease, renewLease } from './state/lease.js';
import { removeLeaseFile, writeLeaseFile } from './state/lease-file.js';
import { refreshFastHashes } from './state/refresh-fast-hash.js';
import {
  finishRunSql,
  markRecorded,
  newRunSummary,
  plannedRunSql,
  recordFailedRun,
  startRunSql,
} from './state/runs.js';
import { ensureStateTables } from './state/tables.js';
import type { ResolvedSync, RunSummary } from './types.js';

/** Options of one run (the `weft sync` flags and hooks). */
export interface RunSyncOptions {
  fullResync?: boolean;
  /** Record the current result as delivered without sending (adopt a pre-filled destination). */
  skipBackfill?: boolean;
  allowMassDelete?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Called once the plan is known (before anything is sent). */
  onPlan?: (plan: PlanResult) => void;
  onProgress?: (counts: PushCounts) => void;
  logger?: DestinationLogger;
  /** Use this connector instead of the registry's (embedding, tests). */
  destination?: AnyDestination;
  /**
   * Budgets shared with other runs (the scheduler: `AccountBudgets.forProject(project)`), so
   * syncs of one destination account share its rate limit and daily quota. Default: a private
   * budget for this run.
   */
  budget?: AccountBudgets;
  /** Who waits in a shared budget (default: the sync file's `priority`, else normal). */
  priority?: SyncPriority;
  /**
   * Graceful stop: once aborted, no new batches are read or sent, calls waiting in the queue are
   * dropped, requests already sent are answered and recorded (no further retries), the journal
   * is merged, and the run ends `partial` with error "stopped: <reason>" (abort with a string,
   * e.g. `controller.abort('SIGTERM')`). Rows not sent are sent by the next run.
   */
  stop?: AbortSignal;
  /**
   * false when other work may run on the same database meanwhile (concurrent syncs, builds):
   * the run then never lowers DuckDB's memory limit to release memory. Concurrent runs in one
   * process already skip it; default true.
   */
  releaseMemory?: boolean;
}

/** A finished run: its summary and the plan it executed (absent when it failed before planning). */
export interface RunOutcome {
  summary: RunSummary;
  plan?: PlanResult;
}

/** Compiles a sync's mapping against its source columns and destination fields (discovered when it can). */
export async function prepareSync(
  project: Project,
  warehouse: Warehouse,
  config: SyncConfig,
  override?: AnyDestination,
  budgets?: AccountBudgets,
): Promise<{ sync: ResolvedSync; mapper: RowMapper }> {
  const sync = resolveSync(project, config);
  const { destination } = destinationFor(project, config, override);
  const columns = await sourceColumns(warehouse, sync);
  // Destinations with discoverFields are checked against their live schema (one API call,
  // drawn from the account's budget when the caller shares one).
  const target = await mappingTarget(project, warehouse, sync, destination, override, budgets);
  return { sync, mapper: compileMappings(config.mappings, columns, target.fields, target.columnTypes) };
}

/**
 * Runs one sync. Throws SyncConfigError (bad config, recorded as a failed run with its cause when
 * the state schema can be written) or SyncAlreadyRunningError (lease held, nothing recorded); any
 * later failure ends as a `failed` run in the summary.
 */
export async function runSync(
  project: Project,
  warehouse: Warehouse,
  config: SyncConfig,
  options: RunSyncOptions = {},
): Promise<RunOutcome> {
  const leaveRun = enterRun(options);
  try {
    return await runSyncEntered(project, warehouse, config, options);
  } finally {
    leaveRun();
  }
}

async function runSyncEntered(
  project: Project,
  warehouse: Warehouse,
  config: SyncConfig,
  options: RunSyncOptions,
): Promise<RunOutcome> {
  const runId = newRunId();
  const startedAt = new Date();
  const budgets = options.budget ?? new AccountBudgets();
  let prepared: Awaited<ReturnType<typeof prepareSync>>;
  try {
    // Not a single row goes out from a dbt model whose tests failed in dbt's latest run.
    await assertDbtTestsPassed(project, config);
    prepared = await prepareSync(project, warehouse, config, options.destination, budgets);
  } catch (error) {
    // Failed before planning (a refused field discovery, a missing column…): still a run, with its cause.
    const message = error instanceof Error ? error.message : String(error);
    const recorded = await recordFailedRun(
      warehouse,
      project.config.state_schema,
      config.name,
      runId,
      startedAt,
      message,
    ).catch(() => undefined);
    if (recorded) markRecorded(error, recorded);
    throw error;
  }
  const { sync, mapper } = prepared;
  await ensureStateTables(warehouse, sync.stateSchema);
  await acquireLease(warehouse, sync.stateSchema, config.name, runId);
  writeLeaseFile(project.dir, config.name, runId, startedAt);
  const summary = newRunSummary(config.name, runId);
  const finish = () => {
    summary.duration_ms = Date.now() - startedAt.getTime();
    return finishRunSql(warehouse.dialect, sync.stateSchema, summary, new Date());
  };
  const journalFile = path.join(journalDir(project.dir, config.name), `${runId}.jsonl`);
  let plan: PlanResult | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let usage: RunUsage | undefined;
  try {
    await recoverInterruptedRuns(warehouse, project.dir, sync, runId);
    await warehouse.execute(startRunSql(warehouse.dialect, sync.stateSchema, config.name, runId, startedAt));
    plan = await planSync(warehouse, sync, mapper, options);
    await refreshFastHashes(warehouse, {
      source: sync.source,
      snapshot: sync.snapshot,
      key: config.key,
      columns: planColumns(sync, mapper),
      fingerprint: mapper.fingerprint,
    });
    await releaseWarehouseMemory(warehouse);
    Object.assign(summary, {
      added: plan.counts.added,
      changed: plan.counts.changed,
      removed: plan.counts.removed,
    });
    await warehouse.execute(plannedRunSql(warehouse.dialect, sync.stateSchema, runId, plan.counts));
    options.onPlan?.(plan);
    if (plan.guardrail.tripped) {
      summary.error = `guardrail: ${plan.guardrail.reason}`;
      await warehouse.execute(finish());
      return { summary, plan };
    }
    if (options.skipBackfill) {
      summary.status = duplicatesStatus(summary, 'success', plan);
      const fast = await fastHashOf(warehouse);
      const statements = [...adoptPlanStatements(warehouse, sync, runId, fast?.scheme), finish()];
      await warehouse.transaction(async () => {
        for (const sql of statements) await warehouse.execute(sql);
      });
      return { summary, plan };
    }
    heartbeat = setInterval(() => {
      renewLease(warehouse, sync.stateSchema, config.name, runId).catch(() => undefined);
    }, LEASE_TTL_MS / 3).unref();
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per queued call and backoff: not a leak
    const target = openDestination(project, config, {
      runId,
      signal: abort.signal,
      logger: options.logger,
      destination: options.destination,
    });
    usage = await startRunUsage(
      budgets,
      target,
      config.connection,
      warehouse,
      sync.stateSchema,
      options.logger,
    );
    // Nothing is sent unless its acknowledgements can be journaled: check the directory first.
    assertJournalWritable(path.dirname(journalFile));
    const journal = new JournalWriter(journalFile);
    const pushed = await pushPlan({
      warehouse,
      sync,
      mapper,
      target,
      journal,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      abort,
      budget: usage.budget,
      priority: queuePriority(options.priority ?? config.priority),
      stop: options.stop,
      planCounts: plan.counts,
      onProgress: options.onProgress,
    }).finally(() => journal.close());
    clearInterval(heartbeat);
    await usage.settle();
    const { succeeded, rejected, skipped } = pushed.counts;
    let { unacknowledged } = pushed.counts;
    if (pushed.halted) {
      // Rows never read are as unsent as the ones dropped from the queue: the next run sends them.
      const planned = plan.counts.added + plan.counts.changed + plan.counts.removed;
      unacknowledged = Math.max(unacknowledged, planned - succeeded - rejected - skipped);
    }
    Object.assign(summary, { succeeded, rejected, unacknowledged });
    if (pushed.stoppedBy) summary.error = pushed.stoppedBy.message;
    else if (pushed.halted) summary.error = pushed.halted.message;
    else if (unacknowledged > 0 && pushed.unacknowledgedReason) {
      // Every run that did not deliver everything says why (a refused connection, a TLS error…).
      summary.error = `${unacknowledged} row${unacknowledged === 1 ? '' : 's'} not acknowledged (re-sent next run): ${pushed.unacknowledgedReason}`;
    }
    summary.status = duplicatesStatus(
      summary,
      pushed.halted ? 'partial' : runStatus(summary, Boolean(pushed.stoppedBy)),
      plan,
    );
    await mergeJournal(warehouse, sync, runId, journalFile, () => {
      // Test hook (tests with real processes): die after the journal is merged, before the status row.
      if (process.env.WEFT_TEST_KILL_BEFORE_RUN_STATUS === '1') process.kill(process.pid, 'SIGKILL');
      return [finish()];
    });
    return { summary, plan };
  } catch (error) {
    await usage?.settle();
    summary.status = 'failed';
    summary.error = error instanceof Error ? error.message : String(error);
    // What was acknowledged before the failure is real: keep it (the journal stays if this fails too).
    await mergeJournal(warehouse, sync, runId, journalFile, () => [finish()]).catch(() => undefined);
    return { summary, plan };
  } finally {
    clearInterval(heartbeat);
    await releaseLease(warehouse, sync.stateSchema, config.name, runId).catch(() => undefined);
    removeLeaseFile(project.dir, config.name, runId);
  }
}

/**
 * A run that left out more of its source than `max_duplicate_pct` as duplicated keys did not do
 * what it was asked: `success` becomes `partial`, and the run says why (after any other error).
 */
function duplicatesStatus(
  summary: RunSummary,
  status: RunSummary['status'],
  plan: PlanResult,
): RunSummary['status'] {
  const why = plan.guardrail.duplicates;
  if (!why) return status;
  summary.error = summary.error ? `${summary.error}; ${why}` : why;
  return status === 'success' ? 'partial' : status;
}

/** success: everything acknowledged; partial: some rejected or unacknowledged; failed: stopped or nothing got through. */
function runStatus(summary: RunSummary, stopped: boolean): RunSummary['status'] {
  if (stopped) return 'failed';
  if (summary.unacknowledged > 0 && summary.succeeded === 0) return 'failed';
  if (summary.rejected > 0 || summary.unacknowledged > 0) return 'partial';
  return 'success';
}
