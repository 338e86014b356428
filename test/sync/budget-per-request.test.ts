/**
 * Rate pacing per HTTP request, not per batch (issue 18, item 7). Connectors whose primitives
 * make several requests per batch (HubSpot membership: batch read of record ids, then
 * add-and-remove; HubSpot mirror deletes; Klaviyo: import job, polls; Google Ads: create job,
 * addOperations, run, polls) and field discovery all draw from the account's budget: against an
 * emulator enforcing exactly the declared limit (a sliding window), no request is refused with a
 * 429, while the requests sent outnumber the batches (so pacing batches alone would overrun it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { googleAds } from '../../destinations/google_ads/index.js';
import { hubspot } from '../../destinations/hubspot/index.js';
import { klaviyo } from '../../destinations/klaviyo/index.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import type { AnyDestination } from '../../src/destination-kit/index.js';
import type { RunningEmulator } from '../../src/sandbox/index.js';
import { AccountBudgets } from '../../src/sync/budget/budgets.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { FAST_POLLING, startGoogleAds, USER_LIST } from '../destinations/google-ads-harness.js';
import { startHubspot } from '../destinations/hubspot-harness.js';
import { LIST as KLAVIYO_LIST, startKlaviyo } from '../destinations/klaviyo-harness.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

/**
 * The connector declares 6 requests/s; the emulator refuses past 8 in any second (headroom for
 * arrival jitter on a busy machine). Pacing batches instead of requests would send 2-5 times the
 * declared rate here (every batch makes several requests) and draw 429s.
 */
const DECLARED = { requests: 6, perMs: 1000 };
const ENFORCED = { requests: 8, perMs: 1000 };

/** The connector with a fast declared rate and small batches (many batches, each several requests). */
function paced(destination: AnyDestination, concurrency?: number): AnyDestination {
  return {
    ...destination,
    limits: (settings: unknown) => ({
      ...destination.limits?.(settings),
      rateLimit: DECLARED,
      ...(concurrency && { concurrency }),
      batch: { maxRecords: 5 },
    }),
  } as AnyDestination;
}

describe('every HTTP request draws from the account budget', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: RunningEmulator<unknown> | undefined;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-per-request-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await emulator?.close();
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function project(type: string, settings: Record<string, unknown>, syncs: SyncConfig[]): Project {
    const proj = projectWith(dir, {}, syncs);
    proj.config.connections = { dest: { ...settings, type } };
    return proj;
  }

  /** Runs the syncs in order on one shared budget; returns the emulator's 429s and requests. */
  async function run(
    proj: Project,
    destination: AnyDestination,
    steps: Array<{ sync: SyncConfig; rows: number }>,
    concurrency?: number,
  ): Promise<{ refused: number; requests: number; batches: number }> {
    const started = emulator as RunningEmulator<unknown>;
    started.injectFaults({ rateLimit: ENFORCED });
    const budget = new AccountBudgets();
    let batches = 0;
    for (const step of steps) {
      // Addresses every vendor accepts (p0@example.com, …).
      await setPeople(
        warehouse,
        people(step.rows).map(([email, name, score]) => [email.replace('@x', '@example.com'), name, score]),
      );
      const { summary } = await runSync(proj, warehouse, step.sync, {
        destination: paced(destination, concurrency),
        budget,
        retry: { maxAttempts: 1 }, // a 429 would leave rows unacknowledged: visible in the summary
      });
      expect(summary, `${step.sync.name}: ${summary.error}`).toMatchObject({
        status: 'success',
        unacknowledged: 0,
        rejected: 0,
      });
      const sent = summary.added + summary.changed + summary.removed;
      batches += Math.ceil(sent / 5);
    }
    const { stats } = started.snapshot();
    return { refused: stats.statuses['429'] ?? 0, requests: stats.requests, batches };
  }

  it('HubSpot: upserts, list membership (read ids + add-and-remove) and mirror deletes', async () => {
    emulator = (await startHubspot()) as RunningEmulator<unknown>;
    const contacts = syncConfig({
      name: 'contacts',
      from: 'app.people',
      connection: 'dest',
      mode: 'mirror',
      guardrails: { max_delete_pct: 100 },
      object: 'contacts',
      match_on: 'email',
      mappings: { email: 'email', firstname: 'name' },
    });
    const members = syncConfig({
      name: 'members',
      from: 'app.people',
      connection: 'dest',
      mode: 'membership',
      guardrails: { max_delete_pct: 100 },
      object: 'contacts',
      match_on: 'email',
      list: '1',
      mappings: { email: 'email' },
    });
    const proj = project('hubspot', emulator.settings as Record<string, unknown>, [contacts, members]);
    const result = await run(proj, hubspot, [
      { sync: contacts, rows: 30 },
      { sync: members, rows: 30 },
      { sync: members, rows: 10 },
      { sync: contacts, rows: 10 },
    ]);
    expect(result.refused).toBe(0);
    expect(result.requests).toBeGreaterThan(result.batches);
  }, 60_000);

  it('Klaviyo: import jobs and their polls', async () => {
    emulator = (await startKlaviyo()) as RunningEmulator<unknown>;
    const profiles = syncConfig({
      name: 'profiles',
      from: 'app.people',
      connection: 'dest',
      mode: 'upsert',
      match_on: 'email',
      list: KLAVIYO_LIST,
      mappings: { email: 'email', first_name: 'name' },
    });
    const settings = { ...(emulator.settings as Record<string, unknown>), poll_interval_ms: 10 };
    const result = await run(project('klaviyo', settings, [profiles]), klaviyo, [
      { sync: profiles, rows: 30 },
    ]);
    expect(result.refused).toBe(0);
    expect(result.requests).toBeGreaterThan(result.batches);
  }, 60_000);

  it('Google Ads: create, addOperations, run and poll per batch', async () => {
    emulator = (await startGoogleAds()) as RunningEmulator<unknown>;
    const audience = syncConfig({
      name: 'audience',
      from: 'app.people',
      connection: 'dest',
      mode: 'membership',
      list: USER_LIST,
      mappings: { email: 'email' },
    });
    const settings = { ...(emulator.settings as Record<string, unknown>), ...FAST_POLLING };
    // One job at a time: two jobs on one list are refused (CONCURRENT_MODIFICATION) anyway.
    const result = await run(
      project('google_ads', settings, [audience]),
      googleAds,
      [{ sync: audience, rows: 30 }],
      1,
    );
    expect(result.refused).toBe(0);
    expect(result.requests).toBeGreaterThanOrEqual(result.batches * 3);
  }, 60_000);
});
