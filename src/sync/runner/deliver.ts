/**
 * Delivers one batch through the rate-limited queue and settles every record: acknowledged,
 * rejected (with the reason) or unacknowledged (retries exhausted, or the run stopped).
 * Retryable failures back off with jitter (honouring retryAfterMs; a rate limit pauses the
 * whole queue); a batch failing with a `record` error is split in halves to isolate bad rows;
 * auth/config errors (and bugs) stop the run.
 */
import type PQueue from 'p-queue';
import {
  type AnyDestination,
  type DestinationContext,
  type DestinationRecord,
  invokePrimitive,
  isDestinationError,
  type PrimitiveName,
  type RecordResult,
} from '../../destination-kit/index.js';
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
  queue: PQueue;
  retry: RetryPolicy;
  /** Aborted when the run stops: queued calls are dropped, backoffs end. */
  signal: AbortSignal;
}

/** Sends batches of one run. `deliver` settles every record of a batch or throws RunStopped. */
export function createDeliverer(options: DeliveryOptions) {
  const { destination, ctx, queue, retry, signal } = options;
  let pausedUntil = 0;
  let requests = 0;

  /** A 429-style signal pauses every queued call, not just the failing one. */
  function pauseQueue(ms: number): void {
    const until = Date.now() + ms;
    if (until <= pausedUntil) return;
    pausedUntil = until;
    queue.pause();
    setTimeout(() => {
      if (Date.now() >= pausedUntil - 1) queue.start();
    }, ms).unref();
  }

  async function call(primitive: PrimitiveName, records: DestinationRecord[]): Promise<RecordResult[]> {
    return queue.add(
      () => {
        requests++;
        return invokePrimitive(destination, primitive, ctx, records);
      },
      { signal },
    ) as Promise<RecordResult[]>;
  }

  async function attempt(
    primitive: PrimitiveName,
    records: DestinationRecord[],
    attemptNo: number,
  ): Promise<Settled[]> {
    if (signal.aborted) return records.map(() => ({ status: 'unacknowledged', reason: 'the run stopped' }));
    let results: RecordResult[];
    try {
      results = await call(primitive, records);
    } catch (error) {
      if (signal.aborted) return records.map(() => ({ status: 'unacknowledged', reason: 'the run stopped' }));
      if (!isDestinationError(error))
        throw new RunStopped(`${primitive} failed: ${(error as Error).message}`, { cause: error });
      if (error.isFatal) throw new RunStopped(error.message, { cause: error });
      if (error.kind === 'record') {
        if (records.length === 1) return [{ status: 'rejected', reason: error.message }];
        const half = Math.ceil(records.length / 2);
        const [left, right] = await Promise.all([
          attempt(primitive, records.slice(0, half), attemptNo),
          attempt(primitive, records.slice(half), attemptNo),
        ]);
        return [...left, ...right];
      }
      if (error.kind === 'rate_limit') pauseQueue(error.retryAfterMs ?? backoffDelay(retry, attemptNo));
      return retryAll(primitive, records, attemptNo, error.message, error.retryAfterMs);
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
  ): Promise<Settled[]> {
    if (attemptNo >= retry.maxAttempts) {
      const why = `gave up after ${attemptNo} attempts: ${reason}`;
      return records.map(() => ({ status: 'unacknowledged', reason: why }));
    }
    await sleep(backoffDelay(retry, attemptNo, retryAfterMs), signal);
    return attempt(primitive, records, attemptNo + 1);
  }

  return {
    /** Settles every record of the batch (same order), or throws RunStopped. */
    deliver: (primitive: PrimitiveName, records: DestinationRecord[]) => attempt(primitive, records, 1),
    /** Primitive calls made so far (retries and split halves included). */
    requests: () => requests,
  };
}
