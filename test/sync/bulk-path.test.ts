/**
 * The runner's bulk path: per run and primitive, a destination declaring `bulk` gets bulk-sized
 * batches and ctx.bulk = true when the plan sends at least the threshold through the primitive;
 * below it (or for another primitive of the same run) the regular batches. Acks, rejections and
 * the snapshot work the same either way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDestination, type PrimitiveName } from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

interface Call {
  primitive: PrimitiveName;
  bulk: boolean;
  size: number;
}

/** Records every call; rejects keys ending in 7 on the bulk path (as a bulk failedResults would). */
function recordingDestination(threshold = 50, primitives?: PrimitiveName[]) {
  const calls: Call[] = [];
  let running = 0;
  let peakBulk = 0;
  const answer = (primitive: PrimitiveName) => async (ctx: { bulk: boolean }, records: { key: string }[]) => {
    calls.push({ primitive, bulk: ctx.bulk, size: records.length });
    if (ctx.bulk) running++;
    peakBulk = Math.max(peakBulk, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (ctx.bulk) running--;
    return records.map((r) =>
      ctx.bulk && r.key.endsWith('7@x')
        ? { status: 'rejected' as const, reason: 'sf__Error: bad row' }
        : { status: 'ok' as const, destinationId: `id-${r.key}` },
    );
  };
  const destination = defineDestination({
    type: 'test_bulk',
    description: 'in-memory, with a bulk path',
    settings: z.object({ bulk_threshold: z.number().default(threshold) }),
    capabilities: { modes: ['upsert', 'mirror'], batch: { maxRecords: 10 }, concurrency: 4 },
    bulk: (settings) => ({
      threshold: settings.bulk_threshold,
      batch: { maxRecords: 40 },
      ...(primitives && { primitives }),
    }),
    upsert: answer('upsert'),
    remove: answer('remove'),
  });
  return { destination, calls, peakBulk: () => peakBulk };
}

describe('the bulk path', () => {
  let dir: string;
  let warehouse: Warehouse;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bulk-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a change set at or above the threshold in bulk batches, one at a time, with ctx.bulk', async () => {
    const dest = recordingDestination(50);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(100));
    const run = await runSync(projectWith(dir, {}, [config]), warehouse, config, {
      destination: dest.destination,
    });
    expect(dest.calls.every((c) => c.bulk && c.primitive === 'upsert')).toBe(true);
    expect(dest.calls.map((c) => c.size)).toEqual([40, 40, 20]);
    expect(dest.peakBulk()).toBe(1); // bulk concurrency defaults to 1
    // Rejections and acks are journaled as on the regular path.
    expect(run.summary).toMatchObject({ status: 'partial', added: 100, succeeded: 90, rejected: 10 });
    const rejections = await warehouse.query('SELECT count(*) AS n FROM weft_state.sync_rejections');
    expect(Number(rejections[0]?.n)).toBe(10);
    const ids = await warehouse.query('SELECT count(*) AS n FROM weft_state.snapshot_people_sync');
    expect(Number(ids[0]?.n)).toBe(90);
  });

  it('keeps the regular batches below the threshold', async () => {
    const dest = recordingDestination(50);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(49));
    const run = await runSync(projectWith(dir, {}, [config]), warehouse, config, {
      destination: dest.destination,
    });
    expect(run.summary).toMatchObject({ status: 'success', succeeded: 49 });
    expect(dest.calls.some((c) => c.bulk)).toBe(false);
    expect(Math.max(...dest.calls.map((c) => c.size))).toBe(10);
    expect(dest.calls).toHaveLength(5);
  });

  it('keeps the regular batches for a primitive without a bulk form', async () => {
    const dest = recordingDestination(50, ['insert']);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(100));
    const run = await runSync(projectWith(dir, {}, [config]), warehouse, config, {
      destination: dest.destination,
    });
    expect(run.summary).toMatchObject({ status: 'success', succeeded: 100 });
    expect(dest.calls.some((c) => c.bulk)).toBe(false);
    expect(dest.calls).toHaveLength(10);
  });

  it('decides per primitive: many upserts in bulk, a few removals regular, in one run', async () => {
    const dest = recordingDestination(50);
    const config = syncConfig({ from: 'app.people', mode: 'mirror', mappings: { email: 'email' } });
    const project = projectWith(dir, {}, [config]);
    await setPeople(warehouse, people(20));
    await runSync(project, warehouse, config, { destination: dest.destination });
    dest.calls.length = 0;
    // 15 removed, 60 added (20..79): upsert takes the bulk path, remove does not.
    await setPeople(warehouse, [...people(5), ...people(60, 1, 20)]);
    const run = await runSync(project, warehouse, config, {
      destination: dest.destination,
      allowMassDelete: true,
    });
    expect(run.summary).toMatchObject({ added: 60, removed: 15 });
    const upserts = dest.calls.filter((c) => c.primitive === 'upsert');
    const removes = dest.calls.filter((c) => c.primitive === 'remove');
    expect(upserts.map((c) => [c.bulk, c.size])).toEqual([
      [true, 40],
      [true, 20],
    ]);
    expect(removes.every((c) => !c.bulk && c.size <= 10)).toBe(true);
    expect(removes.reduce((n, c) => n + c.size, 0)).toBe(15);
  });
});
