/**
 * Live identity refuses exactly the values the identity build refuses: screen.ts against the
 * build's own SQL conditions (src/identity/junk.ts, normalize.ts, as wide.ts combines them) run
 * by DuckDB over the same raw values, for each kind of id type, with a blocklist of exact values
 * and globs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identitySchema } from '../../src/config/schemas/identity.js';
import { idTypesOf } from '../../src/identity/id-types.js';
import { junkCleanedCondition, junkValueCondition, matchesAny } from '../../src/identity/junk.js';
import { normalizeExpr, normalizerFor } from '../../src/identity/normalize.js';
import { IdentifierScreen } from '../../src/realtime/live/screen.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

const config = identitySchema.parse({
  id_types: {
    user_id: {},
    email: { normalize: 'email' },
    phone: { normalize: 'phone', default_country_code: '1' },
    anonymous_id: {},
  },
  blocklist: {
    email: ['Blocked@Corp.COM', '*@spam.example.net', 'bad?@corp.com'],
    phone: ['(415) 555-9999'],
    user_id: ['admin', 'svc-*'],
  },
  sources: [{ from: 's.t', ids: { user_id: 'u' } }],
});

const values = [
  'u1',
  '  u2 ',
  '',
  '   ',
  'null',
  'NULL',
  'N/A',
  'undefined',
  'Anonymous',
  '0',
  '0000-0000',
  '00000000-0000-0000-0000-000000000000',
  'admin',
  'svc-batch',
  'ann@x.com',
  ' Ann.B+news@GMail.com ',
  'mailto:<bo@corp.com>',
  'test@test.com',
  'noreply@shop.io',
  'x@example.com',
  'blocked@corp.com',
  'someone@spam.example.net',
  'bad1@corp.com',
  'not-an-email',
  '(415) 555-2671',
  '+1 415 555 2671',
  '415-555-0123',
  '555-555-5555',
  '1234567890',
  '(415) 555-9999',
  '0044 20 7946 0958',
  '12',
];

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
});
afterAll(() => warehouse.close());

describe('IdentifierScreen', () => {
  it.each(idTypesOf(config))('refuses what the build refuses, for $name', async (type) => {
    const d = warehouse.dialect;
    const entries = config.blocklist[type.name] ?? [];
    const exact = entries
      .filter((e) => !e.includes('*') && !e.includes('?'))
      .map((e) => normalizeExpr(d, type, d.literal(e)));
    const blockedValues = exact.length
      ? (await warehouse.query(`SELECT ${exact.map((e, i) => `${e} AS v${i}`).join(', ')}`)).flatMap((r) =>
          Object.values(r).filter((v): v is string => typeof v === 'string'),
        )
      : [];
    const globs = entries
      .filter((e) => e.includes('*') || e.includes('?'))
      .map((g) => (type.normalize === 'email' ? g.toLowerCase() : g));
    const stage0 = normalizerFor(d, type).stages[0]?.('raw') as string;
    const cleaned = normalizerFor(d, type).cleaned(stage0);
    const norm = normalizeExpr(d, type, 'raw');
    const selects = values.map((v, i) => `SELECT ${i} AS i, ${d.literal(v)} AS raw`);
    const rows = await warehouse.query(`SELECT i, ${norm} AS norm, CASE
      WHEN ${junkCleanedCondition(d, type, cleaned)} THEN 'junk'
      WHEN ${norm} IS NULL THEN 'invalid'
      WHEN ${junkValueCondition(d, type, norm)} THEN 'junk'
      WHEN ${matchesAny(d, norm, blockedValues, globs)} THEN 'blocklist' END AS reason
    FROM (${selects.join(' UNION ALL ')}) v ORDER BY i`);
    const sql = rows.map((r) =>
      r.reason === null ? { value: String(r.norm) } : { refused: String(r.reason) },
    );
    const screen = new IdentifierScreen(config);
    expect(values.map((v) => screen.screen(type.name, v))).toEqual(sql);
    // the cases are not all alike: some pass, some are refused
    expect(sql.some((s) => 'value' in s)).toBe(true);
    expect(sql.some((s) => 'refused' in s)).toBe(true);
  });
});
