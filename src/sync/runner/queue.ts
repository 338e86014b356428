/**
 * The runner's request queue: concurrency plus, for a declared rate limit, requests spread
 * evenly through the window (a few per ~100 ms, never one burst per window) with the window
 * padded for network jitter, under p-queue's strict sliding window. With `c` requests per
 * interval `i = (perMs + pad) · c / requests`, any `perMs` window at the server (arrivals up to
 * `pad` late) sees at most `requests`, and the achieved rate is perMs / (perMs + pad) of the
 * limit: ~97% for 40/s, ~99% for 190 per 10 s.
 */
import PQueue from 'p-queue';
import type { DestinationLimits, RateLimit } from '../../destination-kit/index.js';

/** The target spacing between groups of requests. */
const STEP_MS = 100;

/** p-queue interval options for a rate limit. */
export function pacing(limit: RateLimit): { intervalCap: number; interval: number } {
  const requests = Math.max(1, Math.floor(limit.requests));
  const pad = Math.max(30, limit.perMs * 0.01);
  const intervalCap = Math.max(1, Math.min(requests, Math.round((requests * STEP_MS) / limit.perMs)));
  const interval = Math.ceil(((limit.perMs + pad) * intervalCap) / requests);
  return { intervalCap, interval };
}

/** A queue honouring the destination's (or account's) concurrency and rate limit. */
export function createRunQueue(limits: Pick<DestinationLimits, 'concurrency' | 'rateLimit'>): PQueue {
  if (!limits.rateLimit) return new PQueue({ concurrency: limits.concurrency });
  return new PQueue({ concurrency: limits.concurrency, ...pacing(limits.rateLimit), strict: true });
}
