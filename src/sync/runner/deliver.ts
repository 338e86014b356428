/**
 * Delivers one batch through the account's budget (its shared, rate-limited queue) and settles
 * every record: acknowledged, rejected (with the reason) or unacknowledged (retries exhausted,
 * or the run stopped). Retryable failures back off with jitter (honouring retryAfterMs; a rate
 * limit pauses the account's whole queue); a batch failing with a `record` error is split in
 * halves to isolate bad rows; auth/config errors (and bugs) stop the run. A graceful stop drops
 * calls still waiting in the queue and starts no retries, but lets calls already sent answer.
 */
import { setMaxListeners } from 'node:events';
import {
  type AnyDestination,
  type DestinationContext,
  type DestinationRecord,
  invokePrimitive,
  isDestinationError,
  type PrimitiveName,
  type RecordResult,
} from '../../destination-kit/index.js';
import type { AccountBudget } from '../budget/account-budget.js';
import { backoffDelay, type RetryPolicy, sleep } from './backoff.js';

/** How one record ended. */
export type Settled =
  | { status: 'ok'; destinationId?: string }
  | { status: 'rejected'; reason: string }
  | { status: 'unacknowledged'; reason: string };

/** Thrown when the run must stop (auth/config error, or an unexpected failure). */
export class RunStopped extends Error {
  override name = 'RunStopped';
}

/** What a deliverer needs. */
export interface DeliveryOptions {
  destination: AnyDestination;
  ctx: DestinationContext;
  /** The account's budget: its queue, 429 pause and daily quota. */
  budget: AccountBudget;
  /** p-queue priority of this run's calls (see budget/priority.ts). */
  priority: number;
  retry: RetryPolicy;
  /** Aborted when the run stops hard: queued and running calls are dropped, backoffs end. */
  signal: AbortSignal;
  /** Aborted to stop gracefully: queued calls are dropped, running ones answer, no retries. */
  stop: AbortSignal;
  /** Asks the run to stop gracefully (the daily quota is used up). */
  requestStop: (reason: Error) => void;
}

/** A call the queue dropped before it was sent (graceful stop). */
class NotSent extends Error {}

/** Sends batches of one run. `deliver` settles every record of a batch or throws RunStopped. */
export function createDeliverer(options: DeliveryOptions) {
  const { destination, ctx, budget, priority, retry, signal, stop, requestStop } = options;
  let requests = 0;
  // Backoffs end on either stop.
  const wake = AbortSignal.any([signal, stop]);
  setMaxListeners(0, wake);
  const unsent = (records: DestinationRecord[], reason = 'the run stopped'): Settled[] =>
    records.map(() => ({ status: 'unacknowledged', reason }));

  /**
   * One primitive call: it starts when the account's queue lets it (priority, concurrency, paced
   * rate), and every HTTP request it makes (the batch write, and the reads, polls and job steps
   * around it) also waits for room in the account's request window and counts against the daily
   * quota, so a connector making several requests per batch stays within the limit. A context
   * whose client cannot be gated (a test double) counts the call as one request, as before.
   */
  async function call(
    primitive: PrimitiveName,
    records: DestinationRecord[],
    attemptNo: number,
    callCtx: DestinationContext,
  ): Promise<RecordResult[]> {
    const cancel = new AbortController();
    let started = false;
    const drop = () => {
      if (!started) cancel.abort(new NotSent());
    };
    const kill = () => cancel.abort(signal.reason);
    stop.addEventListener('abort', drop, { once: true });
    signal.addEventListener('abort', kill, { once: true });
    const gate = budget.gate((response) => callCtx.http.classify(response), {
      signal,
      pauseMs: () => backoffDelay(retry, attemptNo),
    });
    const http = callCtx.http.gated?.(gate);
    try {
      return await budget.add(
        () => {
          started = true;
          if (!http) budget.take(); // throws when the daily quota is used up: nothing is sent
          requests++;
          const ctxOfCall = http ? { ...callCtx, http } : callCtx;
          return invokePrimitive(destination, primitive, ctxOfCall, records).catch((error: unknown) => {
            // Pause inside the task: once it settles the queue starts the next call at once.
            if (isDestinationError(error) && error.kind === 'rate_limit')
              budget.pause(error.retryAfterMs ?? backoffDelay(retry, attemptNo));
            throw error;
          });
        },
        { priority, signal: cancel.signal },
      );
    } catch (error) {
      if (!started && cancel.signal.aborted && !signal.aborted) throw new NotSent();
      throw error;
    } finally {
      stop.removeEventListener('abort', drop);
      signal.removeEventListener('abort', kill);
    }
  }

  async function attempt(
    primitive: PrimitiveName,
    records: DestinationRecord[],
    attemptNo: number,
    callCtx: DestinationContext = ctx,
  ): Promise<Settled[]> {
    if (signal.aborted || stop.aborted) return unsent(records);
    let results: RecordResult[];
    try {
      results = await call(primitive, records, attemptNo, callCtx);
    } catch (error) {
      if (signal.aborted || error instanceof NotSent) return unsent(records);
      // The account's quota is used up (ours, or the vendor says so): stop sending, keep the rest pending.
      if (isDestinationError(error) && error.kind === 'quota') {
        requestStop(error);
        return unsent(records, error.message);
      }
      if (!isDestinationError(error))
        throw new RunStopped(`${primitive} failed: ${(error as Error).message}`, { cause: error });
      if (error.isFatal) throw new RunStopped(error.message, { cause: error });
      if (error.kind === 'record') {
        if (records.length === 1) return [{ status: 'rejected', reason: error.message }];
        const half = Math.ceil(records.length / 2);
        const [left, right] = await Promise.all([
          attempt(primitive, records.slice(0, half), attemptNo, callCtx),
          attempt(primitive, records.slice(half), attemptNo, callCtx),
        ]);
        return [...left, ...right];
      }
      return retryAll(primitive, records, attemptNo, error.message, error.retryAfterMs, callCtx);
    }
    const settled: Settled[] = new Array(records.length);
    const again: number[] = [];
    let retryAfter: number | undefined;
    results.forEach((result, index) => {
      if (result.status === 'retryable') {
        again.push(index);
        retryAfter = Math.max(retryAfter ?? 0, result.retryAfterMs ?? 0) || undefined;
        settled[index] = { status: 'unacknowledged', reason: result.reason };
      } else if (result.status === 'rejected') {
        settled[index] = { status: 'rejected', reason: result.reason };
      } else {
        settled[index] = result.destinationId
          ? { status: 'ok', destinationId: result.destinationId }
          : { status: 'ok' };
      }
    });
    if (again.length === 0) return settled;
    const reason = (settled[again[0] as number] as { reason: string }).reason;
    const retried = await retryAll(
      primitive,
      again.map((i) => records[i] as DestinationRecord),
      attemptNo,
      reason,
      retryAfter,
      callCtx,
    );
    again.forEach((index, k) => {
      settled[index] = retried[k] as Settled;
    });
    return settled;
  }

  async function retryAll(
    primitive: PrimitiveName,
    records: DestinationRecord[],
    attemptNo: number,
    reason: string,
    retryAfterMs: number | undefined,
    callCtx: DestinationContext,
  ): Promise<Settled[]> {
    if (attemptNo >= retry.maxAttempts)
      return unsent(records, `gave up after ${attemptNo} attempts: ${reason}`);
    if (stop.aborted) return unsent(records);
    await sleep(backoffDelay(retry, attemptNo, retryAfterMs), wake);
    return attempt(primitive, records, attemptNo + 1, callCtx);
  }

  return {
    /**
     * Settles every record of the batch (same order), or throws RunStopped. `callCtx` replaces the
     * run's context for this batch (the bulk path's, with ctx.bulk set).
     */
    deliver: (primitive: PrimitiveName, records: DestinationRecord[], callCtx: DestinationContext = ctx) =>
      attempt(primitive, records, 1, callCtx),
    /** Primitive calls made so far (retries and split halves included). */
    requests: () => requests,
  };
}
