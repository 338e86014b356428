/** The sync engine: planner, runner, state. See design.md "Delivery contract". */
export { destinationFor } from './destination.js';
export { compileMappings, type RowMapper } from './mapping/compile.js';
export { DEFAULT_MAX_DELETE_PCT } from './planner/guardrails.js';
export {
  type PlanOptions,
  type PlanResult,
  planSync,
  samplePlanRows,
  sourceColumns,
} from './planner/plan.js';
export { type PlanPreview, previewSync } from './preview.js';
export {
  resolveSync,
  SyncConfigError,
  SyncUnavailableError,
  selectSyncs,
  sourceRelation,
} from './resolve.js';
export { prepareSync, type RunOutcome, type RunSyncOptions, runSync } from './run-sync.js';
export type { PushCounts } from './runner/push.js';
export { SyncAlreadyRunningError } from './state/lease.js';
export { readLeaseFile } from './state/lease-file.js';
export { listRuns, topRejections } from './state/runs.js';
export { ensureStateTables } from './state/tables.js';
export type * from './types.js';
