/**
 * The runner's `sequential` hint (added for Meta's upload sessions), with an in-process
 * destination: batches of one primitive go one at a time, each after the previous one settled
 * (retries included), only the last carries ctx.lastBatch, and ctx.plannedRecords gives the plan's count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DestinationError, defineDestination } from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from '../sync/helpers.js';

interface Call {
  size: number;
  last: boolean | undefined;
  planned: number | undefined;
}

function sessionDestination(sequential: boolean) {
  const calls: Call[] = [];
  let running = 0;
  let peak = 0;
  let failedOnce = false;
  const destination = defineDestination({
    type: 'test_session',
    description: 'in-memory, one session per run',
    settings: z.object({}),
    capabilities: { modes: ['upsert'], batch: { maxRecords: 10 }, concurrency: 4 },
    sequential,
    async upsert(ctx, records) {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 3));
      running--;
      calls.push({ size: records.length, last: ctx.lastBatch, planned: ctx.plannedRecords });
      // The second batch is throttled once: the third must wait for its retry.
      if (calls.length === 2 && !failedOnce) {
        failedOnce = true;
        throw new DestinationError('rate_limit', 'throttled', { retryAfterMs: 20 });
      }
      return records.map(() => ({ status: 'ok' as const }));
    },
  });
  return { destination, calls, peak: () => peak };
}

describe('sequential destinations', () => {
  let dir: string;
  let warehouse: Warehouse;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-seq-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends one batch at a time in order, the retried one before the next, and flags only the last', async () => {
    const dest = sessionDestination(true);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(35));
    const run = await runSync(projectWith(dir, {}, [config]), warehouse, config, {
      destination: dest.destination,
    });
    expect(run.summary).toMatchObject({ status: 'success', succeeded: 35 });
    expect(dest.peak()).toBe(1);
    // Batch 2 was throttled and retried before batch 3 went out.
    expect(dest.calls.map((c) => c.size)).toEqual([10, 10, 10, 10, 5]);
    expect(dest.calls.map((c) => c.last)).toEqual([false, false, false, false, true]);
    expect(dest.calls.every((c) => c.planned === 35)).toBe(true);
  });

  it('flags a last batch that filled exactly (nothing left to flush), also on its retry', async () => {
    const dest = sessionDestination(true);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(20));
    await runSync(projectWith(dir, {}, [config]), warehouse, config, { destination: dest.destination });
    // The second (last) batch is throttled once and retried with the same flag.
    expect(dest.calls.map((c) => [c.size, c.last])).toEqual([
      [10, false],
      [10, true],
      [10, true],
    ]);
  });

  it('leaves other destinations alone: no lastBatch, batches in parallel', async () => {
    const dest = sessionDestination(false);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(60));
    await runSync(projectWith(dir, {}, [config]), warehouse, config, { destination: dest.destination });
    expect(dest.calls.every((c) => c.last === undefined && c.planned === 60)).toBe(true);
    expect(dest.peak()).toBeGreaterThan(1);
  });
});
