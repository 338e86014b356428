/** A sliding-window rate limiter for emulators: at most `requests` in any rolling `perMs`. */
import type { SandboxRateLimit } from './types.js';

/** Decision for one arriving request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Sliding-window limiter; refused requests do not count towards the window (as most APIs do). */
export class SlidingWindow {
  readonly limit: SandboxRateLimit;
  /** Arrival times of accepted requests, oldest first; `start` skips expired ones. */
  private times: number[] = [];
  private start = 0;
  /** Highest number of accepted requests seen in one window. */
  peak = 0;

  constructor(limit: SandboxRateLimit) {
    this.limit = limit;
  }

  /** Records an arrival at `now` and says whether it is within the limit. */
  take(now: number = Date.now()): RateDecision {
    const horizon = now - this.limit.perMs;
    while (this.start < this.times.length && (this.times[this.start] ?? 0) <= horizon) this.start++;
    if (this.start > 1024 && this.start > this.times.length / 2) {
      this.times = this.times.slice(this.start);
      this.start = 0;
    }
    const inWindow = this.times.length - this.start;
    if (inWindow >= this.limit.requests) {
      const oldest = this.times[this.start] ?? now;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + this.limit.perMs - now) };
    }
    this.times.push(now);
    this.peak = Math.max(this.peak, inWindow + 1);
    return { allowed: true };
  }
}
