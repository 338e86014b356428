import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DestinationError,
  type DestinationRecord,
  defineDestination,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

/** An in-memory list destination: members by id, ids handed out on add, one poisoned key. */
function listDestination() {
  const members = new Map<string, string>();
  const calls: Array<{ primitive: string; keys: string[] }> = [];
  let nextId = 1;
  const answer = (
    primitive: string,
    records: DestinationRecord[],
    apply: (r: DestinationRecord) => RecordResult,
  ) => {
    calls.push({ primitive, keys: records.map((r) => r.key) });
    if (records.some((r) => r.key === 'p13@x'))
      throw new DestinationError('record', 'HTTP 400: invalid member p13@x');
    return records.map(apply);
  };
  const destination = defineDestination({
    type: 'test_list',
    description: 'in-memory list',
    settings: z.object({}),
    capabilities: { modes: ['membership'], batch: { maxRecords: 8 }, concurrency: 2 },
    addMembers: async (_ctx, records) =>
      answer('add', records, (r) => {
        const id = members.get(r.key) ?? `id-${nextId++}`;
        members.set(r.key, id);
        return { status: 'ok', destinationId: id };
      }),
    removeMembers: async (_ctx, records) =>
      answer('remove', records, (r) => {
        // Removal is by destination id, which the runner must have kept from the add.
        if (members.get(r.key) !== r.destinationId)
          return { status: 'rejected', reason: `unknown id ${r.destinationId}` };
        members.delete(r.key);
        return { status: 'ok' };
      }),
  });
  return { destination, members, calls };
}

describe('membership mode', () => {
  let dir: string;
  let warehouse: Warehouse;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-membership-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds members, isolates a bad one by splitting, and removes by the kept destination id', async () => {
    const list = listDestination();
    const config = syncConfig({
      from: 'app.people',
      mode: 'membership',
      list: 'vip',
      mappings: { email: 'email' },
    });
    const project = projectWith(dir, {}, [config]);
    await setPeople(warehouse, people(20));
    const first = await runSync(project, warehouse, config, { destination: list.destination });
    expect(first.summary).toMatchObject({ status: 'partial', added: 20, succeeded: 19, rejected: 1 });
    expect(list.members.has('p13@x')).toBe(false);
    expect(Math.max(...list.calls.map((c) => c.keys.length))).toBeLessThanOrEqual(8);
    const [rejection] = await warehouse.query('SELECT key, reason FROM weft_state.sync_rejections');
    expect(rejection).toEqual({ key: 'p13@x', reason: 'HTTP 400: invalid member p13@x' });

    await setPeople(warehouse, people(10));
    const second = await runSync(project, warehouse, config, { destination: list.destination });
    expect(second.summary).toMatchObject({ removed: 9, succeeded: 9 });
    expect([...list.members.keys()].sort()).toEqual(
      people(10)
        .map((p) => p[0])
        .sort(),
    );
  });
});
