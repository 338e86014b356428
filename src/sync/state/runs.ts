/** `sync_runs` rows: written when a run starts and, with its final counts, when it ends. */

import type { Dialect, Row, Warehouse } from '../../warehouse/types.js';
import type { RunSummary } from '../types.js';
import { maskReason } from './mask-reason.js';
import { ensureStateTables, stateTables } from './tables.js';

/** `INSERT` of a `running` row for a new run. */
export function startRunSql(
  dialect: Dialect,
  stateSchema: string,
  sync: string,
  runId: string,
  startedAt: Date,
): string {
  const runs = stateTables(stateSchema).runs;
  return `INSERT INTO ${dialect.qualify(runs)} (run_id, sync, status, started_at) VALUES (${dialect.literal(runId)}, ${dialect.literal(sync)}, 'running', ${dialect.literal(startedAt)})`;
}

/** `UPDATE` of a run's row with its final status and counts. */
export function finishRunSql(
  dialect: Dialect,
  stateSchema: string,
  summary: RunSummary,
  finishedAt: Date,
): string {
  const runs = stateTables(stateSchema).runs;
  const set = [
    `status = ${dialect.literal(summary.status)}`,
    `finished_at = ${dialect.literal(finishedAt)}`,
    ...(
      ['added', 'changed', 'removed', 'succeeded', 'rejected', 'unacknowledged', 'duration_ms'] as const
    ).map((name) => `${name} = ${dialect.literal(summary[name])}`),
    `error = ${dialect.literal(summary.error ?? null)}`,
  ];
  return `UPDATE ${dialect.qualify(runs)} SET ${set.join(', ')} WHERE run_id = ${dialect.literal(summary.run_id)}`;
}

/** A run's summary before anything happened: failed until it ends otherwise, all counts 0. */
export function newRunSummary(sync: string, runId: string): RunSummary {
  return {
    sync,
    run_id: runId,
    status: 'failed',
    added: 0,
    changed: 0,
    removed: 0,
    succeeded: 0,
    rejected: 0,
    unacknowledged: 0,
    duration_ms: 0,
  };
}

/**
 * Records a run that failed before it could plan (its sync_runs row, status failed, the cause),
 * so `weft runs` and the console show every attempt.
 */
export async function recordFailedRun(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
  startedAt: Date,
  error: string,
): Promise<RunSummary> {
  const d = warehouse.dialect;
  await ensureStateTables(warehouse, stateSchema);
  await warehouse.execute(startRunSql(d, stateSchema, sync, runId, startedAt));
  const summary = { ...newRunSummary(sync, runId), duration_ms: Date.now() - startedAt.getTime(), error };
  await warehouse.execute(finishRunSql(d, stateSchema, summary, new Date()));
  return summary;
}

// Errors runSync already recorded as a failed run, so callers (the scheduler) do not record twice.
const recordedRuns = new WeakMap<object, RunSummary>();

/** Marks `error` as already recorded as `run`. */
export function markRecorded(error: unknown, run: RunSummary): void {
  if (typeof error === 'object' && error !== null) recordedRuns.set(error, run);
}

/** The failed run `error` was recorded as, when runSync recorded it. */
export function recordedRunOf(error: unknown): RunSummary | undefined {
  return typeof error === 'object' && error !== null ? recordedRuns.get(error) : undefined;
}

/**
 * Marks a run that died (kill -9, power loss) as failed, crediting what its journal held.
 * Only called while holding the sync's lease, so the run cannot still be alive.
 */
export function interruptedRunSql(
  dialect: Dialect,
  stateSchema: string,
  runId: string,
  counts: { acknowledged: number; rejected: number },
  now: Date,
): string {
  const runs = stateTables(stateSchema).runs;
  // Every planned row settled (journaled as acknowledged or rejected): the run delivered, and
  // only its status row was missing (a kill after the last journal merge). Otherwise it failed.
  const settled = counts.acknowledged + counts.rejected;
  const planned = 'coalesce(added, 0) + coalesce(changed, 0) + coalesce(removed, 0)';
  const delivered = `added IS NOT NULL AND ${planned} = ${settled}`;
  const done = counts.rejected > 0 ? 'partial' : 'success';
  return `UPDATE ${dialect.qualify(runs)} SET
    status = CASE WHEN ${delivered} THEN '${done}' ELSE 'failed' END,
    finished_at = ${dialect.literal(now)}, succeeded = ${counts.acknowledged}, rejected = ${counts.rejected},
    unacknowledged = CASE WHEN ${delivered} THEN 0 ELSE unacknowledged END,
    error = CASE WHEN ${delivered} THEN ${counts.rejected > 0 ? `'${counts.rejected} rows rejected (recorded after a restart: the process stopped after delivering, before recording the run)'` : 'NULL'}
      ELSE 'interrupted: the process stopped before finishing; its acknowledged rows were kept' END
  WHERE run_id = ${dialect.literal(runId)} AND status = 'running'`;
}

/**
 * Records a run's plan (added, changed, removed) on its `running` row, so a run killed after
 * delivering everything can be recognised as delivered when its journal is recovered.
 */
export function plannedRunSql(
  dialect: Dialect,
  stateSchema: string,
  runId: string,
  counts: { added: number; changed: number; removed: number },
): string {
  const runs = stateTables(stateSchema).runs;
  return `UPDATE ${dialect.qualify(runs)} SET added = ${counts.added}, changed = ${counts.changed}, removed = ${counts.removed} WHERE run_id = ${dialect.literal(runId)}`;
}

/** Marks every other still-`running` run of a sync as failed (their process is gone). */
export function abandonedRunsSql(
  dialect: Dialect,
  stateSchema: string,
  sync: string,
  currentRunId: string,
  now: Date,
): string {
  const runs = stateTables(stateSchema).runs;
  return `UPDATE ${dialect.qualify(runs)} SET status = 'failed', finished_at = ${dialect.literal(now)}, error = 'interrupted: the process stopped before finishing' WHERE sync = ${dialect.literal(sync)} AND status = 'running' AND run_id <> ${dialect.literal(currentRunId)}`;
}

/** The latest runs, newest first (all syncs, or one). */
export async function listRuns(
  warehouse: Warehouse,
  stateSchema: string,
  sync?: string,
  limit = 20,
): Promise<Row[]> {
  const d = warehouse.dialect;
  const where = sync ? `WHERE sync = ${d.literal(sync)}` : '';
  return warehouse.query(
    `SELECT * FROM ${d.qualify(stateTables(stateSchema).runs)} ${where} ORDER BY started_at DESC, run_id DESC LIMIT ${Math.floor(limit)}`,
  );
}

/** The most frequent current rejection reasons of a sync, values masked: one line per rule, not per bad value. */
export async function topRejections(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  limit = 5,
): Promise<Array<{ reason: string; keys: number }>> {
  const d = warehouse.dialect;
  // Reasons that differ only by the rejected value (one per bad email) are one rule: grouped by
  // their masked text (maskReason), which also keeps the values themselves out of the output.
  const groups = new Map<string, number>();
  const sql = `SELECT reason, count(*) AS keys FROM ${d.qualify(stateTables(stateSchema).rejections)} WHERE sync = ${d.literal(sync)} GROUP BY reason`;
  for await (const chunk of warehouse.stream(sql)) {
    for (const row of chunk) {
      const masked = maskReason(String(row.reason));
      groups.set(masked, (groups.get(masked) ?? 0) + Number(row.keys));
    }
  }
  return [...groups]
    .map(([reason, keys]) => ({ reason, keys }))
    .sort((a, b) => b.keys - a.keys || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))
    .slice(0, Math.floor(limit));
}
