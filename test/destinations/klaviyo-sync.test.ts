/**
 * Klaviyo through the whole sync engine (runSync against the emulator): import errors come back
 * as row rejections, a throttled job creation is retried after its Retry-After, large change
 * sets go in 10,000-profile jobs, list membership adds and removes, and every request carries
 * the revision header.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KlaviyoEmulatorOptions } from '../../destinations/klaviyo/emulator.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, syncConfig } from '../sync/helpers.js';
import { type KlaviyoEmulator, LIST, startKlaviyo } from './klaviyo-harness.js';

const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `p${from + i}@example.com`);

const profilesSync = (overrides: Partial<SyncConfig> = {}) =>
  syncConfig({
    name: 'klaviyo_profiles',
    from: 'app.people',
    connection: 'kl',
    match_on: 'email',
    mappings: { email: 'email', first_name: 'name', tier: 'tier' },
    ...overrides,
  });

describe('klaviyo through runSync', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: KlaviyoEmulator;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-klaviyo-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await emulator?.close();
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setPeople(list: string[], table = 'people'): Promise<void> {
    await warehouse.load(
      { schema: 'app', name: table },
      [
        { name: 'email', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'tier', type: 'string' },
      ],
      list.map((email) => [email, email.split('@')[0] ?? '', 'gold']),
    );
  }
  async function project(
    syncs: SyncConfig[],
    options: Partial<KlaviyoEmulatorOptions> = {},
    settings: Record<string, unknown> = {},
  ): Promise<Project> {
    emulator = await startKlaviyo(options);
    const result = projectWith(dir, {}, syncs);
    result.config.connections = { kl: { ...emulator.settings, ...settings, type: 'klaviyo' } };
    result.sources[0]?.tables.push({ name: 'vip', identifier: 'vip' });
    return result;
  }
  const rejections = (sync: string) =>
    warehouse.query<{ key: string; reason: string }>(
      `SELECT key, reason FROM weft_state.sync_rejections WHERE sync = '${sync}' ORDER BY key`,
    );

  it('brings import errors back as row rejections; the rest of the job is delivered', async () => {
    const config = profilesSync();
    const proj = await project([config]);
    emulator.injectFaults({
      reject: [{ field: 'email', matches: '^p[13]@', reason: 'This email address is suppressed' }],
    });
    await setPeople(emails(5));
    const { summary } = await runSync(proj, warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', added: 5, succeeded: 3, rejected: 2 });
    expect(await rejections(config.name)).toEqual([
      { key: 'p1@example.com', reason: 'invalid: This email address is suppressed' },
      { key: 'p3@example.com', reason: 'invalid: This email address is suppressed' },
    ]);
    expect(
      emulator
        .snapshot()
        .state.profiles.map((p) => p.email)
        .sort(),
    ).toEqual(['p0@example.com', 'p2@example.com', 'p4@example.com']);
  });

  it('sends a large change set in 10,000-profile jobs and retries a throttled job creation after Retry-After', async () => {
    const config = profilesSync();
    const proj = await project([config], {
      limits: { 'jobs.create': { burstPerSecond: 1, steadyPerMinute: 100 } },
    });
    await setPeople(emails(12_000));
    const { summary } = await runSync(proj, warehouse, config);
    expect(summary).toMatchObject({ status: 'success', added: 12_000, succeeded: 12_000 });
    const posts = emulator
      .snapshot()
      .state.requests.filter((r) => r.path === '/api/profile-bulk-import-jobs');
    expect(
      posts
        .filter((r) => r.status === 202)
        .map((r) => r.items)
        .sort(),
    ).toEqual([10_000, 2_000].sort());
    const throttled = posts.findIndex((r) => r.status === 429);
    expect(throttled).toBeGreaterThanOrEqual(0);
    // The throttled POST was answered before its body was read: the next POST is its retry.
    const retry = posts[throttled + 1];
    expect((retry?.at ?? 0) - (posts[throttled]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(emulator.snapshot().state.profiles).toHaveLength(12_000);
  });

  it('adds list members through the import job, removes them by looked-up ids, always sending the revision', async () => {
    const profiles = profilesSync();
    const vip = profilesSync({ name: 'klaviyo_vip', from: 'app.vip', mode: 'membership', list: LIST });
    const proj = await project([profiles, vip], {}, { revision: '2025-01-15' });
    await setPeople(emails(4), 'vip');
    const first = await runSync(proj, warehouse, vip);
    expect(first.summary).toMatchObject({ status: 'success', added: 4, succeeded: 4 });
    await setPeople(emails(3), 'vip');
    const second = await runSync(proj, warehouse, vip);
    expect(second.summary).toMatchObject({ status: 'success', removed: 1, succeeded: 1 });
    const { profiles: stored, lists, requests } = emulator.snapshot().state;
    const members = (lists[LIST] ?? []).map((id) => stored.find((p) => p.id === id)?.email).sort();
    expect(members).toEqual(emails(3));
    expect(requests.length).toBeGreaterThan(4);
    expect(new Set(requests.map((r) => r.revision))).toEqual(new Set(['2025-01-15']));
  });
});
