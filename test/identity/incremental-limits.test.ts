import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIdentity } from '../../src/identity/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { identityProject, loadRows, type TempWarehouse, tempWarehouse } from './helpers.js';

// Phones are limited to one per profile, so a phone shared by two unrelated emails is cut off
// both; once a user id ties the two emails together, the older phone's edges are used again.
const identity = {
  id_types: {
    user_id: {},
    email: { normalize: 'email' },
    phone: { normalize: 'phone', default_country_code: '1', max_per_profile: 1 },
  },
  sources: [
    {
      from: 'src.accounts',
      key: 'row_id',
      ids: { user_id: 'user_id', email: 'email', phone: 'phone' },
      timestamp: 'ts',
    },
  ],
};
const P1 = '(415) 701-1234';
const P2 = '(415) 702-1234';
const at = (hour: number) => new Date(Date.UTC(2024, 0, 1, hour));
const first = [
  ['r1', null, 'a@x.io', P1, at(0)],
  ['r2', null, 'b@x.io', P1, at(1)],
  ['r3', null, 'b@x.io', P2, at(2)],
];
const second = [
  ['r4', 'u1', 'a@x.io', null, at(3)],
  ['r5', 'u1', 'b@x.io', null, at(4)],
];

async function load(w: Warehouse, rows: Array<Array<string | null | Date>>, mode: 'replace' | 'append') {
  await loadRows(w, 'accounts', ['row_id', 'user_id', 'email', 'phone'], rows, mode);
}

async function edgeReasons(w: Warehouse): Promise<string[]> {
  const rows = await w.query(
    'SELECT a_value, b_value, unused_reason FROM weft.identity_edges ORDER BY a_value, b_value',
  );
  return rows.map((r) => `${r.a_value}-${r.b_value}:${r.unused_reason ?? 'used'}`);
}

async function snapshot(w: Warehouse): Promise<string[][]> {
  const all = async (sql: string) => (await w.query(sql)).map((r) => JSON.stringify(r));
  return [
    await all('SELECT * FROM weft.identity_map ORDER BY ALL'),
    await all('SELECT * FROM weft.identity_rows ORDER BY ALL'),
    await all('SELECT * FROM weft.identity_edges ORDER BY ALL'),
  ];
}

let inc: TempWarehouse;
let full: TempWarehouse;
beforeEach(async () => {
  inc = await tempWarehouse();
  full = await tempWarehouse();
});
afterEach(async () => {
  await inc.dispose();
  await full.dispose();
});

describe('incremental runs and max_per_profile', () => {
  it('rewrite edges a limit cut before and uses now, equal to a full rebuild', async () => {
    await load(inc.warehouse, first, 'replace');
    await buildIdentity(identityProject(inc.dir, ['accounts'], identity), inc.warehouse);
    expect(await edgeReasons(inc.warehouse)).toEqual([
      'a@x.io-+14157011234:limit',
      'b@x.io-+14157011234:limit',
      'b@x.io-+14157021234:used',
    ]);

    await load(inc.warehouse, second, 'append');
    const report = await buildIdentity(identityProject(inc.dir, ['accounts'], identity), inc.warehouse);
    expect(report.incremental).toBe(true);
    // the older phone joins the merged profile; the younger one is cut now
    expect(await edgeReasons(inc.warehouse)).toEqual([
      'a@x.io-+14157011234:used',
      'b@x.io-+14157011234:used',
      'b@x.io-+14157021234:limit',
      'u1-a@x.io:used',
      'u1-b@x.io:used',
    ]);

    await load(full.warehouse, [...first, ...second], 'replace');
    await buildIdentity(identityProject(full.dir, ['accounts'], identity), full.warehouse, {
      fullRefresh: true,
    });
    expect(await snapshot(inc.warehouse)).toEqual(await snapshot(full.warehouse));
  });
});
