/**
 * Closing the lander's worker thread while it lands: `close` answers only once the requests in
 * flight are done, so the thread is never terminated under a running DuckDB call (the engine's
 * binding then aborts the whole process: `terminate called after throwing an instance of
 * 'Napi::Error'`, seen in bench/triggers-serve.mjs when serve stopped mid-landing).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startLandingWorker } from '../../src/events/land/worker-landing.js';
import type { CollectedEvent } from '../../src/events/types.js';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import { loadEventsProject, removeProject, writeEventsProject } from '../serve/project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeProject(dir);
});

function track(n: number): CollectedEvent {
  return {
    messageId: `m${n}`,
    type: 'track',
    source: 'web',
    userId: `user-${n % 97}`,
    event: 'Order Completed',
    properties: { n, revenue: n % 100 },
    timestamp: '2026-03-01T10:00:00.000Z',
    originalTimestamp: '2026-03-01T09:59:58.000Z',
    sentAt: '2026-03-01T09:59:59.000Z',
    receivedAt: '2026-03-01T10:00:01.000Z',
  };
}

describe('the landing worker', () => {
  it('closes after the landings in flight, which all land', async () => {
    const dir = writeEventsProject();
    dirs.push(dir);
    const project = await loadEventsProject(dir);
    const worker = startLandingWorker(project, 'events');
    const encoder = new TextEncoder();
    const batch = (from: number) =>
      Array.from({ length: 5_000 }, (_, i) => encoder.encode(JSON.stringify(track(from + i))));
    // Two landings sent, then close at once: both are still running when close arrives.
    const first = worker.land(batch(0));
    const second = worker.land(batch(5_000));
    await worker.close();
    expect((await first).events).toBe(5_000);
    expect((await second).events).toBe(5_000);
    const [row] = await withWarehouse(project, (w) => w.query('SELECT count(*) AS n FROM events.tracks'));
    expect(Number(row?.n)).toBe(10_000);
  });
});
