/**
 * The acceptance test of the shared rate budget: two syncs writing to one emulated account (two
 * connections to the same receiver URL), run concurrently, each declaring the account's whole
 * rate limit. With one shared budget they never draw a 429; with a private budget each they do.
 * And with a shared budget a high-priority sync's requests go before a low one's queued ones.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { AccountBudgets } from '../../src/sync/budget/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { people, setPeople, syncConfig } from './helpers.js';

const retry = { maxAttempts: 12, baseMs: 20, maxMs: 400 };

describe('one rate budget per destination account', () => {
  let dir: string;
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const warehouses: Warehouse[] = [];

  /** A warehouse on the test's database file (each concurrent sync gets its own connection). */
  const open = async () => {
    const warehouse = await openWarehouse(
      { type: 'duckdb', path: path.join(dir, 'weft.duckdb') },
      { projectDir: dir },
    );
    warehouses.push(warehouse);
    return warehouse;
  };

  /** Two connections to the same receiver, each declaring `rate` (the whole account's limit). */
  const project = (syncs: SyncConfig[], connection: Record<string, unknown>): Project => {
    const hook = { ...emulator.settings, type: 'webhook', ...connection };
    return {
      dir,
      config: {
        name: 'test',
        schema: 'app',
        state_schema: 'weft_state',
        warehouse: { type: 'duckdb', path: 'weft.duckdb' },
        connections: { hook_a: hook, hook_b: { ...hook } },
        vars: {},
      },
      sources: [{ name: 'app', schema: 'app', tables: [{ name: 'people', identifier: 'people' }] }],
      models: [],
      audiences: [],
      syncs: syncs.map((value) => ({ path: `syncs/${value.name}.yml`, value })),
      secrets: [],
    };
  };
  const syncs = (a: Partial<SyncConfig> = {}, b: Partial<SyncConfig> = {}) => [
    syncConfig({
      name: 'a_sync',
      connection: 'hook_a',
      from: 'app.people',
      mappings: { email: 'email', name: 'name' },
      ...a,
    }),
    syncConfig({
      name: 'b_sync',
      connection: 'hook_b',
      from: 'app.people',
      mappings: { email: 'email', name: 'name' },
      ...b,
    }),
  ];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-budget-'));
    const warehouse = await open();
    await warehouse.execute('CREATE SCHEMA app');
  });
  afterEach(async () => {
    for (const warehouse of warehouses.splice(0)) await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two concurrent syncs sharing the budget never draw a 429; with private budgets they do', async () => {
    // The receiver allows 24 per second; each connection declares 20 per second, all of it.
    emulator = await startEmulator(webhookEmulator, { rateLimit: { requests: 24, perMs: 1000 } });
    const configs = syncs();
    const limited = project(configs, {
      batch_size: 5,
      concurrency: 4,
      rate_limit: { requests: 20, per_seconds: 1 },
    });
    const [a, b] = [await open(), await open()];
    await setPeople(a, people(120));

    const budget = AccountBudgets.forProject(limited);
    expect(budget.keys()).toEqual([`webhook:${emulator.url}/hooks/weft`]); // two connections, one account
    const shared = await Promise.all(
      configs.map((config, i) =>
        runSync(limited, i === 0 ? a : b, config, { budget, retry, releaseMemory: false }),
      ),
    );
    for (const { summary } of shared) expect(summary).toMatchObject({ status: 'success', succeeded: 120 });
    const together = emulator.snapshot(new URLSearchParams('records=false'));
    expect(together.stats.requests).toBe(48);
    expect(together.stats.rateLimited).toBe(0);
    expect(together.state.counts).toEqual({ a_sync: 120, b_sync: 120 });

    // The same two syncs, each assuming the whole limit for itself: together they exceed it.
    emulator.reset();
    await setPeople(a, people(120, 2));
    const alone = await Promise.all(
      configs.map((config, i) => runSync(limited, i === 0 ? a : b, config, { retry, releaseMemory: false })),
    );
    for (const { summary } of alone) expect(summary).toMatchObject({ changed: 120 });
    expect(emulator.snapshot(new URLSearchParams('records=false')).stats.rateLimited).toBeGreaterThan(0);
  });

  it("sends a high-priority sync's requests before a low one's queued requests", async () => {
    emulator = await startEmulator(webhookEmulator);
    // One request at a time, paced: the low sync keeps calls queued the whole time it runs.
    const configs = syncs({ priority: 'low' }, { priority: 'high' });
    const paced = project(configs, {
      batch_size: 5,
      concurrency: 1,
      rate_limit: { requests: 25, per_seconds: 1 },
    });
    const [low, high] = [await open(), await open()];
    await setPeople(low, people(150));
    const budget = AccountBudgets.forProject(paced);
    const lowRun = runSync(paced, low, configs[0] as SyncConfig, { budget, retry, releaseMemory: false });
    // Start the high sync once the low one is sending (its next batches wait in the queue).
    while (emulator.snapshot().state.batches.length < 2) await new Promise((r) => setTimeout(r, 10));
    const highRun = runSync(paced, high, configs[1] as SyncConfig, { budget, retry, releaseMemory: false });
    const [lowOutcome, highOutcome] = await Promise.all([lowRun, highRun]);
    expect(lowOutcome.summary).toMatchObject({ status: 'success', succeeded: 150 });
    expect(highOutcome.summary).toMatchObject({ status: 'success', succeeded: 150 });

    const order = emulator.snapshot().state.batches.map((batch) => batch.sync);
    const firstHigh = order.indexOf('b_sync');
    const lastHigh = order.lastIndexOf('b_sync');
    expect(firstHigh).toBeGreaterThan(0);
    // From the high sync's first request to its last, the low sync's got through only when the
    // high one had no request ready (the budget never idles: on a loaded machine the high sync's
    // next batch can still be reading when a slot frees), never as a matter of course…
    const interleaved = order.slice(firstHigh, lastHigh + 1).filter((sync) => sync === 'a_sync').length;
    expect(interleaved).toBeLessThanOrEqual(2);
    // …though the low sync had requests waiting all along (it sent the rest after).
    expect(order.slice(lastHigh + 1).filter((sync) => sync === 'a_sync').length).toBeGreaterThan(3);
  });
});
