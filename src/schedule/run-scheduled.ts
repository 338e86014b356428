/**
 * One due sync, run by the scheduler on its own warehouse connection: `schedule_state` marked
 * started, runSync (or a failed run recorded when its build failed), `schedule_state` marked
 * finished, and an alert when the run is bad by weft.yml `alerts:`.
 */
import { alertRun } from '../alerts/index.js';
import type { Project } from '../config/types.js';
import { buildDbtModelsOfSync } from '../dbt/run-dbt.js';
import {
  type RunSyncOptions,
  runSync,
  SyncAlreadyRunningError,
  SyncConfigError,
  SyncUnavailableError,
} from '../sync/index.js';
import { recordedRunOf } from '../sync/state/runs.js';
import type { RunSummary } from '../sync/types.js';
import type { Warehouse } from '../warehouse/types.js';
import type { DueSync } from './due.js';
import type { ScheduledRun, ScheduleEvent } from './events.js';
import { recordFailedRun } from './failed-run.js';
import { markFinished, markStarted } from './state.js';

/** What a scheduled run needs besides the sync. */
export interface ScheduledRunContext {
  project: Project;
  warehouse: Warehouse;
  /** Fired by the scheduler's shutdown: the run stops gracefully (ends `partial`). */
  stop: AbortSignal;
  /** Options passed to every run (shared budget, retry, a destination override in tests…). */
  runOptions: RunSyncOptions;
  /** Send alerts for bad runs (when weft.yml configures them). */
  alerts: boolean;
  onEvent: (event: ScheduleEvent) => void;
}

/** Runs `due`; undefined when another process holds the sync (nothing recorded, still due). */
export async function runScheduled(
  ctx: ScheduledRunContext,
  due: DueSync,
  buildFailure?: string,
): Promise<ScheduledRun | undefined> {
  const { project, warehouse } = ctx;
  const name = due.sync.config.name;
  const schema = project.config.state_schema;
  await markStarted(warehouse, schema, name, new Date());
  let summary: RunSummary;
  if (buildFailure) {
    summary = await recordFailedRun(project, warehouse, name, buildFailure);
  } else {
    ctx.onEvent({ type: 'started', sync: name });
    try {
      const options: RunSyncOptions = { ...ctx.runOptions, stop: ctx.stop };
      await buildDbtModelsOfSync(project, due.sync.config);
      summary = (await runSync(project, warehouse, due.sync.config, options)).summary;
    } catch (error) {
      if (error instanceof SyncAlreadyRunningError) {
        // Its holder is running it and records how it ends; the slot stays due here.
        ctx.onEvent({ type: 'skipped', sync: name, reason: error.message });
        return undefined;
      }
      if (!(error instanceof SyncConfigError || error instanceof SyncUnavailableError)) throw error;
      // runSync records a run that failed before planning itself; record only the others.
      summary = recordedRunOf(error) ?? (await recordFailedRun(project, warehouse, name, error.message));
    }
  }
  // Stopped by our shutdown before it could finish: its slot stays due.
  const stopped = ctx.stop.aborted && !buildFailure && summary.status !== 'success';
  await markFinished(warehouse, schema, name, {
    slot: stopped ? undefined : due.slot,
    finishedAt: new Date(),
    status: summary.status,
    runId: summary.run_id,
  });
  const run: ScheduledRun = { sync: name, slot: due.slot, summary, stopped };
  ctx.onEvent({ type: 'finished', run });
  // A run our own shutdown stopped is not a bad run: it resumes after the restart.
  const sent = ctx.alerts && !stopped ? await alertRun(project, summary) : undefined;
  if (sent) ctx.onEvent({ type: 'alert', sync: name, run_id: summary.run_id, delivery: sent.delivery });
  return run;
}
