/**
 * Reads that belong to a job already created (status polls, error pages): a throttle or a
 * transient failure waits (Retry-After, else the poll interval) and tries again until the job's
 * deadline, instead of failing the batch and creating the job a second time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DestinationError,
  type HttpRequest,
  type HttpResponse,
  isDestinationError,
} from '../../src/destination-kit/index.js';
import type { KlaviyoContext } from './api.js';

/** Sends a GET until it answers 2xx; auth/config errors throw at once, transient ones wait until `deadline`. */
export async function patientGet(
  ctx: KlaviyoContext,
  request: HttpRequest,
  deadline: number,
  what: string,
): Promise<HttpResponse> {
  for (;;) {
    let wait: number;
    try {
      return await ctx.http.send({ method: 'GET', timeoutMs: ctx.settings.timeout_ms, ...request });
    } catch (error) {
      if (!isDestinationError(error) || !error.isRetryable) throw error;
      wait = error.retryAfterMs ?? ctx.settings.poll_interval_ms;
      if (Date.now() + wait > deadline) {
        throw new DestinationError(
          'retryable',
          `Klaviyo ${what}: still failing at the job deadline (${error.message})`,
        );
      }
    }
    await sleep(wait, undefined, { signal: ctx.signal });
  }
}

/** Waits `ms` (aborted with the run). */
export function pause(ctx: KlaviyoContext, ms: number): Promise<void> {
  return sleep(ms, undefined, { signal: ctx.signal });
}
