/**
 * Mailchimp through the whole sync engine (runSync against the emulator): a large audience with a
 * high concurrency setting never holds more than 10 connections, per-member errors land in
 * sync_rejections with Mailchimp's error code, tags follow membership, and mirror deletes
 * archive by default or delete permanently (after which Mailchimp refuses the address).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MailchimpEmulatorOptions } from '../../destinations/mailchimp/emulator.js';
import type { SyncConfig } from '../../src/config/types.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { syncConfig } from '../sync/helpers.js';
import { activeMembers, type MailchimpEmulator, startMailchimp } from './mailchimp-harness.js';
import { useSyncFixture } from './sync-fixture.js';

const LIST = 'a1b2c3d4e5';

async function setPeople(warehouse: Warehouse, emails: string[], table = 'people'): Promise<void> {
  await warehouse.load(
    { schema: 'app', name: table },
    [
      { name: 'email', type: 'string' },
      { name: 'name', type: 'string' },
    ],
    emails.map((email) => [email, `Person ${email.split('@')[0]}`]),
  );
}

const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `p${from + i}@example.com`);

const membersSync = (overrides: Partial<SyncConfig> = {}) =>
  syncConfig({
    name: 'mailchimp_members',
    from: 'app.people',
    connection: 'chimp',
    match_on: 'email',
    mappings: { email: 'email', FNAME: 'name' },
    ...overrides,
  });

describe('mailchimp through runSync', () => {
  const t = useSyncFixture<MailchimpEmulatorOptions, MailchimpEmulator>({
    prefix: 'weft-mailchimp-',
    connection: 'chimp',
    type: 'mailchimp',
    start: startMailchimp,
    tables: ['vip'],
  });

  it('the t.emulator refuses the 11th simultaneous connection with 429 (so its peak count means something)', async () => {
    await t.project([], { latencyMs: 100 });
    const auth = `Basic ${Buffer.from(`x:${String(t.emulator.settings.api_key)}`).toString('base64')}`;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        fetch(`${t.emulator.url}/3.0/ping`, { headers: { authorization: auth } }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  });

  it('never holds more than 10 connections, even with concurrency set to 50', async () => {
    const config = membersSync();
    const proj = await t.project([config], { latencyMs: 40 }, { concurrency: 50 });
    await setPeople(t.warehouse, emails(7_500));
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'success', added: 7_500, succeeded: 7_500 });
    const state = t.emulator.snapshot().state;
    expect(state.requests.filter((r) => r.members !== undefined).map((r) => r.members)).toEqual(
      Array(15).fill(500),
    );
    expect(state.refusedConnections).toBe(0);
    expect(state.peakConcurrent).toBeLessThanOrEqual(10);
    // The batches did run side by side (the cap is what held them, not a serial runner).
    expect(state.peakConcurrent).toBeGreaterThan(1);
    expect(Object.keys(activeMembers(t.emulator))).toHaveLength(7_500);
  });

  it('puts per-member errors into sync_rejections with the error code; the rest is delivered', async () => {
    const config = membersSync();
    const proj = await t.project([config]);
    t.emulator.injectFaults({
      reject: [{ field: 'email', equals: 'p1@example.com', reason: 'p1@example.com looks fake' }],
    });
    await setPeople(t.warehouse, [...emails(3), 'not-an-email']);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', added: 4, succeeded: 2, rejected: 2 });
    expect(await t.rejections(config.name)).toEqual([
      { key: 'not-an-email', reason: expect.stringMatching(/email/) },
      { key: 'p1@example.com', reason: 'ERROR_GENERIC: p1@example.com looks fake' },
    ]);
    expect(Object.keys(activeMembers(t.emulator)).sort()).toEqual(['p0@example.com', 'p2@example.com']);
    expect(activeMembers(t.emulator)['p0@example.com']?.merge_fields).toEqual({ FNAME: 'Person p0' });
  });

  it('mirror archives removed members by default, with no fields but the kept subscriber hash', async () => {
    const config = membersSync({ mode: 'mirror' });
    const proj = await t.project([config]);
    await setPeople(t.warehouse, emails(3));
    await runSync(proj, t.warehouse, config);
    await setPeople(t.warehouse, [emails(3)[0] as string, emails(3)[2] as string]);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'success', removed: 1, succeeded: 1 });
    expect(t.emulator.snapshot().state.members[LIST]?.['p1@example.com']?.status).toBe('archived');
    const deletes = t.emulator.snapshot().state.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([`/3.0/lists/${LIST}/members/${md5('p1@example.com')}`]);
  });

  it("delete_mode permanent erases the member, and Mailchimp's refusal to re-import it is a rejection", async () => {
    const config = membersSync({ mode: 'mirror' });
    const proj = await t.project([config], {}, { delete_mode: 'permanent' });
    await setPeople(t.warehouse, emails(2));
    await runSync(proj, t.warehouse, config);
    await setPeople(t.warehouse, emails(1));
    await runSync(proj, t.warehouse, config);
    expect(Object.keys(t.emulator.snapshot().state.members[LIST] ?? {})).toEqual(['p0@example.com']);
    await setPeople(t.warehouse, emails(2));
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', added: 1, rejected: 1 });
    const [row] = await t.rejections(config.name);
    expect(row?.reason).toMatch(
      /^ERROR_GENERIC: p1@example\.com was permanently deleted and cannot be re-imported/,
    );
  });

  it('membership tags members active, untags removed ones, and rejects people outside the audience', async () => {
    const members = membersSync();
    const vip = membersSync({ name: 'mailchimp_vip', from: 'app.vip', mode: 'membership', list: 'vip' });
    const proj = await t.project([members, vip]);
    await setPeople(t.warehouse, emails(4));
    await runSync(proj, t.warehouse, members);
    await setPeople(t.warehouse, [...emails(3), 'stranger@example.com'], 'vip');
    const first = await runSync(proj, t.warehouse, vip);
    expect(first.summary).toMatchObject({ status: 'partial', added: 4, succeeded: 3, rejected: 1 });
    const [rejected] = await t.rejections(vip.name);
    expect(rejected?.reason).toMatch(/^not a member of audience a1b2c3d4e5 \(sync the members first\)/);
    await setPeople(t.warehouse, emails(2), 'vip');
    const second = await runSync(proj, t.warehouse, vip);
    expect(second.summary).toMatchObject({ status: 'success', removed: 1, succeeded: 1 });
    const tags = Object.fromEntries(
      Object.entries(activeMembers(t.emulator)).map(([e, m]) => [e, m.tags.map((tag) => tag.name)]),
    );
    expect(tags).toEqual({
      'p0@example.com': ['vip'],
      'p1@example.com': ['vip'],
      'p2@example.com': [],
      'p3@example.com': [],
    });
  });
});

function md5(email: string): string {
  return createHash('md5').update(email).digest('hex');
}
