import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIdentity } from '../../src/identity/index.js';
import {
  identityProject,
  loadRows,
  mapRows,
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
const project = (dir: string, blocklist: Record<string, string[]> = {}) =>
  identityProject(dir, ['accounts', 'contacts'], {
    id_types: {
      user_id: {},
      email: { normalize: 'email' },
      phone: { normalize: 'phone', default_country_code: '1' },
    },
    blocklist,
    sources: [
      { from: 'src.accounts', key: 'user_id', ids: { user_id: 'user_id', email: 'email' }, timestamp: 'ts' },
      { from: 'src.contacts', ids: { email: 'email', phone: 'phone' }, timestamp: 'ts' },
    ],
  });
const merges = async () =>
  tw.warehouse.query(
    'SELECT old_profile_id, new_profile_id, reason FROM weft.profile_merges ORDER BY reason, old_profile_id',
  );

describe('stable profile ids', () => {
  it('are identical across rebuilds and survive new identifiers joining', async () => {
    await loadRows(tw.warehouse, 'accounts', ['user_id', 'email'], [['u1', 'a@x.io', day(1)]]);
    await loadRows(tw.warehouse, 'contacts', ['email', 'phone'], [['a@x.io', '4155552671', day(2)]]);
    await buildIdentity(project(tw.dir), tw.warehouse);
    const first = await mapRows(tw.warehouse);
    await buildIdentity(project(tw.dir), tw.warehouse, { fullRefresh: true });
    expect(await mapRows(tw.warehouse)).toEqual(first);
    const id = await profileOf(tw.warehouse, 'user_id', 'u1');
    await loadRows(
      tw.warehouse,
      'contacts',
      ['email', 'phone'],
      [['A@x.io', '2127771234', day(3)]],
      'append',
    );
    const report = await buildIdentity(project(tw.dir), tw.warehouse);
    expect(report.incremental).toBe(true);
    expect(await profileOf(tw.warehouse, 'phone', '+12127771234')).toBe(id);
    expect(await merges()).toEqual([]);
  });

  it('on a merge the older profile keeps its id and a merge row is written', async () => {
    await loadRows(
      tw.warehouse,
      'accounts',
      ['user_id', 'email'],
      [
        ['old', 'old@x.io', day(1)],
        ['new', 'new@x.io', day(5)],
      ],
    );
    await loadRows(tw.warehouse, 'contacts', ['email', 'phone'], []);
    await buildIdentity(project(tw.dir), tw.warehouse);
    const older = await profileOf(tw.warehouse, 'user_id', 'old');
    const younger = await profileOf(tw.warehouse, 'user_id', 'new');
    expect(older).not.toBe(younger);
    await loadRows(
      tw.warehouse,
      'contacts',
      ['email', 'phone'],
      [
        ['old@x.io', '4155552671', day(6)],
        ['new@x.io', '4155552671', day(7)],
      ],
      'append',
    );
    const report = await buildIdentity(project(tw.dir), tw.warehouse);
    expect(report).toMatchObject({ incremental: true, merges: 1, splits: 0, profiles: 1 });
    expect(await profileOf(tw.warehouse, 'user_id', 'new')).toBe(older);
    expect(await merges()).toEqual([{ old_profile_id: younger, new_profile_id: older, reason: 'merge' }]);
    // rows follow their profile
    const rows = await tw.warehouse.query('SELECT DISTINCT profile_id FROM weft.identity_rows');
    expect(rows).toEqual([{ profile_id: older }]);
  });

  it('on a split the part holding the anchor keeps the id and the other part gets a new one', async () => {
    await loadRows(tw.warehouse, 'accounts', ['user_id', 'email'], []);
    await loadRows(
      tw.warehouse,
      'contacts',
      ['email', 'phone'],
      [
        ['first@x.io', '4155552671', day(1)],
        ['second@x.io', '4155552671', day(2)],
      ],
    );
    await buildIdentity(project(tw.dir), tw.warehouse);
    const id = await profileOf(tw.warehouse, 'email', 'second@x.io');
    expect(await profileOf(tw.warehouse, 'email', 'first@x.io')).toBe(id);
    // blocking the phone that linked them is a config change: a full rebuild splits the profile
    const report = await buildIdentity(project(tw.dir, { phone: ['+14155552671'] }), tw.warehouse);
    expect(report).toMatchObject({ incremental: false, splits: 1, merges: 0, profiles: 2 });
    expect(await profileOf(tw.warehouse, 'email', 'first@x.io')).toBe(id);
    const split = await profileOf(tw.warehouse, 'email', 'second@x.io');
    expect(split).not.toBe(id);
    expect(await merges()).toEqual([{ old_profile_id: id, new_profile_id: split, reason: 'split' }]);
  });
});
