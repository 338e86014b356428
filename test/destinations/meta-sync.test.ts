/**
 * Meta through the whole sync engine (runSync against the emulator): a >10k audience goes in one
 * upload session with ordered batch_seq and a single last_batch_flag; throttling (code 80003)
 * slows a run instead of failing it; identifiers are normalized and hashed Meta's way; removals
 * send the identifiers kept at add time; rows without identifiers and rows Meta names invalid
 * land in sync_rejections.
 */
import { describe, expect, it } from 'vitest';
import type { MetaEmulatorOptions } from '../../destinations/meta/emulator.js';
import type { SyncConfig } from '../../src/config/types.js';
import { sha256Hex } from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { syncConfig } from '../sync/helpers.js';
import { AUDIENCE, type MetaEmulator, memberEmails, startMeta } from './meta-harness.js';
import { useSyncFixture } from './sync-fixture.js';

type Person = [email: string | null, phone: string | null, name: string | null];

async function setPeople(warehouse: Warehouse, rows: Person[]): Promise<void> {
  await warehouse.load(
    { schema: 'app', name: 'people' },
    [
      { name: 'email', type: 'string' },
      { name: 'phone', type: 'string' },
      { name: 'name', type: 'string' },
    ],
    rows,
  );
}

const many = (n: number): Person[] =>
  Array.from({ length: n }, (_, i) => [`p${i}@example.com`, null, `P${i}`]);

const vipSync = (overrides: Partial<SyncConfig> = {}) =>
  syncConfig({
    name: 'meta_vip',
    from: 'app.people',
    connection: 'meta',
    mode: 'membership',
    list: AUDIENCE,
    key: 'name',
    mappings: { email: 'email', phone: 'phone', first_name: 'name' },
    ...overrides,
  });

describe('meta through runSync', () => {
  const t = useSyncFixture<MetaEmulatorOptions, MetaEmulator>({
    prefix: 'weft-meta-',
    connection: 'meta',
    type: 'meta',
    start: startMeta,
  });
  const userRequests = () => t.emulator.snapshot().state.requests.filter((r) => r.path.endsWith('/users'));

  it('sends a >10k audience in one session: batch_seq 1..n in order, last_batch_flag only on the last', async () => {
    const config = vipSync();
    const proj = await t.project([config]);
    await setPeople(t.warehouse, many(25_000));
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'success', added: 25_000, succeeded: 25_000 });
    const sent = userRequests();
    expect(sent.map((r) => r.rows)).toEqual([10_000, 10_000, 5_000]);
    expect(new Set(sent.map((r) => r.session?.session_id)).size).toBe(1);
    expect(sent.map((r) => r.session?.batch_seq)).toEqual([1, 2, 3]);
    expect(sent.map((r) => r.session?.last_batch_flag)).toEqual([false, false, true]);
    expect(sent.every((r) => r.session?.estimated_num_total === 25_000)).toBe(true);
    const [session] = t.emulator.snapshot().state.sessions;
    expect(session).toMatchObject({ batches: [1, 2, 3], last_batch_flag: true, num_received: 25_000 });
    expect(t.emulator.snapshot().state.audiences[AUDIENCE]?.count).toBe(25_000);
  });

  it('slows down on throttling (code 80003) and still delivers every row, in one ordered session', async () => {
    const config = vipSync();
    // One call per 2 s, far longer than building a batch takes even on a loaded machine: every
    // batch after the first meets 80003 and waits (the usage header names 0 minutes, so the
    // connection's throttle_wait_ms applies) until the window passes.
    const proj = await t.project(
      [config],
      { budget: { calls: 1, perMs: 2000, regainMinutes: 0 } },
      { throttle_wait_ms: 350 },
    );
    await setPeople(t.warehouse, many(21_000));
    const { summary } = await runSync(proj, t.warehouse, config, { retry: { maxAttempts: 10 } });
    expect(summary).toMatchObject({ status: 'success', succeeded: 21_000, unacknowledged: 0 });
    const state = t.emulator.snapshot().state;
    expect(state.throttled).toBeGreaterThan(0);
    expect(userRequests().filter((r) => r.errorCode === 80003).length).toBe(state.throttled);
    // A throttled batch was sent again with the same number.
    const accepted = userRequests().filter((r) => r.status === 200);
    expect(accepted.map((r) => r.session?.batch_seq)).toEqual([1, 2, 3]);
    expect(state.sessions).toHaveLength(1);
    expect(state.audiences[AUDIENCE]?.count).toBe(21_000);
  });

  it("hashes Meta's way: normalized email and phone (digits with country code) as SHA-256", async () => {
    const config = vipSync();
    const proj = await t.project([config]);
    await setPeople(t.warehouse, [[' John.Doe+Ads@Gmail.COM ', '(415) 555-0100', 'Jöhn']]);
    await runSync(proj, t.warehouse, config);
    const [member] = t.emulator.snapshot().state.audiences[AUDIENCE]?.members ?? [];
    // Meta keeps gmail dots and +tags (Google drops them): only trim and lowercase.
    expect(member).toEqual({
      EMAIL: sha256Hex('john.doe+ads@gmail.com'),
      PHONE: sha256Hex('14155550100'),
      FN: sha256Hex('jöhn'),
    });
    expect(userRequests()[0]?.schema).toEqual(['EMAIL', 'PHONE', 'FN']);
  });

  it('removes members with the identifiers kept when they were added', async () => {
    const config = vipSync();
    const proj = await t.project([config]);
    await setPeople(t.warehouse, [
      ['a@example.com', '+14155550101', 'A'],
      ['b@example.com', null, 'B'],
      [null, '+14155550103', 'C'],
    ]);
    await runSync(proj, t.warehouse, config);
    expect(t.emulator.snapshot().state.audiences[AUDIENCE]?.count).toBe(3);
    await setPeople(t.warehouse, [['b@example.com', null, 'B']]);
    const { summary } = await runSync(proj, t.warehouse, config, { allowMassDelete: true });
    expect(summary).toMatchObject({ removed: 2, succeeded: 2 });
    const removal = userRequests().at(-1);
    expect(removal).toMatchObject({ method: 'DELETE', rows: 2, schema: ['EMAIL', 'PHONE', 'FN'] });
    expect(memberEmails(t.emulator)).toEqual([sha256Hex('b@example.com')]);
  });

  it('rejects rows without a usable identifier and rows Meta names invalid; the rest are members', async () => {
    const config = vipSync({ mappings: { email: 'email', phone: 'phone' } });
    const proj = await t.project([config]);
    t.emulator.injectFaults({
      reject: [{ field: 'EMAIL', equals: sha256Hex('blocked@example.com'), reason: 'Invalid entry' }],
    });
    await setPeople(t.warehouse, [
      ['ok@example.com', null, 'A'],
      ['N/A', 'not a phone', 'B'],
      ['blocked@example.com', null, 'C'],
    ]);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', succeeded: 1, rejected: 2 });
    expect(await t.rejections(config.name)).toEqual([
      {
        key: 'B',
        reason:
          'no usable identifier: every mapped key (email, phone, names, …) is empty or invalid after normalization',
      },
      { key: 'C', reason: 'Meta: invalid EMAIL entry (Invalid entry)' },
    ]);
    expect(memberEmails(t.emulator)).toEqual([sha256Hex('ok@example.com')]);
  });
});
