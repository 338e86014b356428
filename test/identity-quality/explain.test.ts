/** explainLink on hand-made identity tables: paths, and every kind of "not linked". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainLink, IdentifierInputError } from '../../src/identity-quality/explain/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { createExplainTables, explainProject, fixtureNormalize } from './explain-fixture.js';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: '.' });
  await createExplainTables(warehouse);
});
afterAll(async () => {
  await warehouse?.close();
});

const explain = (a: string, b: string, limits = {}) =>
  explainLink(warehouse, explainProject, a, b, { normalize: fixtureNormalize, ...limits });

describe('explainLink', () => {
  it('shows the shortest used path with each hop’s evidence, normalizing the input', async () => {
    const result = await explain('email: Ann@X.com', 'phone:+14155550100');
    expect(result).toMatchObject({ linked: true, reason: 'linked' });
    expect(result.a).toMatchObject({ value: 'ann@x.com', status: 'used', profile_id: 'P1' });
    expect(result.path.map((h) => [h.from.value, h.to.value, h.source, h.row_key])).toEqual([
      ['ann@x.com', 'u1', 'stg_shop_customers', 'c1'],
      ['u1', '+14155550100', 'stg_shop_customers', 'c1'],
    ]);
    expect(result.path[0]).toMatchObject({
      first_seen_at: '2024-01-01T00:00:00.000Z',
      last_seen_at: '2024-03-01T00:00:00.000Z',
      row_count: 1,
      used_for_merge: true,
    });
  });

  it('names the hub edge that would have linked two profiles', async () => {
    const result = await explain('email:ann@x.com', 'user_id:u2');
    expect(result).toMatchObject({ linked: false, reason: 'unused_edge' });
    expect(result.message).toContain('hub');
    expect(result.path.map((h) => `${h.to.type}:${h.to.value}`)).toEqual([
      'user_id:u1',
      'email:family@z.com',
      'user_id:u2',
    ]);
    expect(result.path.filter((h) => !h.used_for_merge).map((h) => h.unused_reason)).toEqual(['hub', 'hub']);
  });

  it('names a limit edge', async () => {
    const result = await explain('user_id:u6', 'user_id:u5');
    expect(result).toMatchObject({ linked: false, reason: 'unused_edge' });
    expect(result.message).toContain('limit');
    expect(result.path).toHaveLength(2);
  });

  it('reports blocked, junk and unknown values, and no evidence at all', async () => {
    expect(await explain('email:TEST@test.com', 'email:ann@x.com')).toMatchObject({
      linked: false,
      reason: 'excluded_value',
      a: { status: 'excluded', excluded_reason: 'blocklist' },
    });
    const junk = await explain('email:ann@x.com', 'phone:0000000000');
    expect(junk).toMatchObject({ reason: 'excluded_value', b: { excluded_reason: 'junk', value: null } });
    expect(await explain('email:nobody@x.com', 'user_id:u1')).toMatchObject({ reason: 'unknown_identifier' });
    expect(await explain('email:lonely@a.com', 'user_id:u2')).toMatchObject({
      linked: false,
      reason: 'no_evidence',
    });
  });

  it('answers the same identifier, and stops at the hop bound', async () => {
    expect(await explain('user_id:u1', 'user_id: u1')).toMatchObject({
      linked: true,
      reason: 'same_identifier',
    });
    expect(await explain('email:ann@x.com', 'phone:+14155550100', { maxHops: 1 })).toMatchObject({
      linked: true,
      reason: 'search_limit',
    });
  });

  it('rejects malformed identifiers and unknown id types', async () => {
    await expect(explain('ann@x.com', 'user_id:u1')).rejects.toThrow(IdentifierInputError);
    await expect(explain('mail:ann@x.com', 'user_id:u1')).rejects.toThrow(
      /unknown id type 'mail'.*user_id, email/,
    );
  });
});
