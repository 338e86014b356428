import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdentity, type IdentityReport } from '../../src/identity/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { identityProject, loadRows, type TempWarehouse, tempWarehouse } from './helpers.js';

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const identity = {
  id_types: {
    user_id: { max_per_profile: 1 },
    email: { normalize: 'email', max_per_profile: 2 },
    phone: { normalize: 'phone', default_country_code: '1', max_per_profile: 2 },
    anonymous_id: {},
  },
  hub_threshold: 6,
  // the pools are tiny and random, so nearly every value links several "people": with the default
  // threshold each batch would change the shared set and every run would rebuild in full
  shared_threshold: 50,
  role_mailbox_threshold: 50,
  sources: [
    {
      from: 'src.accounts',
      key: 'row_id',
      ids: { user_id: 'user_id', email: 'email', phone: 'phone' },
      timestamp: 'ts',
    },
    { from: 'src.events', ids: { anonymous_id: 'anon', user_id: 'user_id' }, timestamp: 'ts' },
  ],
};

type Batch = { accounts: Array<Array<string | null | Date>>; events: Array<Array<string | null | Date>> };

/** One batch of noisy rows over small value pools, so components chain, merge and break limits. */
function batch(rand: () => number, n: number): Batch {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  const maybe = <T>(p: number, value: T): T | null => (rand() < p ? value : null);
  const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
  const emails = Array.from({ length: 60 }, (_, i) => `p.e${i}@gmail.com`).concat([
    'Test@test.com',
    ' P.E1+x@GMAIL.com',
  ]);
  const phones = Array.from({ length: 30 }, (_, i) => `(415) 7${String(i).padStart(2, '0')}-1234`).concat([
    '0000000000',
  ]);
  const cookies = Array.from({ length: 80 }, (_, i) => `c${i}`);
  // timestamps spread over a window that overlaps earlier batches (late data moves first_seen)
  const ts = () => new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * (40 + n * 10)) * 3_600_000);
  const accounts = Array.from({ length: 30 }, (_, i) => [
    `b${n}r${i}`,
    maybe(0.8, pick(users)),
    maybe(0.8, pick(emails)),
    maybe(0.5, pick(phones)),
    ts(),
  ]);
  const events = Array.from({ length: 50 }, () => [pick(cookies), maybe(0.3, pick(users)), ts()]);
  return { accounts, events };
}

async function load(w: Warehouse, b: Batch, mode: 'replace' | 'append') {
  await loadRows(w, 'accounts', ['row_id', 'user_id', 'email', 'phone'], b.accounts, mode);
  await loadRows(w, 'events', ['anon', 'user_id'], b.events, mode);
}

async function snapshot(w: Warehouse): Promise<Record<string, unknown[]>> {
  const all = async (sql: string) => (await w.query(sql)).map((r) => JSON.stringify(r));
  return {
    map: await all('SELECT * FROM weft.identity_map ORDER BY ALL'),
    rows: await all('SELECT * FROM weft.identity_rows ORDER BY ALL'),
    edges: await all('SELECT * FROM weft.identity_edges ORDER BY ALL'),
    occurrences: await all('SELECT * FROM weft.identity_occurrences ORDER BY ALL'),
    merges: await all('SELECT old_profile_id, new_profile_id, reason FROM weft.profile_merges ORDER BY ALL'),
    shared: await all('SELECT * FROM weft.identity_shared ORDER BY ALL'),
  };
}

let inc: TempWarehouse;
let full: TempWarehouse;
beforeAll(async () => {
  inc = await tempWarehouse();
  full = await tempWarehouse();
});
afterAll(async () => {
  await inc.dispose();
  await full.dispose();
});

describe('incremental identity builds', () => {
  it('equal a full rebuild after every batch, processing only the new rows', async () => {
    const rand = prng(7);
    const reports: IdentityReport[] = [];
    for (let n = 0; n < 6; n++) {
      const b = batch(rand, n);
      const mode = n === 0 ? 'replace' : 'append';
      await load(inc.warehouse, b, mode);
      await load(full.warehouse, b, mode);
      const report = await buildIdentity(
        identityProject(inc.dir, ['accounts', 'events'], identity),
        inc.warehouse,
      );
      const rebuilt = await buildIdentity(
        identityProject(full.dir, ['accounts', 'events'], identity),
        full.warehouse,
        {
          fullRefresh: true,
        },
      );
      reports.push(report);
      expect(await snapshot(inc.warehouse), `batch ${n}`).toEqual(await snapshot(full.warehouse));
      const {
        ms: _a,
        rounds: _b,
        limit_rounds: _c,
        incremental: _d,
        full_rebuild_reason: _e,
        rows_processed: _f,
        ...figures
      } = report;
      expect(rebuilt).toMatchObject(figures);
    }
    const incremental = reports.filter((r) => r.incremental);
    // most runs continue from state (a run whose rows create a hub falls back to a full rebuild)
    expect(incremental.length).toBeGreaterThanOrEqual(3);
    // 80 rows per batch (an exact duplicate of an earlier row counts once); the sources hold up to 480
    for (const r of incremental) {
      expect(r.rows_processed).toBeLessThanOrEqual(80);
      expect(r.rows_processed).toBeGreaterThanOrEqual(75);
    }
    expect(reports.some((r) => r.limits_applied > 0)).toBe(true);
    expect(reports.some((r) => r.merges + r.splits > 0)).toBe(true);
  });

  it('processes nothing new when nothing changed, and rebuilds when a processed row is deleted', async () => {
    const project = identityProject(inc.dir, ['accounts', 'events'], identity);
    const again = await buildIdentity(project, inc.warehouse);
    expect(again).toMatchObject({ incremental: true, rows_processed: 0, merges: 0, splits: 0, rounds: 0 });
    await inc.warehouse.execute("DELETE FROM raw.accounts WHERE row_id = 'b0r0'");
    const rebuilt = await buildIdentity(project, inc.warehouse);
    expect(rebuilt.incremental).toBe(false);
    expect(rebuilt.full_rebuild_reason).toMatch(/src\.accounts were deleted or changed/);
  });

  it('rebuilds in full when new rows make a value shared, with the full rebuild’s result', async () => {
    const t = (d: number) => new Date(Date.UTC(2024, 1, d));
    const rows = [
      ['s1', 'u-a', 'info@co.io', '212 555 7001', t(1)],
      ['s2', 'u-b', 'info@co.io', '212 555 7002', t(2)],
      ['s3', 'u-c', 'info@co.io', '212 555 7003', t(3)],
    ];
    const strict = { ...identity, shared_threshold: 3, role_mailbox_threshold: 3 };
    const project = (dir: string) => identityProject(dir, ['accounts', 'events'], strict);
    for (const w of [inc, full]) {
      await loadRows(
        w.warehouse,
        'accounts',
        ['row_id', 'user_id', 'email', 'phone'],
        rows.slice(0, 2),
        'replace',
      );
      await loadRows(w.warehouse, 'events', ['anon', 'user_id'], [['c-a', 'u-a', t(1)]], 'replace');
    }
    await buildIdentity(project(inc.dir), inc.warehouse, { fullRefresh: true });
    // two people behind info@: below the threshold of 3, so it is an identifier like any other
    const used = await inc.warehouse.query(`SELECT id_value FROM weft.identity_map WHERE id_type = 'email'`);
    expect(used).toEqual([{ id_value: 'info@co.io' }]);
    for (const w of [inc, full])
      await loadRows(
        w.warehouse,
        'accounts',
        ['row_id', 'user_id', 'email', 'phone'],
        rows.slice(2),
        'append',
      );
    const report = await buildIdentity(project(inc.dir), inc.warehouse);
    expect(report.incremental).toBe(false);
    expect(report.full_rebuild_reason).toMatch(/change which values are shared/);
    expect(report.shared_values).toEqual([{ id_type: 'email', id_value: 'info@co.io', persons: 3 }]);
    await buildIdentity(project(full.dir), full.warehouse, { fullRefresh: true });
    expect(await snapshot(inc.warehouse)).toEqual(await snapshot(full.warehouse));
    // a new row that leaves the shared set alone continues incrementally
    for (const w of [inc, full])
      await loadRows(w.warehouse, 'events', ['anon', 'user_id'], [['c-b', 'u-b', t(4)]], 'append');
    expect((await buildIdentity(project(inc.dir), inc.warehouse)).incremental).toBe(true);
    await buildIdentity(project(full.dir), full.warehouse, { fullRefresh: true });
    expect(await snapshot(inc.warehouse)).toEqual(await snapshot(full.warehouse));
  });
  it('rebuilds in full when a row carrying only a role mailbox arrives: the row joins no one', async () => {
    const t = (d: number) => new Date(Date.UTC(2024, 2, d));
    const project = (dir: string) => identityProject(dir, ['accounts', 'events'], identity);
    const cols = ['row_id', 'user_id', 'email', 'phone'];
    for (const w of [inc, full]) {
      await loadRows(
        w.warehouse,
        'accounts',
        cols,
        [['o1', 'u-o', 'sales@org.io', '212 555 8001', t(1)]],
        'replace',
      );
      await loadRows(w.warehouse, 'events', ['anon', 'user_id'], [['c-o', 'u-o', t(1)]], 'replace');
    }
    await buildIdentity(project(inc.dir), inc.warehouse, { fullRefresh: true });
    // one person's role mailbox, on a row with their other identifiers: theirs
    const mine = await inc.warehouse.query(`SELECT id_value FROM weft.identity_map WHERE id_type = 'email'`);
    expect(mine).toEqual([{ id_value: 'sales@org.io' }]);
    for (const w of [inc, full])
      await loadRows(w.warehouse, 'accounts', cols, [['o2', null, 'Sales@Org.io', null, t(2)]], 'append');
    const report = await buildIdentity(project(inc.dir), inc.warehouse);
    expect(report.incremental).toBe(false);
    expect(report.full_rebuild_reason).toMatch(/change which values are shared/);
    expect(
      await inc.warehouse.query(`SELECT row_key FROM weft.identity_rows WHERE row_key IN ('o1', 'o2')`),
    ).toEqual([{ row_key: 'o1' }]);
    await buildIdentity(project(full.dir), full.warehouse, { fullRefresh: true });
    expect(await snapshot(inc.warehouse)).toEqual(await snapshot(full.warehouse));
  });
});
