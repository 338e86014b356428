import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProfiles } from '../../src/profiles/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { openFixtureWarehouse, profilesById, projectWith } from './fixture.js';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openFixtureWarehouse();
});
afterEach(async () => {
  await warehouse.close();
});

/** Builds profiles with these traits and returns trait `name` per profile id. */
async function traitValues(traits: Parameters<typeof projectWith>[0], name: string) {
  await buildProfiles(projectWith(traits), warehouse);
  const profiles = await profilesById(warehouse);
  return Object.fromEntries(Object.entries(profiles).map(([id, values]) => [id, values[name]]));
}

describe('pick rules', () => {
  it('most_recent takes the latest non-null value; a timestamp tie goes to the smaller value', async () => {
    const values = await traitValues(
      { email: { from: 'crm.contacts', column: 'email', pick: 'most_recent', order_by: 'updated_at' } },
      'email',
    );
    // p1: the latest row (c3) has no email, so c2's wins; p2: c5/c6 tie; p4: a NULL timestamp never wins.
    expect(values).toEqual({ p1: 'a@new.com', p2: 'b@alpha.com', p3: null, p4: 'd@y.com', p5: null });
  });

  it('most_recent orders by the identity source timestamp when order_by is absent', async () => {
    const values = await traitValues(
      { email: { from: 'crm.contacts', column: 'email', pick: 'most_recent' } },
      'email',
    );
    expect(values.p1).toBe('a@new.com');
  });

  it('first takes the earliest non-null value; NULL timestamps sort last', async () => {
    const values = await traitValues(
      { email: { from: 'crm.contacts', column: 'email', pick: 'first', order_by: 'updated_at' } },
      'email',
    );
    expect(values).toEqual({ p1: 'a@old.com', p2: 'b@alpha.com', p3: null, p4: 'd@x.com', p5: null });
  });

  it('most_frequent counts values; count ties go to the most recent, then the smaller value', async () => {
    const values = await traitValues(
      { email: { from: 'crm.contacts', column: 'email', pick: 'most_frequent' } },
      'email',
    );
    // p1: a@old.com twice beats the more recent a@new.com; p4: one each, d@y.com is the latest.
    expect(values).toEqual({ p1: 'a@old.com', p2: 'b@alpha.com', p3: null, p4: 'd@y.com', p5: null });
  });

  it('source_priority takes the first source with a value, the most recent within it', async () => {
    const values = await traitValues(
      {
        first_name: {
          from: ['crm.contacts', 'shop.customers'],
          column: 'first_name',
          pick: 'source_priority',
        },
      },
      'first_name',
    );
    expect(values).toEqual({ p1: 'Annie', p2: 'Bob', p3: null, p4: 'Daniel', p5: null });
  });

  it('source_priority follows the listed order', async () => {
    const values = await traitValues(
      {
        first_name: {
          from: ['shop.customers', 'crm.contacts'],
          column: 'first_name',
          pick: 'source_priority',
        },
      },
      'first_name',
    );
    expect(values).toEqual({ p1: 'Anna', p2: 'Bob', p3: null, p4: 'Daniel', p5: null });
  });

  it('most_recent over several sources compares their timestamps', async () => {
    const values = await traitValues(
      { first_name: { from: ['shop.customers', 'crm.contacts'], column: 'first_name', pick: 'most_recent' } },
      'first_name',
    );
    // p1: crm's Annie (Feb) is newer than the shop's Anna (Jan), although the shop is listed first.
    expect(values.p1).toBe('Annie');
  });

  it('rows that resolved to no profile never contribute', async () => {
    const values = await traitValues(
      { first_name: { from: 'crm.contacts', column: 'first_name', pick: 'most_recent' } },
      'first_name',
    );
    expect(Object.values(values)).not.toContain('Ghost');
  });
});

describe('aggregate expressions', () => {
  it('aggregates each profile’s rows; profiles without rows get the aggregate over no rows', async () => {
    await buildProfiles(
      projectWith({
        lifetime_value: { from: 'shop.orders', expr: 'sum(amount)' },
        order_count: { from: 'shop.orders', expr: 'count(*)' },
        last_order_at: { from: 'shop.orders', expr: 'max(created_at)' },
        order_ids: { from: 'shop.orders', expr: "string_agg(order_id, ',' ORDER BY order_id)" },
        spend: { from: 'shop.orders', expr: 'coalesce(sum(amount), 0)' },
      }),
      warehouse,
    );
    const profiles = await profilesById(warehouse);
    expect(profiles.p1).toEqual({
      lifetime_value: 30.5,
      order_count: 2,
      last_order_at: new Date('2024-02-10T00:00:00Z'),
      order_ids: 'o1,o2',
      spend: 30.5,
    });
    expect(profiles.p2?.lifetime_value).toBe(5);
    // The guest order (no profile) is nobody's. A profile without orders gets each aggregate
    // over no rows: count 0, the others NULL.
    expect(profiles.p4).toEqual({
      lifetime_value: null,
      order_count: 0,
      last_order_at: null,
      order_ids: null,
      spend: 0,
    });
  });
});
