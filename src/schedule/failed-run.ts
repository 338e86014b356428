/**
 * A scheduled run that failed before runSync could record it (its build failed, its config is
 * wrong): recorded in `sync_runs` like any run, so `weft runs` shows it with the reason.
 */
import type { Project } from '../config/types.js';
import { newRunId } from '../sync/run-id.js';
import { recordFailedRun as recordRun } from '../sync/state/runs.js';
import type { RunSummary } from '../sync/types.js';
import type { Warehouse } from '../warehouse/types.js';

/** Inserts a finished `failed` run of `sync` with `reason` as its error; returns its summary. */
export function recordFailedRun(
  project: Project,
  warehouse: Warehouse,
  sync: string,
  reason: string,
): Promise<RunSummary> {
  return recordRun(warehouse, project.config.state_schema, sync, newRunId(), new Date(), reason);
}
