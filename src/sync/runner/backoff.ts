/** Retry timing: exponential backoff with full jitter, never shorter than what the server asked. */

/** How a run retries retryable failures. */
export interface RetryPolicy {
  /** Attempts per record including the first (default 6). */
  maxAttempts: number;
  /** First backoff step (default 250 ms); doubles per attempt. */
  baseMs: number;
  /** Longest backoff between attempts (default 30 s), Retry-After aside. */
  maxMs: number;
}

/** Defaults used by `weft sync`. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 250, maxMs: 30_000 };

/**
 * Delay before retry number `attempt` (1 = first retry): a random point in the upper half of
 * `base * 2^(attempt-1)` (capped), or `retryAfterMs` when the destination asked for longer.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Resolves after `ms`, or at once when `signal` is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
