/**
 * HubSpot through the whole sync engine (runSync against the emulator): row errors land in
 * sync_rejections with HubSpot's message, the daily limit ends a run partial with the rest
 * pending, the rolling window slows a run without losing rows, bad credentials stop it before
 * anything is sent, and list memberships use record ids from batch read, then from the snapshot.
 */
import { describe, expect, it } from 'vitest';
import type { HubspotEmulatorOptions } from '../../destinations/hubspot/emulator.js';
import type { SyncConfig } from '../../src/config/types.js';
import { SyncConfigError } from '../../src/sync/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { syncConfig } from '../sync/helpers.js';
import { contactsByEmail, type HubspotEmulator, startHubspot } from './hubspot-harness.js';
import { useSyncFixture } from './sync-fixture.js';

type Person = [email: string, name: string, stage: string, ltv: number];

const person = (i: number, stage = 'customer'): Person => [
  `p${i}@example.com`,
  `Person ${i}`,
  stage,
  i * 1.5,
];

async function setPeople(warehouse: Warehouse, rows: Person[], table = 'people'): Promise<void> {
  await warehouse.load(
    { schema: 'app', name: table },
    [
      { name: 'email', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'stage', type: 'string' },
      { name: 'ltv', type: 'double' },
    ],
    rows,
  );
}

const contactsSync = (overrides: Partial<SyncConfig> = {}) =>
  syncConfig({
    name: 'hubspot_contacts',
    from: 'app.people',
    connection: 'hub',
    object: 'contacts',
    match_on: 'email',
    mappings: { email: 'email', firstname: 'name', lifecyclestage: 'stage', lifetime_value: 'ltv' },
    ...overrides,
  });

describe('hubspot through runSync', () => {
  const t = useSyncFixture<HubspotEmulatorOptions, HubspotEmulator>({
    prefix: 'weft-hubspot-',
    connection: 'hub',
    type: 'hubspot',
    start: startHubspot,
    tables: ['vip'],
  });

  it("puts 207 row errors into sync_rejections with HubSpot's message; the rest is delivered", async () => {
    const config = contactsSync();
    const proj = await t.project([config]);
    await setPeople(t.warehouse, [person(1), ['not-an-email', 'Nemo', 'lead', 1], person(2)]);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', added: 3, succeeded: 2, rejected: 1 });
    const rows = await t.rejections(config.name);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key).toBe('not-an-email');
    expect(rows[0]?.reason).toMatch(
      /VALIDATION_ERROR: Property values were not valid: .*Email address not-an-email is invalid/,
    );
    expect(Object.keys(contactsByEmail(t.emulator)).sort()).toEqual(['p1@example.com', 'p2@example.com']);
  });

  it('rejects an enumeration value HubSpot does not allow before sending it, with the allowed values', async () => {
    const config = contactsSync();
    const proj = await t.project([config]);
    await setPeople(t.warehouse, [person(1), person(2, 'royalty')]);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', succeeded: 1, rejected: 1 });
    const [row] = await t.rejections(config.name);
    expect(row?.reason).toBe(
      "field 'lifecyclestage' 'royalty' is not an allowed value (allowed: subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other)",
    );
    // Refused by weft, not by HubSpot: only the good row was sent.
    const upserts = t.emulator.snapshot().state.requests.filter((r) => r.path.endsWith('/batch/upsert'));
    expect(upserts.map((r) => r.inputs)).toEqual([1]);
  });

  it('ends the run partial on the DAILY 429 with the remaining rows pending, and finishes them later', async () => {
    const config = contactsSync();
    // One request for the properties, three batches of 100, then the day's allowance is gone.
    const proj = await t.project(
      [config],
      { limits: { max: 190, intervalMs: 10_000, daily: 4 } },
      { concurrency: 1 },
    );
    await setPeople(
      t.warehouse,
      Array.from({ length: 450 }, (_, i) => person(i)),
    );
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({
      status: 'partial',
      added: 450,
      succeeded: 300,
      rejected: 0,
      unacknowledged: 150,
    });
    expect(summary.error).toMatch(
      /HubSpot daily API limit of 4 requests reached \(429 DAILY\); the rest waits for the next day/,
    );
    expect(t.emulator.snapshot().state.rateLimited.DAILY).toBeGreaterThan(0);
    expect(Object.keys(contactsByEmail(t.emulator))).toHaveLength(300);
    t.emulator.reset(); // a new day (and, here, an empty portal: the snapshot says what weft sent)
    const next = await runSync(proj, t.warehouse, config);
    expect(next.summary).toMatchObject({ status: 'success', added: 150, succeeded: 150 });
  });

  it('slows down on TEN_SECONDLY_ROLLING 429s and still delivers every row', async () => {
    const config = contactsSync();
    // The account is far stricter than the tier says: the runner hits the window and backs off.
    const proj = await t.project([config], { limits: { max: 3, intervalMs: 1_000, daily: 1_000 } });
    const rows = Array.from({ length: 800 }, (_, i) => person(i));
    await setPeople(t.warehouse, rows);
    const { summary } = await runSync(proj, t.warehouse, config, { retry: { maxAttempts: 20 } });
    expect(summary).toMatchObject({ status: 'success', succeeded: 800, rejected: 0, unacknowledged: 0 });
    const state = t.emulator.snapshot().state;
    expect(state.rateLimited.TEN_SECONDLY_ROLLING).toBeGreaterThan(0);
    expect(state.peakWindow).toBeLessThanOrEqual(3);
    expect(state.counts.contacts).toBe(800);
  });

  it('stops on bad credentials (401) before anything is sent', async () => {
    const config = contactsSync();
    const proj = await t.project([config], {}, { access_token: 'expired-token' });
    await setPeople(t.warehouse, [person(1)]);
    const error = await runSync(proj, t.warehouse, config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncConfigError);
    expect((error as Error).message).toMatch(/cannot read the fields of hubspot object 'contacts'.*HTTP 401/);
    expect((error as Error).message).not.toContain('expired-token');
    expect(t.emulator.snapshot().state.counts.contacts).toBe(0);
  });

  it('stops the run on a 401 while sending (a token revoked mid-run): failed, nothing marked', async () => {
    const config = contactsSync();
    const proj = await t.project([config], {}, { concurrency: 1 });
    await setPeople(
      t.warehouse,
      Array.from({ length: 300 }, (_, i) => person(i)),
    );
    const revoked = {
      status: 'error',
      message: 'The OAuth token used to make this call expired.',
      category: 'EXPIRED_AUTHENTICATION',
    };
    const { summary } = await runSync(proj, t.warehouse, config, {
      // After the properties were read: the first batch meets the 401.
      onPlan: () => t.emulator.injectFaults({ fail: [{ kind: 'status', status: 401, body: revoked }] }),
    });
    expect(summary).toMatchObject({ status: 'failed', succeeded: 0 });
    expect(summary.error).toMatch(/not authorised \(HTTP 401\).*expired/);
    const upserts = t.emulator.snapshot().state.requests.filter((r) => r.path.endsWith('/batch/upsert'));
    // The injected 401 answered the first batch (before the t.emulator saw it); nothing more was sent.
    expect(t.emulator.snapshot().stats.statuses['401']).toBe(1);
    expect(upserts).toEqual([]);
    const [{ n }] = (await t.warehouse.query(
      'SELECT count(*) AS n FROM weft_state.snapshot_hubspot_contacts',
    )) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });

  it("syncs list membership with ids from batch read, and removes members by the snapshot's ids", async () => {
    const contacts = contactsSync();
    const vip = syncConfig({
      name: 'hubspot_vip',
      from: 'app.vip',
      connection: 'hub',
      mode: 'membership',
      object: 'contacts',
      match_on: 'email',
      list: '1',
      key: 'email',
      mappings: { email: 'email' },
    });
    const proj = await t.project([contacts, vip]);
    await setPeople(
      t.warehouse,
      Array.from({ length: 5 }, (_, i) => person(i)),
    );
    await runSync(proj, t.warehouse, contacts);
    await setPeople(
      t.warehouse,
      [person(1), person(2), person(3), ['stranger@example.com', 'S', 'lead', 0]],
      'vip',
    );
    const first = await runSync(proj, t.warehouse, vip);
    expect(first.summary).toMatchObject({ status: 'partial', added: 4, succeeded: 3, rejected: 1 });
    const [rejected] = await t.rejections(vip.name);
    expect(rejected?.reason).toBe(
      'no contacts record with email=stranger@example.com in HubSpot: sync contacts first',
    );
    const ids = t.emulator.snapshot().state.records.contacts ?? {};
    const idOf = (email: string) => Object.entries(ids).find(([, p]) => p.email === email)?.[0];
    expect(new Set(t.emulator.snapshot().state.lists['1']?.members)).toEqual(
      new Set([idOf('p1@example.com'), idOf('p2@example.com'), idOf('p3@example.com')]),
    );
    const snapshot = await t.warehouse.query<{ key: string; destination_id: string }>(
      'SELECT key, destination_id FROM weft_state.snapshot_hubspot_vip ORDER BY key',
    );
    expect(snapshot.map((r) => [r.key, r.destination_id])).toEqual(
      ['p1@example.com', 'p2@example.com', 'p3@example.com'].map((email) => [email, idOf(email)]),
    );

    const before = t.emulator.snapshot().state.requests.length;
    await setPeople(t.warehouse, [person(2), ['stranger@example.com', 'S', 'lead', 0]], 'vip');
    const second = await runSync(proj, t.warehouse, vip, { allowMassDelete: true });
    // Two members leave; the stranger (rejected last time) is tried again and still unknown.
    expect(second.summary).toMatchObject({ added: 1, removed: 2, succeeded: 2, rejected: 1 });
    const sent = t.emulator.snapshot().state.requests.slice(before);
    // The removed members' ids came from the snapshot: no batch read for them.
    expect(sent.filter((r) => r.path.endsWith('/batch/read')).map((r) => r.inputs)).toEqual([1]);
    expect(t.emulator.snapshot().state.lists['1']?.members).toEqual([idOf('p2@example.com')]);
  });
});
