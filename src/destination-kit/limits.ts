/**
 * Limits: what the runner applies per destination instance, and the p-queue options built from a
 * declared rate limit. The runner owns the queue; these helpers only translate declarations.
 * Note: the sync runner does not use `queueOptionsFor`/`createDestinationQueue` (~1 s
 * sub-windows): it paces more finely (src/sync/runner/queue.ts) through one queue per
 * destination account (src/sync/budget/). They stay for the kit's own tests and callers.
 */
import PQueue from 'p-queue';
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
  return encoder.encode(JSON.stringify({ key: record.key, op: record.op, fields: record.fields })).length + 2;
}

/** Smallest sub-window used when spreading a rate limit (timers are not precise below this). */
const MIN_SUBWINDOW_MS = 1000;

/** p-queue options for a destination: concurrency plus, when rate-limited, a strict sliding window. */
export interface QueueOptions {
  concurrency: number;
  interval?: number;
  intervalCap?: number;
  strict?: boolean;
}

/**
 * Translates limits into p-queue options. A rate limit of `requests` per `perMs` becomes a strict
 * (sliding-window) cap over a sub-window of about 1 s — 190 per 10 s becomes 19 per ~1 s — so
 * requests are spread evenly instead of bursting at window edges. Any `perMs` window is covered
 * by perMs/sub-window sub-windows, so the declared limit holds; the sub-window is padded by 4 %
 * (at least 40 ms) to absorb network jitter between a call starting and the server counting it:
 * the tolerated jitter is the total padding over one window (e.g. 40 ms for 20 per 1 s, 400 ms for
 * 190 per 10 s). A colder start (first connection) can still draw a 429, which the runner retries.
 */
export function queueOptionsFor(limits: DestinationLimits): QueueOptions {
  const options: QueueOptions = { concurrency: limits.concurrency };
  if (limits.rateLimit === undefined) return options;
  const { intervalCap, interval } = spreadRateLimit(limits.rateLimit);
  return { ...options, intervalCap, interval, strict: true };
}

/** The sub-window cap and (padded) interval for a rate limit; exported for tests and benchmarks. */
export function spreadRateLimit(limit: RateLimit): { intervalCap: number; interval: number } {
  const requests = Math.max(1, Math.floor(limit.requests));
  // Split the window into n equal parts, keeping at least one request and ~1 s per part.
  let parts = Math.max(1, Math.min(requests, Math.floor(limit.perMs / MIN_SUBWINDOW_MS)));
  // Prefer a split where the cap divides evenly (no rate lost to rounding), searching downwards.
  while (parts > 1 && requests % parts !== 0 && Math.floor(requests / parts) * parts < requests * 0.98)
    parts--;
  const intervalCap = Math.floor(requests / parts);
  const subWindow = limit.perMs / parts;
  const interval = Math.ceil(subWindow + Math.max(40, subWindow * 0.04));
  return { intervalCap, interval };
}

/** A p-queue built from the destination's limits (for the runner). */
export function createDestinationQueue(limits: DestinationLimits): PQueue {
  return new PQueue(queueOptionsFor(limits));
}
