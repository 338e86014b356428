/**
 * Daily quotas: requests are counted per destination account and UTC day in
 * `destination_usage`; a run that uses the quota up ends partial with the reason, its unsent
 * rows stay pending, later runs that day send nothing (also after reopening the warehouse),
 * and the next UTC day sends the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { SyncConfig } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { AccountBudgets } from '../../src/sync/budget/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { people, projectWith, setPeople, syncConfig } from './helpers.js';

const retry = { maxAttempts: 4, baseMs: 5, maxMs: 50 };

describe('daily quota per destination account', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const open = () =>
    openWarehouse({ type: 'duckdb', path: path.join(dir, 'weft.duckdb') }, { projectDir: dir });
  const config: SyncConfig = syncConfig({ from: 'app.people', mappings: { email: 'email' } });
  const project = () => projectWith(dir, { ...emulator.settings, batch_size: 10, daily_quota: 3 }, [config]);
  const requests = () => emulator.snapshot().stats.requests;
  const snapshotKeys = async () =>
    (await warehouse.query('SELECT key FROM weft_state.snapshot_people_sync')).length;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-quota-'));
    emulator = await startEmulator(webhookEmulator);
    warehouse = await open();
    await warehouse.execute('CREATE SCHEMA app');
  });
  afterEach(async () => {
    await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops partial when the quota is used up, keeps the rest pending, and holds across runs and restarts', async () => {
    await setPeople(warehouse, people(50)); // 5 batches of 10, quota 3 requests
    const account = `webhook:${emulator.url}/hooks/weft`;
    const reason = `daily quota of 3 requests for ${account} used up; resumes after 00:00 UTC`;

    // The budget's clock is pinned: a run straddling midnight UTC would otherwise see two days.
    const today = new Date('2026-03-02T12:00:00Z');
    const budget = new AccountBudgets(() => today);
    const first = await runSync(project(), warehouse, config, { retry, budget });
    expect(first.summary).toMatchObject({
      status: 'partial',
      error: reason,
      added: 50,
      succeeded: 30,
      unacknowledged: 20,
    });
    expect(requests()).toBe(3);
    expect(await snapshotKeys()).toBe(30);
    const [usage] = await warehouse.query(
      'SELECT account, CAST(day AS VARCHAR) AS day, requests FROM weft_state.destination_usage',
    );
    expect(usage).toEqual({ account, day: '2026-03-02', requests: 3 });
    const [run] = await warehouse.query('SELECT status, error FROM weft_state.sync_runs');
    expect(run).toEqual({ status: 'partial', error: reason });

    // The same day: the 20 pending rows are planned again, and nothing is sent.
    const second = await runSync(project(), warehouse, config, { retry, budget });
    expect(second.summary).toMatchObject({ status: 'partial', error: reason, added: 20, succeeded: 0 });
    expect(requests()).toBe(3);

    // A restart (a new process has a new budget) reads the count back.
    await warehouse.close();
    warehouse = await open();
    const restarted = await runSync(project(), warehouse, config, {
      retry,
      budget: new AccountBudgets(() => today),
    });
    expect(restarted.summary).toMatchObject({ status: 'partial', error: reason, succeeded: 0 });
    expect(requests()).toBe(3);
    expect(await snapshotKeys()).toBe(30);

    // The next UTC day the quota is fresh: the rest goes out.
    const tomorrow = new Date('2026-03-03T00:00:01Z');
    const nextDay = await runSync(project(), warehouse, config, {
      retry,
      budget: new AccountBudgets(() => tomorrow),
    });
    expect(nextDay.summary).toMatchObject({ status: 'success', added: 20, succeeded: 20 });
    expect(requests()).toBe(5);
    expect(Object.keys(emulator.snapshot().state.records.people_sync ?? {})).toHaveLength(50);
    const days = await warehouse.query('SELECT requests FROM weft_state.destination_usage ORDER BY day');
    expect(days.map((row) => Number(row.requests))).toEqual([3, 2]);
  });

  it('shares the quota between syncs of one account', async () => {
    await setPeople(warehouse, people(20));
    const other = syncConfig({ name: 'other_sync', from: 'app.people', mappings: { email: 'email' } });
    const both = projectWith(dir, { ...emulator.settings, batch_size: 10, daily_quota: 3 }, [config, other]);
    const budget = AccountBudgets.forProject(both, () => new Date('2026-03-02T23:59:59Z'));
    const first = await runSync(both, warehouse, config, { retry, budget });
    expect(first.summary).toMatchObject({ status: 'success', succeeded: 20 });
    const second = await runSync(both, warehouse, other, { retry, budget });
    expect(second.summary).toMatchObject({ status: 'partial', succeeded: 10, unacknowledged: 10 });
    expect(second.summary.error).toMatch(/^daily quota of 3 requests for webhook:/);
    expect(requests()).toBe(3);
  });
});
