/**
 * Limits: what the runner applies per destination instance, and the p-queue options built from a
 * declared rate limit. The runner owns the queue; these helpers only translate declarations.
 * The runner builds one such queue per destination account (src/sync/budget/).
 */
import PQueue from 'p-queue';
import { exactJson } from '../warehouse/exact-json.js';
import type { AnyDestination, DestinationLimits, DestinationRecord, RateLimit } from './types.js';

/** Static capabilities merged with the destination's settings-dependent `limits(settings)`. */
export function effectiveLimits(destination: AnyDestination, settings: unknown): DestinationLimits {
  const { batch, rateLimit, concurrency, dailyQuota } = destination.capabilities;
  const override = destination.limits?.(settings) ?? {};
  const merged: DestinationLimits = {
    batch: { ...batch, ...override.batch },
    concurrency: override.concurrency ?? concurrency,
  };
  const limit = override.rateLimit ?? rateLimit;
  if (limit !== undefined) merged.rateLimit = limit;
  const quota = override.dailyQuota ?? dailyQuota;
  if (quota !== undefined) merged.dailyQuota = quota;
  return merged;
}

const encoder = new TextEncoder();

/**
 * Size of a record for `batch.maxBytes`: UTF-8 bytes of its JSON form (key, op, fields) plus a few
 * bytes of envelope. Destinations whose wire format is bigger per record leave headroom in maxBytes.
 */
export function recordBytes(record: DestinationRecord): number {
  return encoder.encode(exactJson({ key: record.key, op: record.op, fields: record.fields })).length + 2;
}

/** The target spacing between groups of requests. */
const STEP_MS = 100;

/** p-queue options for a destination: concurrency plus, when rate-limited, a strict sliding window. */
export interface QueueOptions {
  concurrency: number;
  interval?: number;
  intervalCap?: number;
  strict?: boolean;
}

/**
 * Translates limits into p-queue options: concurrency plus, for a declared rate limit, a strict
 * (sliding-window) cap with requests spread evenly through the window (a few per ~100 ms, never
 * one burst per window: see `spreadRateLimit`).
 */
export function queueOptionsFor(limits: Pick<DestinationLimits, 'concurrency' | 'rateLimit'>): QueueOptions {
  const options: QueueOptions = { concurrency: limits.concurrency };
  if (limits.rateLimit === undefined) return options;
  return { ...options, ...spreadRateLimit(limits.rateLimit), strict: true };
}

/**
 * The cap per interval and the (padded) interval for a rate limit. With `c` requests per interval
 * `i = (perMs + pad) · c / requests`, any `perMs` window at the server (arrivals up to `pad` late,
 * for network jitter) sees at most `requests`, and the achieved rate is perMs / (perMs + pad) of
 * the limit: ~97% for 40/s, ~99% for 190 per 10 s. A colder start (first connection) can still
 * draw a 429, which the runner retries.
 */
export function spreadRateLimit(limit: RateLimit): { intervalCap: number; interval: number } {
  const requests = Math.max(1, Math.floor(limit.requests));
  const pad = Math.max(30, limit.perMs * 0.01);
  const intervalCap = Math.max(1, Math.min(requests, Math.round((requests * STEP_MS) / limit.perMs)));
  const interval = Math.ceil(((limit.perMs + pad) * intervalCap) / requests);
  return { intervalCap, interval };
}

/**
 * The request queue the runner uses for one destination account (src/sync/budget/): its
 * concurrency and paced rate limit. One request at a time and one per window (Slack's webhook):
 * paced from the end of each request (see CompletionPacedQueue).
 */
export function createDestinationQueue(limits: Pick<DestinationLimits, 'concurrency' | 'rateLimit'>): PQueue {
  const { rateLimit } = limits;
  if (limits.concurrency === 1 && rateLimit && Math.floor(rateLimit.requests) <= 1)
    return new CompletionPacedQueue(rateLimit.perMs);
  return new PQueue(queueOptionsFor(limits));
}

type PacedTask<T> = (options: { signal?: AbortSignal }) => PromiseLike<T> | T;

/**
 * One request at a time, each starting a full window after the previous one finished. Pacing by
 * start times (p-queue's interval) lets a request delayed on its way (a loaded machine, a slow
 * connect) reach the server inside the next one's window, which the server refuses; a request
 * cannot arrive after it finished, so a window from the finish always holds. Costs the response
 * time per window (~5–10% of a 1/s budget).
 */
export class CompletionPacedQueue extends PQueue {
  private nextStart = 0;

  constructor(private readonly gapMs: number) {
    super({ concurrency: 1 });
  }

  override add<T>(task: PacedTask<T>, options?: Parameters<PQueue['add']>[1]): Promise<T> {
    return super.add(async (taskOptions) => {
      const wait = this.nextStart - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return await task(taskOptions);
      } finally {
        this.nextStart = Date.now() + this.gapMs;
      }
    }, options);
  }
}
