/** The per-key token bucket of the personalization endpoint, on an injected clock. */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/serve/rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then the rate, per key, and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 4, () => now);
    for (let i = 0; i < 4; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 500; // one token back at 2 a second
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    now += 10_000; // refilled, but never above the burst
    for (let i = 0; i < 4; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });
});
