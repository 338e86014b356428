/**
 * A destination saying the account's quota is used up (DestinationError kind `quota`, e.g.
 * HubSpot's DAILY 429 or Salesforce's REQUEST_LIMIT_EXCEEDED) ends the run `partial` with the
 * reason; nothing more is sent and the unsent rows stay pending for the next run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DestinationError, defineDestination } from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

/** Accepts `allowance` calls, then answers every call with a quota error. */
function quotaDestination(allowance: number) {
  const received: string[] = [];
  let calls = 0;
  const destination = defineDestination({
    type: 'test_quota',
    description: 'in-memory, with a call allowance',
    settings: z.object({}),
    capabilities: { modes: ['upsert'], batch: { maxRecords: 10 }, concurrency: 1 },
    upsert: async (_ctx, records) => {
      calls++;
      if (calls > allowance) throw new DestinationError('quota', 'daily limit reached (HTTP 429 DAILY)');
      received.push(...records.map((r) => r.key));
      return records.map(() => ({ status: 'ok' as const }));
    },
  });
  return { destination, received, reset: () => (calls = 0) };
}

describe('a quota error from the destination', () => {
  let dir: string;
  let warehouse: Warehouse;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-quota-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends the run partial with the reason and leaves the unsent rows pending', async () => {
    const dest = quotaDestination(3);
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    const project = projectWith(dir, {}, [config]);
    await setPeople(warehouse, people(100));
    const first = await runSync(project, warehouse, config, { destination: dest.destination });
    expect(first.summary).toMatchObject({ status: 'partial', added: 100, succeeded: 30, rejected: 0 });
    expect(first.summary.unacknowledged).toBe(70);
    expect(first.summary.error).toContain('daily limit reached');
    expect(dest.received).toHaveLength(30);
    const [{ n }] = (await warehouse.query('SELECT count(*) AS n FROM weft_state.snapshot_people_sync')) as [
      { n: number },
    ];
    expect(Number(n)).toBe(30);

    dest.reset();
    const next = await runSync(project, warehouse, config, { destination: dest.destination });
    expect(next.summary).toMatchObject({ status: 'partial', added: 70, succeeded: 30 });
    const last = await runSync(project, warehouse, config, {
      destination: quotaDestination(100).destination,
    });
    expect(last.summary).toMatchObject({ status: 'success', added: 40, succeeded: 40 });
  });
});
