/**
 * Pushes a plan: streams its rows from the warehouse (bounded memory), maps them, batches them
 * per primitive, delivers them through the account's budget with at most a few batches in
 * flight (backpressure: no new chunk is read while they are), and journals every settled
 * record. A graceful stop (or a used-up daily quota) reads and launches nothing more and waits
 * for the batches in flight; the rows not sent stay in the plan for the next run.
 */
import { setMaxListeners } from 'node:events';
import {
  type DestinationRecord,
  type PrimitiveName,
  primitiveFor,
  type RecordOp,
} from '../../destination-kit/index.js';
import type { Row, Warehouse } from '../../warehouse/types.js';
import type { AccountBudget } from '../budget/account-budget.js';
import type { OpenDestination } from '../destination.js';
import type { AckEntry, JournalEntry } from '../journal/entries.js';
import type { JournalWriter } from '../journal/journal-file.js';
import type { RowMapper } from '../mapping/compile.js';
import { PLAN } from '../planner/plan-sql.js';
import type { PlanCounts, ResolvedSync } from '../types.js';
import type { RetryPolicy } from './backoff.js';
import { Batcher, type PendingRecord } from './batcher.js';
import { choosePaths, recordsPerPrimitive } from './bulk.js';
import { createDeliverer, RunStopped, type Settled } from './deliver.js';

/** Running totals of a push. */
export interface PushCounts {
  /** Records the destination acknowledged. */
  succeeded: number;
  /** Records rejected (by the destination, or unmappable). */
  rejected: number;
  /** Records left unacknowledged (retries exhausted or the run stopped). */
  unacknowledged: number;
  /** Changes the mode does not send (e.g. removals in upsert mode), recorded as done. */
  skipped: number;
  /** Primitive calls made. */
  requests: number;
}

/** What a push needs. */
export interface PushOptions {
  warehouse: Warehouse;
  sync: ResolvedSync;
  mapper: RowMapper;
  target: OpenDestination;
  journal: JournalWriter;
  retry: RetryPolicy;
  /** Aborted to stop the run (also aborted by the push itself on a fatal error). */
  abort: AbortController;
  /** The destination account's budget (shared with other runs, or private to this one). */
  budget: AccountBudget;
  /** p-queue priority of this run's calls (see budget/priority.ts). */
  priority: number;
  /** Aborted to stop gracefully: no new batches, the ones in flight settle. */
  stop?: AbortSignal;
  /**
   * The plan's counts: a primitive the plan sends at least the destination's `bulk.threshold`
   * records through takes the bulk path (bulk batch limits, ctx.bulk). Absent: no bulk path.
   */
  planCounts?: PlanCounts;
  onProgress?: (counts: PushCounts) => void;
}

/** The result of a push: totals, the error that stopped it hard, or why it stopped gracefully. */
export interface PushResult {
  counts: PushCounts;
  stoppedBy?: Error;
  /** Set when the push stopped gracefully: "stopped: <reason>", or the used-up daily quota. */
  halted?: Error;
  /** Why records were left unacknowledged (the first reason met, e.g. "gave up after 5 attempts: connect ECONNREFUSED …"). */
  unacknowledgedReason?: string;
}

const KINDS: RecordOp[] = ['added', 'changed', 'removed'];

/** Streams, maps, batches, sends and journals every change of the plan table. */
export async function pushPlan(options: PushOptions): Promise<PushResult> {
  const { warehouse, sync, mapper, target, journal, retry, abort } = options;
  const counts: PushCounts = { succeeded: 0, rejected: 0, unacknowledged: 0, skipped: 0, requests: 0 };
  const halt = new AbortController();
  setMaxListeners(0, halt.signal); // one listener per queued call: not a leak
  const requestStop = (reason: Error) => {
    if (!halt.signal.aborted) halt.abort(reason);
  };
  const external = options.stop;
  const onExternalStop = () => requestStop(stopReason(external?.reason));
  if (external?.aborted) onExternalStop();
  else external?.addEventListener('abort', onExternalStop, { once: true });
  const halted = () => halt.signal.aborted;
  const deliverer = createDeliverer({
    ...target,
    budget: options.budget,
    priority: options.priority,
    retry,
    signal: abort.signal,
    stop: halt.signal,
    requestStop,
  });
  const batchers = new Map<PrimitiveName, Batcher>();
  const inFlight = new Set<Promise<void>>();
  const pathOf = choosePaths(
    target.destination,
    target.ctx.settings,
    sync.config.mode,
    target.limits.batch,
    options.planCounts,
  );
  const bulkCtx = { ...target.ctx, bulk: true };
  const planned = options.planCounts && recordsPerPrimitive(sync.config.mode, options.planCounts);
  const sequential = target.destination.sequential === true;
  /** The context of one batch: the path's, with the plan's count and (sequential) the last-batch hint. */
  const ctxFor = (primitive: PrimitiveName, bulk: boolean, last: boolean) => {
    const base = bulk ? bulkCtx : target.ctx;
    const count = planned?.get(primitive);
    if (count === undefined && !sequential) return base;
    return {
      ...base,
      ...(count !== undefined && { plannedRecords: count }),
      ...(sequential && { lastBatch: last }),
    };
  };
  // Sequential destinations: each primitive's latest full batch, held until the next one fills or
  // the plan ends, so the last batch is known when it is launched.
  const held = new Map<PrimitiveName, PendingRecord[]>();
  // Batches in flight per primitive whose path bounds them (bulk, sequential).
  const boundedInFlight = new Map<PrimitiveName, Set<Promise<void>>>();
  // Every request slot busy plus two batches ready: enough to keep the queue fed, and each
  // batch held in flight costs memory (its records wait for the answer to be journaled).
  const maxInFlight = target.limits.concurrency + 2;
  let stoppedBy: Error | undefined;
  let unacknowledgedReason: string | undefined;
  let pendingEntries: JournalEntry[] = [];
  const progress = () => options.onProgress?.({ ...counts, requests: deliverer.requests() });

  const settle = async (batch: PendingRecord[], outcomes: Settled[]) => {
    const entries: JournalEntry[] = [];
    batch.forEach(({ record, hash, fast }, index) => {
      const outcome = outcomes[index] as Settled;
      if (outcome.status === 'ok') entries.push(ack(record, hash, fast, outcome.destinationId));
      else if (outcome.status === 'rejected') entries.push({ t: 'rej', k: record.key, r: outcome.reason });
    });
    let unjournaled: Error | undefined;
    try {
      await journal.append(entries);
    } catch (error) {
      unjournaled = error instanceof Error ? error : new Error(String(error));
    }
    // Delivered is delivered: the rows count as sent even when their acknowledgement could not
    // be journaled; the run then stops, saying they will be sent again (the snapshot cannot move).
    for (const outcome of outcomes) {
      if (outcome.status === 'ok') counts.succeeded++;
      else if (outcome.status === 'rejected') counts.rejected++;
      else {
        counts.unacknowledged++;
        unacknowledgedReason ??= outcome.reason;
      }
    }
    progress();
    if (unjournaled) {
      const delivered = outcomes.filter((o) => o.status === 'ok').length;
      throw new JournalWriteError(
        `the journal ${journal.file} could not be written (${unjournaled.message}): ${delivered} row${delivered === 1 ? '' : 's'} the destination acknowledged could not be recorded and will be sent again next run`,
      );
    }
  };

  const launch = async (primitive: PrimitiveName, batch: PendingRecord[], last = false) => {
    const path = pathOf(primitive);
    const sameBulk =
      path.concurrency !== undefined
        ? (boundedInFlight.get(primitive) ?? new Set<Promise<void>>())
        : undefined;
    if (sameBulk) boundedInFlight.set(primitive, sameBulk);
    while (inFlight.size >= maxInFlight || (sameBulk && sameBulk.size >= (path.concurrency ?? 1)))
      await Promise.race(inFlight); // a bounded batch in flight is in inFlight too
    if (stoppedBy || halted()) {
      counts.unacknowledged += batch.length;
      return;
    }
    const task: Promise<void> = deliverer
      .deliver(
        primitive,
        batch.map((p) => p.record),
        ctxFor(primitive, path.bulk, last),
      )
      .then((outcomes) => settle(batch, outcomes))
      .catch((error: unknown) => {
        stoppedBy ??= error instanceof Error ? error : new Error(String(error));
        // A batch whose outcomes were counted (a journal failure) is not unacknowledged.
        if (!(error instanceof JournalWriteError)) counts.unacknowledged += batch.length;
        abort.abort();
      })
      .finally(() => {
        inFlight.delete(task);
        sameBulk?.delete(task);
      });
    inFlight.add(task);
    sameBulk?.add(task);
  };

  const d = warehouse.dialect;
  const sql = `SELECT * FROM ${d.qualify(sync.plan)} WHERE ${d.quoteIdent(PLAN.change)} IN (${KINDS.map((k) => d.literal(k)).join(', ')})`;
  try {
    for await (const chunk of warehouse.stream(sql)) {
      if (halted()) break;
      for (const row of chunk) {
        if (halted()) break;
        const op = row[PLAN.change] as RecordOp;
        const primitive = primitiveFor(sync.config.mode, op);
        const key = String(row[PLAN.key]);
        const hash = (row[PLAN.hash] as string | null) ?? null;
        const fast = op === 'removed' || row[PLAN.fastHash] == null ? undefined : String(row[PLAN.fastHash]);
        if (!primitive) {
          // Not sent in this mode: the snapshot simply follows the source.
          pendingEntries.push(ack({ key, op }, op === 'removed' ? null : hash, fast));
          counts.skipped++;
          continue;
        }
        const record = toRecord(row, op, key, mapper);
        if (typeof record === 'string') {
          pendingEntries.push({ t: 'rej', k: key, r: record });
          counts.rejected++;
          continue;
        }
        const batcher = batchers.get(primitive) ?? new Batcher(pathOf(primitive).batch);
        batchers.set(primitive, batcher);
        const item: PendingRecord = { record, hash: op === 'removed' ? null : hash };
        if (fast !== undefined) item.fast = fast;
        const size = batcher.size(record);
        if (batcher.tooBig(size)) {
          pendingEntries.push({
            t: 'rej',
            k: key,
            r: `record is ${size} bytes, over the destination's batch limit of ${pathOf(primitive).batch.maxBytes}`,
          });
          counts.rejected++;
          continue;
        }
        const full = batcher.add(item, size);
        const ready = full && sequential ? held.get(primitive) : full;
        if (full && sequential) held.set(primitive, full);
        if (ready) await launch(primitive, ready);
        if (stoppedBy) break;
      }
      if (pendingEntries.length > 0) {
        // Not awaited (nothing depends on it); a failure resurfaces at the final append.
        journal.append(pendingEntries).catch(() => undefined);
        pendingEntries = [];
      }
      if (stoppedBy || halted()) break;
    }
    for (const [primitive, batcher] of batchers) {
      const tail = [held.get(primitive), batcher.flush()].filter((b): b is PendingRecord[] => !!b);
      for (const [index, rest] of tail.entries()) {
        if (!stoppedBy && !halted()) await launch(primitive, rest, index === tail.length - 1);
        else counts.unacknowledged += rest.length;
      }
    }
  } finally {
    await Promise.all(inFlight);
    await journal.append(pendingEntries).catch((error: unknown) => {
      stoppedBy ??= new JournalWriteError(
        `the journal ${journal.file} could not be written (${(error as Error).message}): the rows it would record are sent again next run`,
      );
    });
    external?.removeEventListener('abort', onExternalStop);
  }
  progress();
  // A journal failure is reported like a stop: the counts (what was delivered) must reach the run.
  if (stoppedBy && !(stoppedBy instanceof RunStopped) && !(stoppedBy instanceof JournalWriteError))
    throw stoppedBy;
  const result: PushResult = { counts: { ...counts, requests: deliverer.requests() } };
  if (stoppedBy) result.stoppedBy = stoppedBy;
  else if (halted()) result.halted = halt.signal.reason as Error;
  if (unacknowledgedReason !== undefined) result.unacknowledgedReason = unacknowledgedReason;
  return result;
}

/** The journal could not be written after a batch was settled (its outcomes are already counted). */
class JournalWriteError extends Error {
  override name = 'JournalWriteError';
}

/** "stopped: <reason>" for a graceful stop (`controller.abort('SIGTERM')` → "stopped: SIGTERM"). */
function stopReason(reason: unknown): Error {
  if (typeof reason === 'string' && reason !== '') return new Error(`stopped: ${reason}`);
  if (reason instanceof Error && reason.name !== 'AbortError') return new Error(`stopped: ${reason.message}`);
  return new Error('stopped: stop requested');
}

function ack(
  record: Pick<DestinationRecord, 'key' | 'op'>,
  hash: string | null,
  fast: string | undefined,
  destinationId?: string,
): AckEntry {
  const entry: AckEntry = { t: 'ack', k: record.key, h: hash, op: record.op === 'removed' ? 'drop' : 'set' };
  if (fast !== undefined) entry.f = fast;
  if (destinationId) entry.id = destinationId;
  return entry;
}

/** The destination record of a plan row, or the reason it cannot be mapped. */
function toRecord(row: Row, op: RecordOp, key: string, mapper: RowMapper): DestinationRecord | string {
  const destinationId = row[PLAN.destinationId];
  const base = destinationId ? { destinationId: String(destinationId) } : {};
  if (op === 'removed') return { key, fields: {}, op, ...base };
  const mapped = mapper.map(row);
  return mapped.ok ? { key, fields: mapped.fields, op, ...base } : mapped.reason;
}
