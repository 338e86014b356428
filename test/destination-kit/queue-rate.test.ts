import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import { webhook } from '../../destinations/webhook/index.js';
import {
  createDestinationContext,
  createDestinationQueue,
  invokePrimitive,
  parseSettings,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

const LIMIT = { requests: 20, perMs: 1000 };
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator(webhookEmulator, { rateLimit: LIMIT });
});
afterAll(() => emulator.close());

describe('a queue built from the declared rate limit', () => {
  it('stays under an emulator enforcing the same sliding window: no 429, close to the allowed rate', async () => {
    const ctx = createDestinationContext(webhook, parseSettings(webhook, emulator.settings), {
      syncName: 'rate',
      runId: 'r',
      mode: 'upsert',
    });
    // Warm the connection pool first (the very first fetch of a process takes tens of ms to
    // connect), then forget that request so the measured run starts with an empty window.
    await invokePrimitive(webhook, 'upsert', ctx, [{ key: 'warm', op: 'added', fields: {} }]);
    emulator.reset();
    const queue = createDestinationQueue({ batch: { maxRecords: 1 }, concurrency: 4, rateLimit: LIMIT });
    const calls = 70;
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        queue.add(() =>
          invokePrimitive(webhook, 'upsert', ctx, [{ key: `k${i}`, op: 'added', fields: { i } }]),
        ),
      ),
    );
    const elapsed = Date.now() - started;
    expect(results.flat().every((r) => r?.status === 'ok')).toBe(true);
    const stats = emulator.snapshot().stats;
    expect(stats.rateLimited).toBe(0);
    expect(stats.peakWindowRequests).toBeLessThanOrEqual(LIMIT.requests);
    // 70 calls at 20 per second need three full windows after the first burst: ≥ 3 s, and not much more.
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(3000 / 0.9);
  });
});
