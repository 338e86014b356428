import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

const fastRetry = { maxAttempts: 4, baseMs: 5, maxMs: 50 };

describe('runSync against the webhook emulator', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const project = (config: SyncConfig, settings: Record<string, unknown> = {}): Project =>
    projectWith(dir, { ...emulator.settings, batch_size: 50, ...settings }, [config]);
  const held = (sync = 'people_sync') => emulator.snapshot().state.records[sync] ?? {};
  const rows = async (sql: string) => warehouse.query(sql);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-runner-'));
    warehouse = await memoryWarehouse();
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
  });
  afterEach(async () => {
    await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('upserts everything, then sends only changes, in batches within the limit', async () => {
    const config = syncConfig({
      from: 'app.people',
      mappings: { email: 'email', name: 'name', score: 'score' },
    });
    await setPeople(warehouse, people(120));
    const first = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(first.summary).toMatchObject({ status: 'success', added: 120, succeeded: 120, rejected: 0 });
    expect(Object.keys(held())).toHaveLength(120);
    expect(held()['p7@x']).toEqual({ email: 'p7@x', name: 'Person 7 v1', score: 7 });
    expect(emulator.snapshot().state.maxBatchRows).toBeLessThanOrEqual(50);

    const again = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(again.summary).toMatchObject({ status: 'success', added: 0, changed: 0, succeeded: 0 });
    expect(emulator.snapshot().state.batches).toHaveLength(3);

    await setPeople(warehouse, [...people(100), ...people(10, 2, 100)]);
    const third = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(third.summary).toMatchObject({ status: 'success', changed: 10, removed: 10, succeeded: 10 });
    expect(held()['p105@x']?.name).toBe('Person 105 v2');
    expect(Object.keys(held())).toHaveLength(120); // upsert never deletes
    const runs = await rows('SELECT status, succeeded FROM weft_state.sync_runs ORDER BY started_at');
    expect(runs.map((r) => r.status)).toEqual(['success', 'success', 'success']);
  });

  it('mirror deletes removed keys; rejections are recorded, make the run partial, and are retried', async () => {
    const config = syncConfig({
      from: 'app.people',
      mode: 'mirror',
      mappings: { email: 'email', name: 'name' },
    });
    await setPeople(warehouse, people(60));
    emulator.injectFaults({
      reject: [{ field: 'email', matches: '^p1[0-4]@x$', reason: 'invalid email domain' }],
    });
    const first = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(first.summary).toMatchObject({ status: 'partial', succeeded: 55, rejected: 5 });
    const rejections = await rows(
      'SELECT key, reason, attempts FROM weft_state.sync_rejections ORDER BY key',
    );
    expect(rejections).toHaveLength(5);
    expect(rejections[0]).toMatchObject({ key: 'p10@x', reason: 'invalid email domain', attempts: 1 });

    const retried = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(retried.summary).toMatchObject({ status: 'partial', added: 5, rejected: 5 });
    expect((await rows('SELECT attempts FROM weft_state.sync_rejections'))[0]?.attempts).toBe(2);

    emulator.injectFaults({ clear: true });
    await setPeople(warehouse, people(40));
    const fixed = await runSync(project(config), warehouse, config, { retry: fastRetry });
    // The 5 rejected keys were never acknowledged: now sent as added; p40..p59 are deleted.
    expect(fixed.summary).toMatchObject({ status: 'success', added: 5, removed: 20, succeeded: 25 });
    expect(Object.keys(held()).sort()).toEqual(
      people(40)
        .map((p) => p[0])
        .sort(),
    );
    expect(await rows('SELECT * FROM weft_state.sync_rejections')).toEqual([]);
  });

  it('retries 429s, 5xx and connection resets until everything is acknowledged', async () => {
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(200));
    emulator.injectFaults({
      fail: [
        { kind: 'status', status: 429, retryAfter: '0' },
        { kind: 'status', status: 503, count: 2 },
        { kind: 'reset' },
        { kind: 'slow', delayMs: 100 },
      ],
    });
    const outcome = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(outcome.summary).toMatchObject({ status: 'success', succeeded: 200 });
    expect(Object.keys(held())).toHaveLength(200);
    expect(emulator.snapshot().stats.faultsApplied).toBe(5);
  });

  it('stops on an auth error without marking anything', async () => {
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(30));
    const outcome = await runSync(project(config, { secret: 'the-wrong-secret' }), warehouse, config, {
      retry: fastRetry,
    });
    expect(outcome.summary.status).toBe('failed');
    expect(outcome.summary.error).toMatch(/not authorised/);
    expect(await rows('SELECT * FROM weft_state.snapshot_people_sync')).toEqual([]);
  });

  it('rejects rows that cannot be mapped, with the reason, and sends the others', async () => {
    const config = syncConfig({
      from: 'app.people',
      mappings: { email: 'email', score: '{{round name 1}}' },
    });
    await setPeople(warehouse, [
      ['a@x', '1.26', 1],
      ['b@x', 'abc', 2],
    ]);
    const outcome = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(outcome.summary).toMatchObject({ status: 'partial', succeeded: 1, rejected: 1 });
    expect(held()['a@x']).toEqual({ email: 'a@x', score: 1.3 });
    const [rejection] = await rows('SELECT key, reason FROM weft_state.sync_rejections');
    expect(rejection).toEqual({ key: 'b@x', reason: "mapping 'score': round: 'abc' is not a number" });
  });

  it('splits a batch refused as a whole to isolate the bad row', async () => {
    await emulator.close();
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50, results: 'never' } });
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(40));
    emulator.injectFaults({ reject: [{ field: 'email', equals: 'p17@x', reason: 'bad' }] });
    const outcome = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(outcome.summary).toMatchObject({ status: 'partial', succeeded: 39, rejected: 1 });
    expect(Object.keys(held())).toHaveLength(39);
  });

  it('refuses a mass delete before sending anything', async () => {
    const config = syncConfig({ from: 'app.people', mode: 'mirror', mappings: { email: 'email' } });
    await setPeople(warehouse, people(20));
    await runSync(project(config), warehouse, config, { retry: fastRetry });
    const sent = emulator.snapshot().stats.requests;
    await setPeople(warehouse, []);
    const outcome = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(outcome.summary.status).toBe('failed');
    expect(outcome.summary.error).toMatch(/guardrail: the source returned no rows/);
    expect(emulator.snapshot().stats.requests).toBe(sent);
    expect(Object.keys(held())).toHaveLength(20);
    const allowed = await runSync(project(config), warehouse, config, {
      retry: fastRetry,
      allowMassDelete: true,
    });
    expect(allowed.summary).toMatchObject({ status: 'success', removed: 20 });
    expect(Object.keys(held())).toHaveLength(0);
  });

  it('--skip-backfill adopts the current result without sending', async () => {
    const config = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
    await setPeople(warehouse, people(25));
    const outcome = await runSync(project(config), warehouse, config, { skipBackfill: true });
    expect(outcome.summary).toMatchObject({ status: 'success', added: 25, succeeded: 0 });
    expect(emulator.snapshot().stats.requests).toBe(0);
    const next = await runSync(project(config), warehouse, config);
    expect(next.summary).toMatchObject({ added: 0, changed: 0 });
  });
});
