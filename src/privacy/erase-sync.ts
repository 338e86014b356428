/**
 * Erases requests' people from one sync's destination: under the sync's lease (no sync run races
 * the snapshot), leftover journals merged first, then every snapshot row whose key hashes to a
 * request's identifier goes through the destination's `erase` primitive (or its mode's removal)
 * with the runner's deliverer: the account's rate budget, backoff honouring Retry-After, split
 * on record errors. Acknowledged rows leave the snapshot at once; the ledger records per request
 * acknowledged, failed (rejected, with the reason) or still pending (retried on the next run).
 */
import { randomBytes } from 'node:crypto';
import type { Project, SyncConfig } from '../config/types.js';
import { type AnyDestination, type DestinationRecord, eraseBatchLimits } from '../destination-kit/index.js';
import { accountKey } from '../sync/budget/account-key.js';
import type { AccountBudgets } from '../sync/budget/budgets.js';
import { openDestination } from '../sync/destination.js';
import { recoverInterruptedRuns } from '../sync/recover.js';
import { resolveSync } from '../sync/resolve.js';
import type { RetryPolicy } from '../sync/runner/backoff.js';
import { createDeliverer, type Settled } from '../sync/runner/deliver.js';
import { acquireLease, releaseLease, SyncAlreadyRunningError } from '../sync/state/lease.js';
import { ensureStateTables } from '../sync/state/tables.js';
import type { Warehouse } from '../warehouse/types.js';
import { hashExpr, identifierHash } from './hash.js';
import { updateSteps } from './ledger.js';
import { erasureOf } from './plan-steps.js';
import type { PrivacyTables } from './tables.js';

/** What erasing needs besides the project. */
export interface EraseOptions {
  budgets: AccountBudgets;
  retry: RetryPolicy;
  now: () => Date;
  signal: AbortSignal;
  /** Replaces the connector (tests). */
  destination?: AnyDestination;
}

/** Figures of one sync's erasure pass (for the bench and the CLI). */
export interface EraseReport {
  sync: string;
  records: number;
  acknowledged: number;
  requests: number;
  /** Time the erasure took, lease to release. */
  ms: number;
}

/** Per request: what happened to its records. */
interface RequestTally {
  records: number;
  ok: number;
  rejected?: string;
  unacknowledged?: string;
  responseId?: string;
}

/** Erases the people of `requestIds` (whose `sync:<name>` step is pending) from `config`'s destination. */
export async function eraseFromSync(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  config: SyncConfig,
  requestIds: string[],
  options: EraseOptions,
): Promise<EraseReport> {
  const step = `sync:${config.name}`;
  const started = performance.now();
  const report: EraseReport = { sync: config.name, records: 0, acknowledged: 0, requests: 0, ms: 0 };
  const sync = resolveSync(project, config);
  const runId = `privacy-${randomBytes(6).toString('hex')}`;
  await ensureStateTables(warehouse, sync.stateSchema);
  try {
    await acquireLease(warehouse, sync.stateSchema, config.name, runId);
  } catch (error) {
    if (!(error instanceof SyncAlreadyRunningError)) throw error;
    await updateSteps(
      warehouse,
      tables,
      step,
      requestIds,
      { status: 'pending', lastError: 'the sync was running: retried on the next `weft privacy run`' },
      options.now(),
    );
    return report;
  }
  try {
    // Acks of runs that died are in journals: merged, the snapshot knows every delivered row.
    await recoverInterruptedRuns(warehouse, project.dir, sync, runId);
    const how = erasureOf(project, config);
    if (!how.primitive) {
      await dropFromSnapshot(
        warehouse,
        sync.snapshot,
        await targets(warehouse, tables, sync.snapshot, requestIds),
      );
      await updateSteps(
        warehouse,
        tables,
        step,
        requestIds,
        { status: 'unsupported', lastError: how.reason },
        options.now(),
      );
      return report;
    }
    const records = await targets(warehouse, tables, sync.snapshot, requestIds);
    report.records = records.length;
    const tally = new Map<string, RequestTally>(requestIds.map((id) => [id, { records: 0, ok: 0 }]));
    for (const target of records)
      for (const id of target.requestIds) (tally.get(id) as RequestTally).records++;
    if (records.length > 0) {
      const open = openDestination(project, config, {
        runId,
        signal: options.signal,
        ...(options.destination && { destination: options.destination }),
      });
      const { destination } = open;
      const erasure = destination.erasure;
      const limits = {
        ...open.limits,
        ...(erasure?.rateLimit && how.primitive === 'erase' && { rateLimit: erasure.rateLimit }),
      };
      const key = accountKey(destination, open.ctx.settings, config.connection);
      const budget = options.budgets.for(
        erasure?.rateLimit && how.primitive === 'erase' ? `${key}#erase` : key,
        limits,
      );
      const stop = new AbortController();
      const deliverer = createDeliverer({
        destination,
        ctx: destination.sequential ? { ...open.ctx, lastBatch: true } : open.ctx,
        budget,
        priority: 0,
        retry: options.retry,
        signal: options.signal,
        stop: stop.signal,
        requestStop: (reason) => stop.abort(reason),
      });
      const batchSize =
        how.primitive === 'erase'
          ? eraseBatchLimits(erasure, open.limits.batch).maxRecords
          : open.limits.batch.maxRecords;
      const batches: (typeof records)[] = [];
      for (let i = 0; i < records.length; i += batchSize) batches.push(records.slice(i, i + batchSize));
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const batch = batches[next++] as typeof records;
          const settled = await deliverer.deliver(
            how.primitive as 'erase',
            batch.map((t) => t.record),
          );
          const acked = batch.filter((_, i) => settled[i]?.status === 'ok');
          await dropFromSnapshot(warehouse, sync.snapshot, acked);
          batch.forEach((target, i) => {
            settle(tally, target, settled[i] as Settled);
          });
        }
      };
      await Promise.all(
        Array.from(
          {
            length: destination.sequential
              ? 1
              : Math.max(1, Math.min(open.limits.concurrency, batches.length)),
          },
          worker,
        ),
      );
      report.requests = deliverer.requests();
    }
    await recordTally(warehouse, tables, step, tally, options.now());
    report.acknowledged = [...tally.values()].reduce((sum, t) => sum + t.ok, 0);
    report.ms = performance.now() - started;
    return report;
  } finally {
    await releaseLease(warehouse, sync.stateSchema, config.name, runId);
  }
}

/** One snapshot row to erase: the record for the primitive and the requests it belongs to. */
interface Target {
  record: DestinationRecord;
  requestIds: string[];
}

/** The snapshot rows of the requests' people (keys in memory only while erasing). */
async function targets(
  warehouse: Warehouse,
  tables: PrivacyTables,
  snapshot: { schema: string; name: string },
  requestIds: string[],
): Promise<Target[]> {
  const d = warehouse.dialect;
  const key = d.quoteIdent('key');
  const byKey = new Map<string, Target>();
  for (let start = 0; start < requestIds.length; start += 1000) {
    const ids = requestIds.slice(start, start + 1000).map((id) => d.literal(id));
    const rows = await warehouse.query(`SELECT s.${key} AS k, s.destination_id, x.request_id
FROM ${d.qualify(snapshot)} AS s
JOIN (SELECT DISTINCT request_id, id_hash FROM ${d.qualify(tables.suppressions)} WHERE request_id IN (${ids.join(', ')})) AS x
  ON x.id_hash = ${hashExpr(d, `s.${key}`)}`);
    for (const row of rows) {
      const k = String(row.k);
      const known = byKey.get(k);
      if (known) {
        if (!known.requestIds.includes(String(row.request_id))) known.requestIds.push(String(row.request_id));
        continue;
      }
      const record: DestinationRecord = { key: k, fields: {}, op: 'removed' };
      if (row.destination_id !== null && row.destination_id !== undefined)
        record.destinationId = String(row.destination_id);
      byKey.set(k, { record, requestIds: [String(row.request_id)] });
    }
  }
  return [...byKey.values()].sort((a, b) => a.record.key.localeCompare(b.record.key));
}

/** Removes acknowledged rows from the snapshot, by hash (no clear value in the SQL). */
async function dropFromSnapshot(
  warehouse: Warehouse,
  snapshot: { schema: string; name: string },
  done: Target[],
): Promise<void> {
  const d = warehouse.dialect;
  for (let start = 0; start < done.length; start += 500) {
    const hashes = done.slice(start, start + 500).map((t) => d.literal(identifierHash(t.record.key)));
    await warehouse.execute(
      `DELETE FROM ${d.qualify(snapshot)} WHERE ${hashExpr(d, d.quoteIdent('key'))} IN (${hashes.join(', ')})`,
    );
  }
}

/** Vendor messages may quote the person: keys and email-like words are masked. */
function redactReason(reason: string, key: string): string {
  return reason
    .split(key)
    .join('[redacted]')
    .replace(/[^\s@"'<>,;:]+@[^\s@"'<>,;:]+/g, '[redacted]');
}

function settle(tally: Map<string, RequestTally>, target: Target, settled: Settled): void {
  for (const id of target.requestIds) {
    const t = tally.get(id);
    if (!t) continue;
    if (settled.status === 'ok') {
      t.ok++;
      const responseId = settled.destinationId;
      if (responseId && !/^[[{]/.test(responseId) && t.responseId === undefined) t.responseId = responseId;
    } else if (settled.status === 'rejected') t.rejected = redactReason(settled.reason, target.record.key);
    else t.unacknowledged = redactReason(settled.reason, target.record.key);
  }
}

async function recordTally(
  warehouse: Warehouse,
  tables: PrivacyTables,
  step: string,
  tally: Map<string, RequestTally>,
  now: Date,
): Promise<void> {
  // Group requests by identical outcome: one UPDATE per group, not per request.
  const groups = new Map<string, { outcome: Parameters<typeof updateSteps>[4]; ids: string[] }>();
  for (const [id, t] of tally) {
    const outcome: Parameters<typeof updateSteps>[4] = t.unacknowledged
      ? { status: 'pending', lastError: t.unacknowledged }
      : t.rejected
        ? { status: 'failed', lastError: t.rejected }
        : { status: 'acknowledged', records: t.records, ...(t.responseId && { responseId: t.responseId }) };
    const groupKey = t.responseId ? `${id}` : JSON.stringify(outcome);
    const group = groups.get(groupKey) ?? { outcome, ids: [] };
    group.ids.push(id);
    groups.set(groupKey, group);
  }
  for (const { outcome, ids } of groups.values())
    await updateSteps(warehouse, tables, step, ids, outcome, now);
}
