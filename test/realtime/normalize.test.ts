/**
 * The JavaScript normalization the serving APIs use gives exactly what the identity build's SQL
 * gives (src/identity/normalize.ts, run here in DuckDB), value by value, so a lookup by a typed-in
 * identifier finds what the warehouse graph stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdType } from '../../src/identity/context.js';
import { normalizeExpr } from '../../src/identity/normalize.js';
import { normalizeValue } from '../../src/realtime/normalize.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

const emails = [
  'Ann@X.com',
  '  <ann@x.com> ',
  'mailto:Ann@X.com',
  '"ann@x.com"',
  'a.n.n+promo@gmail.com',
  'Ann.B@GoogleMail.com',
  '+tag@gmail.com',
  'no-at-sign',
  'two@@x.com',
  'a@b',
  'a b@x.com',
  '',
  'ann@sub.x.co.uk',
  'ANN@X.COM\t',
  "o'brien@x.ie",
];
const phones = [
  '(415) 555-2671',
  '+1 415 555 2671',
  '1 415 555 2671',
  '0044 20 7946 0958',
  '+44 20 7946 0958',
  '020 7946 0958',
  '555-2671',
  '',
  'call me',
  '+1 015 555 2671',
  // Possible but not strictly valid (an exchange starting with 0 or 1): kept by identity.
  '+1 212 055 0123',
  '(212) 155-0199',
  '1111111111',
  '00',
  '+33 6 12 34 56 78',
];
const others = ['  u1  ', 'U1', '', '   ', 'a:b', '\tx\n'];

const types: Array<{ type: IdType; values: string[] }> = [
  {
    type: { name: 'email', priority: 0, normalize: 'email', hubThreshold: 5, sharedThreshold: 3 },
    values: emails,
  },
  {
    type: {
      name: 'phone',
      priority: 1,
      normalize: 'phone',
      defaultCountryCode: '1',
      hubThreshold: 5,
      sharedThreshold: 3,
    },
    values: phones,
  },
  {
    type: {
      name: 'phone_gb',
      priority: 2,
      normalize: 'phone',
      defaultCountryCode: '44',
      hubThreshold: 5,
      sharedThreshold: 3,
    },
    values: phones,
  },
  {
    type: { name: 'phone_any', priority: 3, normalize: 'phone', hubThreshold: 5, sharedThreshold: 3 },
    values: phones,
  },
  { type: { name: 'user_id', priority: 4, hubThreshold: 5, sharedThreshold: 3 }, values: others },
];

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
});
afterAll(() => warehouse.close());

describe('normalizeValue', () => {
  it.each(types)('matches the build SQL for $type.name', async ({ type, values }) => {
    const d = warehouse.dialect;
    const selects = values.map((v, i) => `SELECT ${i} AS i, ${normalizeExpr(d, type, d.literal(v))} AS n`);
    const rows = await warehouse.query(`${selects.join(' UNION ALL ')} ORDER BY i`);
    const sql = rows.map((r) => (r.n === null ? null : String(r.n)));
    expect(values.map((v) => normalizeValue(type, v))).toEqual(sql);
    expect(sql.some((n) => n !== null)).toBe(true);
  });
});
