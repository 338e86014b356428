/**
 * Salesforce through `runSync` against the emulator: token expiry mid-run, the Bulk API path
 * above bulk_threshold (failed results → sync_rejections), the org's daily quota (403 and the
 * reserve), row locks retried, Salesforce's record errors, mirror deletes by kept id,
 * CampaignMember membership and describe-driven mapping checks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CAMPAIGN_ID } from '../../destinations/salesforce/emulator.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { prepareSync, runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, syncConfig } from '../sync/helpers.js';
import {
  control,
  recordsByExternalId,
  type SalesforceSandbox,
  startSalesforce,
} from './salesforce-harness.js';

const fastRetry = { maxAttempts: 4, baseMs: 5, maxMs: 50 };

/** `n` leads-to-be: id c<i>, a last name, an email (bad for ids in `badEmail`), a lead source. */
async function setContacts(warehouse: Warehouse, ids: number[], badEmail: number[] = [], source = 'Web') {
  await warehouse.load(
    { schema: 'app', name: 'contacts' },
    [
      { name: 'id', type: 'string' },
      { name: 'last_name', type: 'string' },
      { name: 'email', type: 'string' },
      { name: 'lead_source', type: 'string' },
    ],
    ids.map((i) => [`c${i}`, `Last ${i}`, badEmail.includes(i) ? `bad-${i}` : `c${i}@example.com`, source]),
  );
}

const contactsSync = (overrides: Partial<SyncConfig> = {}): SyncConfig =>
  syncConfig({
    name: 'sf_contacts',
    from: 'app.contacts',
    key: 'id',
    object: 'Contact',
    match_on: 'External_Id__c',
    mappings: { LastName: 'last_name', Email: 'email', LeadSource: 'lead_source' },
    ...overrides,
  });

describe('salesforce syncs against the emulator', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: SalesforceSandbox;
  const project = (config: SyncConfig, settings: Record<string, unknown> = {}): Project => {
    const p = projectWith(dir, {}, [config]);
    p.sources[0]?.tables.push(
      { name: 'contacts', identifier: 'contacts' },
      { name: 'members', identifier: 'members' },
    );
    p.config.connections.hook = {
      ...emulator.settings,
      concurrency: 1,
      bulk_poll_ms: 1,
      ...settings,
      type: 'salesforce',
    };
    return p;
  };
  const query = async (sql: string) => warehouse.query(sql);
  const state = () => emulator.snapshot().state;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-salesforce-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('recovers from a token that expires mid-run: the run succeeds with a second grant', async () => {
    emulator = await startSalesforce({ tokenTtlCalls: 3 });
    await setContacts(warehouse, range(0, 1000));
    const config = contactsSync();
    const run = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({ status: 'success', succeeded: 1000 });
    expect(state().tokenGrants.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(recordsByExternalId(emulator))).toHaveLength(1000);
  });

  it('batches in flight that meet the expired token share one new grant', async () => {
    emulator = await startSalesforce({ tokenTtlCalls: 3 });
    await setContacts(warehouse, range(0, 800));
    const config = contactsSync();
    // describe and two upserts use the first token up; the other two upserts get 401 with it.
    const run = await runSync(project(config, { concurrency: 4 }), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({ status: 'success', succeeded: 800 });
    expect(emulator.snapshot().stats.statuses['401']).toBeGreaterThanOrEqual(1);
    expect(state().tokenGrants).toHaveLength(2);
  });

  it('forced expiry (INVALID_SESSION_ID) between runs also recovers', async () => {
    emulator = await startSalesforce();
    const config = contactsSync();
    await setContacts(warehouse, range(0, 10));
    await runSync(project(config), warehouse, config, { retry: fastRetry });
    const grants = state().tokenGrants.length;
    await control(emulator, 'expire-tokens');
    await setContacts(warehouse, range(0, 20));
    const run = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({ status: 'success', added: 10, succeeded: 10 });
    expect(state().tokenGrants.length).toBe(grants + 1);
  });

  it('uses Bulk API 2.0 at or above bulk_threshold: failed results land in sync_rejections with sf__Error', async () => {
    emulator = await startSalesforce();
    await setContacts(warehouse, range(0, 60), [7, 42]);
    const config = contactsSync();
    const run = await runSync(project(config, { bulk_threshold: 50 }), warehouse, config, {
      retry: fastRetry,
    });
    expect(run.summary).toMatchObject({ status: 'partial', added: 60, succeeded: 58, rejected: 2 });
    expect(state().endpoints['bulk:create']).toBe(1);
    expect(state().endpoints['collections:upsert']).toBeUndefined();
    expect(state().bulkJobs[0]).toMatchObject({ state: 'JobComplete', records: 60, failed: 2 });
    const rejections = await query('SELECT key, reason FROM weft_state.sync_rejections ORDER BY key');
    expect(rejections.map((r) => r.key)).toEqual(['c42', 'c7']);
    expect(String(rejections[0]?.reason)).toContain(
      'INVALID_EMAIL_ADDRESS:Email: invalid email address: bad-42',
    );
    // Acknowledged rows keep the Salesforce id Bulk API reported.
    const ids = await query("SELECT destination_id FROM weft_state.snapshot_sf_contacts WHERE key = 'c1'");
    expect(String(ids[0]?.destination_id)).toMatch(/^003/);
  });

  it('uses sObject Collections below bulk_threshold', async () => {
    emulator = await startSalesforce();
    await setContacts(warehouse, range(0, 49), [7]);
    const config = contactsSync();
    const run = await runSync(project(config, { bulk_threshold: 50 }), warehouse, config, {
      retry: fastRetry,
    });
    expect(run.summary).toMatchObject({ status: 'partial', succeeded: 48, rejected: 1 });
    expect(state().endpoints['collections:upsert']).toBe(1);
    expect(state().endpoints['bulk:create']).toBeUndefined();
    const [rejection] = await query('SELECT reason FROM weft_state.sync_rejections');
    expect(String(rejection?.reason)).toBe(
      'INVALID_EMAIL_ADDRESS: Email: invalid email address: bad-7 (fields: Email)',
    );
  });

  it('a bulk job that stops early leaves its unprocessed rows pending for the next run', async () => {
    emulator = await startSalesforce({ bulkFailAfterRecords: 30 });
    await setContacts(warehouse, range(0, 60));
    const config = contactsSync();
    const run = await runSync(project(config, { bulk_threshold: 50 }), warehouse, config, {
      retry: { maxAttempts: 1, baseMs: 5, maxMs: 50 },
    });
    expect(run.summary).toMatchObject({ status: 'partial', succeeded: 30, unacknowledged: 30, rejected: 0 });
    const next = await runSync(project(config, { bulk_threshold: 50 }), warehouse, config, {
      retry: fastRetry,
    });
    expect(next.summary).toMatchObject({ added: 30, succeeded: 30 }); // below the threshold now: collections
    expect(Object.keys(recordsByExternalId(emulator))).toHaveLength(60);
  });

  it('403 REQUEST_LIMIT_EXCEEDED ends the run partial with the remaining rows pending', async () => {
    // Another integration makes one call after each of ours: describe + 3 upserts of 200 fit
    // (each answer still shows calls left), the 4th upsert gets 403.
    emulator = await startSalesforce({ dailyApiLimit: 8, otherUsagePerCall: 1 });
    await setContacts(warehouse, range(0, 1000));
    const config = contactsSync();
    const settings = { quota_reserve_pct: 0 };
    const run = await runSync(project(config, settings), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({
      status: 'partial',
      added: 1000,
      succeeded: 600,
      unacknowledged: 400,
    });
    expect(run.summary.error).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(emulator.snapshot().stats.statuses['403']).toBe(1);
    const [{ n }] = (await query('SELECT count(*) AS n FROM weft_state.snapshot_sf_contacts')) as [
      { n: number },
    ];
    expect(Number(n)).toBe(600);
    await control(emulator, 'usage', { used: 0, max: 100 });
    const next = await runSync(project(config, settings), warehouse, config, { retry: fastRetry });
    expect(next.summary).toMatchObject({ status: 'success', added: 400, succeeded: 400 });
  });

  it('stops before exhaustion: within the quota reserve the run ends partial without a 403', async () => {
    emulator = await startSalesforce({ dailyApiLimit: 100, apiUsage: 92 });
    await setContacts(warehouse, range(0, 1000));
    const config = contactsSync();
    const run = await runSync(project(config, { quota_reserve_pct: 5 }), warehouse, config, {
      retry: fastRetry,
    });
    // 8 calls left, 5 kept in reserve: describe + 2 upserts, then the connector stops.
    expect(run.summary).toMatchObject({ status: 'partial', succeeded: 400, unacknowledged: 600 });
    expect(run.summary.error).toContain('reserve');
    expect(state().apiUsage.used).toBe(95);
    expect(emulator.snapshot().stats.statuses['403']).toBeUndefined();
  });

  it('retries rows Salesforce could not lock (UNABLE_TO_LOCK_ROW)', async () => {
    emulator = await startSalesforce();
    await control(emulator, 'lock-rows', { count: 3 });
    await setContacts(warehouse, range(0, 20));
    const config = contactsSync();
    const run = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({ status: 'success', succeeded: 20, rejected: 0 });
    expect(state().lockedRefusals).toBe(3);
    expect(state().endpoints['collections:upsert']).toBe(2);
  });

  it("rejects what describe says cannot fit before sending, and Salesforce's own errors with its message", async () => {
    emulator = await startSalesforce();
    await setContacts(warehouse, range(0, 5), [2]);
    await warehouse.execute("UPDATE app.contacts SET lead_source = 'Billboard' WHERE id = 'c3'");
    await warehouse.execute("UPDATE app.contacts SET last_name = NULL WHERE id = 'c4'");
    const config = contactsSync();
    const run = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({ status: 'partial', succeeded: 2, rejected: 3 });
    const rows = await query('SELECT key, reason FROM weft_state.sync_rejections ORDER BY key');
    const reason = (key: string) => String(rows.find((r) => r.key === key)?.reason);
    expect(reason('c2')).toContain('INVALID_EMAIL_ADDRESS'); // Salesforce's answer
    expect(reason('c3')).toContain('Billboard'); // restricted picklist, from describe
    expect(reason('c4')).toContain('LastName'); // required, from describe
    expect(state().writes.map((w) => w.records)).toEqual([3]);
  });

  it('mirror deletes removed keys by the Salesforce id kept from the upsert (no lookup)', async () => {
    emulator = await startSalesforce();
    const config = contactsSync({
      mode: 'mirror',
      guardrails: { max_delete_pct: 100 },
    } as Partial<SyncConfig>);
    await setContacts(warehouse, range(0, 10));
    await runSync(project(config), warehouse, config, { retry: fastRetry });
    await setContacts(warehouse, range(0, 7));
    const run = await runSync(project(config), warehouse, config, { retry: fastRetry });
    expect(run.summary).toMatchObject({ status: 'success', removed: 3, succeeded: 3 });
    expect(Object.keys(recordsByExternalId(emulator)).sort()).toEqual(range(0, 7).map((i) => `c${i}`));
    expect(state().endpoints['collections:delete']).toBe(1);
    expect(state().endpoints.query).toBeUndefined();
  });

  it('syncs membership as CampaignMembers of the campaign, removed by kept id', async () => {
    emulator = await startSalesforce();
    const contacts = contactsSync();
    await setContacts(warehouse, range(0, 6));
    await runSync(project(contacts), warehouse, contacts, { retry: fastRetry });
    await warehouse.execute(
      "CREATE VIEW app.members AS SELECT id FROM app.contacts WHERE id IN ('c1','c2','c3','c9')",
    );
    const members = syncConfig({
      name: 'sf_campaign',
      from: 'app.members',
      key: 'id',
      mode: 'membership',
      object: 'Contact',
      match_on: 'External_Id__c',
      list: SANDBOX_CAMPAIGN_ID,
      mappings: { External_Id__c: 'id' },
      guardrails: { max_delete_pct: 100 },
    } as Partial<SyncConfig>);
    const run = await runSync(project(members), warehouse, members, { retry: fastRetry });
    expect(run.summary).toMatchObject({ added: 3, succeeded: 3 });
    const memberOf = () =>
      Object.values(state().records.CampaignMember ?? {}).map((m) => {
        const contact = state().records.Contact?.[String(m.ContactId)];
        return [m.CampaignId, contact?.External_Id__c];
      });
    expect(memberOf().sort()).toEqual([
      [SANDBOX_CAMPAIGN_ID, 'c1'],
      [SANDBOX_CAMPAIGN_ID, 'c2'],
      [SANDBOX_CAMPAIGN_ID, 'c3'],
    ]);
    await warehouse.execute(
      "CREATE OR REPLACE VIEW app.members AS SELECT id FROM app.contacts WHERE id IN ('c2')",
    );
    const queriesBefore = state().endpoints.query ?? 0;
    const removal = await runSync(project(members), warehouse, members, { retry: fastRetry });
    expect(removal.summary).toMatchObject({ status: 'success', removed: 2, succeeded: 2 });
    expect(memberOf()).toEqual([[SANDBOX_CAMPAIGN_ID, 'c2']]);
    expect(state().endpoints.query ?? 0).toBe(queriesBefore); // deleted by the CampaignMember ids kept
  });

  it('fails plan on a mapping to a field describe does not list, naming it and the closest', async () => {
    emulator = await startSalesforce();
    await setContacts(warehouse, range(0, 2));
    const config = contactsSync({ mappings: { LastName: 'last_name', Emial: 'email' } });
    await expect(prepareSync(project(config), warehouse, config)).rejects.toThrow(/Emial.*Email/);
  });
});
