/**
 * A scheduled run that failed before runSync could record it (its build failed, its config is
 * wrong): recorded in `sync_runs` like any run, so `weft runs` shows it with the reason.
 */
import type { Project } from '../config/types.js';
import { ensureStateTables } from '../sync/index.js';
import { newRunId } from '../sync/run-id.js';
import { finishRunSql, startRunSql } from '../sync/state/runs.js';
import type { RunSummary } from '../sync/types.js';
import type { Warehouse } from '../warehouse/types.js';

/** Inserts a finished `failed` run of `sync` with `reason` as its error; returns its summary. */
export async function recordFailedRun(
  project: Project,
  warehouse: Warehouse,
  sync: string,
  reason: string,
): Promise<RunSummary> {
  const schema = project.config.state_schema;
  const now = new Date();
  const summary: RunSummary = {
    sync,
    run_id: newRunId(),
    status: 'failed',
    added: 0,
    changed: 0,
    removed: 0,
    succeeded: 0,
    rejected: 0,
    unacknowledged: 0,
    duration_ms: 0,
    error: reason,
  };
  await ensureStateTables(warehouse, schema);
  await warehouse.execute(startRunSql(warehouse.dialect, schema, sync, summary.run_id, now));
  await warehouse.execute(finishRunSql(warehouse.dialect, schema, summary, now));
  return summary;
}
