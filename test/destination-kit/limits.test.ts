import { describe, expect, it } from 'vitest';
import { getDestination } from '../../destinations/index.js';
import {
  type AnyDestination,
  createDestinationQueue,
  effectiveLimits,
  parseSettings,
  queueOptionsFor,
  recordBytes,
  spreadRateLimit,
} from '../../src/destination-kit/index.js';

describe('spreadRateLimit', () => {
  it('spreads requests through the window (a few per ~100 ms) and never exceeds the declared limit', () => {
    for (const limit of [
      { requests: 190, perMs: 10_000 },
      { requests: 100, perMs: 10_000 },
      { requests: 3000, perMs: 3000 },
      { requests: 10, perMs: 1000 },
      { requests: 1, perMs: 5000 },
      { requests: 7, perMs: 60_000 },
    ]) {
      const { intervalCap, interval } = spreadRateLimit(limit);
      expect(intervalCap).toBeGreaterThanOrEqual(1);
      // Any window of perMs holds at most ceil(perMs / interval) intervals' worth of calls.
      expect(Math.ceil(limit.perMs / interval) * intervalCap).toBeLessThanOrEqual(limit.requests);
      // And the sustained rate stays within 5% of the limit when the limit allows >1 per sub-window.
      const rate = (intervalCap / interval) * limit.perMs;
      if (limit.requests >= 10) expect(rate).toBeGreaterThanOrEqual(limit.requests * 0.95);
    }
    // 190 per 10 s: 2 per ~105 ms, not 19 (or 190) at once at a window's edge.
    expect(spreadRateLimit({ requests: 190, perMs: 10_000 })).toEqual({ intervalCap: 2, interval: 107 });
  });
});

describe('queueOptionsFor', () => {
  it('uses a strict sliding window only when a rate limit is declared', () => {
    expect(queueOptionsFor({ concurrency: 3 })).toEqual({ concurrency: 3 });
    const limited = queueOptionsFor({
      concurrency: 2,
      rateLimit: { requests: 20, perMs: 1000 },
    });
    expect(limited).toMatchObject({ concurrency: 2, intervalCap: 2, strict: true });
    expect(createDestinationQueue({ concurrency: 5 }).concurrency).toBe(5);
  });
});

describe('effectiveLimits', () => {
  it('merges settings-dependent limits over the static capabilities', () => {
    const webhook = getDestination('webhook') as AnyDestination;
    const settings = { url: 'http://127.0.0.1:1/x', secret: 'abcdefgh', batch_size: 500, concurrency: 2 };
    const defaults = effectiveLimits(
      webhook,
      parseSettings(webhook, { url: settings.url, secret: settings.secret }),
    );
    expect(defaults.batch.maxRecords).toBe(100);
    expect(defaults.rateLimit).toBeUndefined();
    const tuned = effectiveLimits(
      webhook,
      parseSettings(webhook, { ...settings, rate_limit: { requests: 50, per_seconds: 10 } }),
    );
    expect(tuned).toMatchObject({
      batch: { maxRecords: 500 },
      concurrency: 2,
      rateLimit: { requests: 50, perMs: 10_000 },
    });
  });

  it('measures record bytes in UTF-8', () => {
    const ascii = recordBytes({ key: 'k', op: 'added', fields: { n: 'aaaa' } });
    const utf8 = recordBytes({ key: 'k', op: 'added', fields: { n: 'éééé' } });
    expect(utf8 - ascii).toBe(4);
  });
});
