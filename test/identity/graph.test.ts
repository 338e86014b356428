import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIdentity } from '../../src/identity/index.js';
import {
  identityProject,
  loadRows,
  profileGroups,
  profileOf,
  type TempWarehouse,
  tempWarehouse,
} from './helpers.js';

let tw: TempWarehouse;
beforeEach(async () => {
  tw = await tempWarehouse();
});
afterEach(async () => tw.dispose());

const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000);
/** A source of (email, anonymous_id) pairs. */
const pairsProject = (dir: string, extra: Record<string, unknown> = {}) =>
  identityProject(dir, ['pairs'], {
    id_types: { email: { normalize: 'email' }, anonymous_id: {} },
    sources: [{ from: 'src.pairs', ids: { email: 'email', anonymous_id: 'anon' }, timestamp: 'ts' }],
    ...extra,
  });

describe('connected components', () => {
  it('collapses a chain of 2,000 identifiers into one profile in few rounds', async () => {
    // e0 - c0 - e1 - c1 - … : each row links email i to cookie i and cookie i to email i+1
    const rows: Array<Array<string | Date>> = [];
    for (let i = 0; i < 1000; i++) {
      rows.push([`e${i}@x.io`, `c${i}`, day(i)]);
      if (i < 999) rows.push([`e${i + 1}@x.io`, `c${i}`, day(i + 1)]);
    }
    // shuffled order must not matter
    rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0])));
    await loadRows(tw.warehouse, 'pairs', ['email', 'anon'], rows);
    const rounds: number[] = [];
    const report = await buildIdentity(pairsProject(tw.dir), tw.warehouse, {
      onEvent: (e) => {
        if (e.type === 'identity_round' && e.phase === 'components') rounds.push(e.round);
      },
    });
    expect(report.identifiers).toBe(2000);
    expect(report.profiles).toBe(1);
    expect(report.largest_profile).toBe(2000);
    expect(report.rounds).toBeGreaterThan(1);
    expect(report.rounds).toBeLessThanOrEqual(25);
    expect(rounds).toEqual(Array.from({ length: report.rounds }, (_, i) => i + 1));
    // the profile id is the hash of the oldest identifier, e0
    const [anchor] = await tw.warehouse.query(`SELECT substr(sha256('email:e0@x.io'), 1, 32) AS id`);
    expect(await profileOf(tw.warehouse, 'anonymous_id', 'c999')).toBe(anchor?.id);
  });

  it('handles a cycle', async () => {
    const rows = [
      ['a@x.io', 'c1', day(1)],
      ['b@x.io', 'c1', day(2)],
      ['b@x.io', 'c2', day(3)],
      ['a@x.io', 'c2', day(4)],
      ['z@x.io', 'c9', day(5)],
    ];
    await loadRows(tw.warehouse, 'pairs', ['email', 'anon'], rows);
    const report = await buildIdentity(pairsProject(tw.dir), tw.warehouse);
    expect(await profileGroups(tw.warehouse)).toEqual([
      ['anonymous_id:c1', 'anonymous_id:c2', 'email:a@x.io', 'email:b@x.io'],
      ['anonymous_id:c9', 'email:z@x.io'],
    ]);
    expect(report.profiles).toBe(2);
  });
});

describe('merge protection', () => {
  const usersProject = (dir: string, types: Record<string, unknown>) =>
    identityProject(dir, ['accounts', 'web'], {
      id_types: types,
      sources: [
        { from: 'src.accounts', ids: { user_id: 'user_id', email: 'email' }, timestamp: 'ts' },
        { from: 'src.web', ids: { user_id: 'user_id', anonymous_id: 'anon' }, timestamp: 'ts' },
      ],
    });

  it('keeps 25 people sharing one email apart (hub) and keeps its edges as evidence', async () => {
    const accounts = Array.from({ length: 25 }, (_, i) => [`u${i}`, 'family@home.io', day(i)]);
    accounts.push(['u0', 'u0@own.io', day(30)]);
    await loadRows(tw.warehouse, 'accounts', ['user_id', 'email'], accounts);
    await loadRows(tw.warehouse, 'web', ['user_id', 'anon'], [['u1', 'c1', day(40)]]);
    const report = await buildIdentity(
      usersProject(tw.dir, { user_id: {}, email: { normalize: 'email' }, anonymous_id: {} }),
      tw.warehouse,
    );
    expect(report.hubs).toBe(1);
    expect(report.profiles).toBe(25);
    expect(await profileOf(tw.warehouse, 'email', 'family@home.io')).toBeUndefined();
    expect(await profileOf(tw.warehouse, 'email', 'u0@own.io')).toBe(
      await profileOf(tw.warehouse, 'user_id', 'u0'),
    );
    expect(await profileOf(tw.warehouse, 'anonymous_id', 'c1')).toBe(
      await profileOf(tw.warehouse, 'user_id', 'u1'),
    );
    const [edges] = await tw.warehouse.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE unused_reason = 'hub' AND NOT used_for_merge) AS hub FROM weft.identity_edges WHERE b_value = 'family@home.io'`,
    );
    expect(edges).toEqual({ n: 25, hub: 25 });
    const [occ] = await tw.warehouse.query(
      `SELECT count(*) AS n FROM weft.identity_occurrences WHERE id_value = 'family@home.io' AND excluded_reason = 'hub'`,
    );
    expect(occ?.n).toBe(25);
  });

  it('respects hub_threshold from identity.yml', async () => {
    const accounts = Array.from({ length: 4 }, (_, i) => [`u${i}`, 'shared@home.io', day(i)]);
    await loadRows(tw.warehouse, 'accounts', ['user_id', 'email'], accounts);
    await loadRows(tw.warehouse, 'web', ['user_id', 'anon'], []);
    const types = { user_id: {}, email: { normalize: 'email', hub_threshold: 3 }, anonymous_id: {} };
    expect((await buildIdentity(usersProject(tw.dir, types), tw.warehouse)).hubs).toBe(1);
    const lenient = { ...types, email: { normalize: 'email', hub_threshold: 4 } };
    const report = await buildIdentity(usersProject(tw.dir, lenient), tw.warehouse);
    expect(report.hubs).toBe(0);
    expect(report.profiles).toBe(1);
    expect(report.full_rebuild_reason).toBe('identity.yml changed');
  });

  it('keeps two logged-in users of one cookie apart (max_per_profile), the cookie standing alone', async () => {
    await loadRows(
      tw.warehouse,
      'accounts',
      ['user_id', 'email'],
      [
        ['ann', 'ann@x.io', day(1)],
        ['bob', 'bob@x.io', day(2)],
      ],
    );
    await loadRows(
      tw.warehouse,
      'web',
      ['user_id', 'anon'],
      [
        [null, 'shared-cookie', day(3)],
        ['ann', 'shared-cookie', day(4)],
        ['bob', 'shared-cookie', day(5)],
        ['ann', 'ann-cookie', day(6)],
      ],
    );
    const types = { user_id: { max_per_profile: 1 }, email: { normalize: 'email' }, anonymous_id: {} };
    const report = await buildIdentity(usersProject(tw.dir, types), tw.warehouse);
    expect(await profileGroups(tw.warehouse)).toEqual([
      ['anonymous_id:ann-cookie', 'email:ann@x.io', 'user_id:ann'],
      ['anonymous_id:shared-cookie'],
      ['email:bob@x.io', 'user_id:bob'],
    ]);
    expect(report.limits_applied).toBe(2);
    const limited = await tw.warehouse.query(
      `SELECT a_value, b_value FROM weft.identity_edges WHERE unused_reason = 'limit' ORDER BY 1`,
    );
    expect(limited).toEqual([
      { a_value: 'ann', b_value: 'shared-cookie' },
      { a_value: 'bob', b_value: 'shared-cookie' },
    ]);
  });

  it('enforces max_per_profile by dropping the lowest priority level first, keeping the oldest values', async () => {
    // one user with 3 emails (limit 2) and a phone linking two other emails of theirs
    await loadRows(
      tw.warehouse,
      'accounts',
      ['user_id', 'email'],
      [
        ['u1', 'old@x.io', day(1)],
        ['u1', 'mid@x.io', day(2)],
        ['u1', 'new@x.io', day(3)],
      ],
    );
    await loadRows(tw.warehouse, 'web', ['user_id', 'anon'], [['u1', 'c1', day(4)]]);
    const types = {
      user_id: { max_per_profile: 1 },
      email: { normalize: 'email', max_per_profile: 2 },
      anonymous_id: {},
    };
    const report = await buildIdentity(usersProject(tw.dir, types), tw.warehouse);
    expect(await profileGroups(tw.warehouse)).toEqual([
      ['anonymous_id:c1', 'email:mid@x.io', 'email:old@x.io', 'user_id:u1'],
      ['email:new@x.io'],
    ]);
    expect(report.limits_applied).toBe(1);
    // deterministic: the same again from scratch
    await buildIdentity(usersProject(tw.dir, types), tw.warehouse, { fullRefresh: true });
    expect((await profileGroups(tw.warehouse)).length).toBe(2);
  });
});
