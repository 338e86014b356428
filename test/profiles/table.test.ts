import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraitConfig } from '../../src/config/types.js';
import { buildProfiles, ProfilesError } from '../../src/profiles/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { identity, openFixtureWarehouse, profilesById, projectWith } from './fixture.js';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openFixtureWarehouse();
});
afterEach(async () => {
  await warehouse.close();
});

const traits: Record<string, TraitConfig> = {
  email: { from: 'crm.contacts', column: 'email', pick: 'most_recent' },
  first_name: { from: ['crm.contacts', 'shop.customers'], column: 'first_name', pick: 'source_priority' },
  lifetime_value: { from: 'shop.orders', expr: 'sum(amount)' },
};

async function relationNames(): Promise<string[]> {
  const rows = await warehouse.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'weft' ORDER BY table_name",
  );
  return rows.map((r) => String(r.table_name));
}

describe('the profiles table', () => {
  it('has exactly one row per profile id in identity_map, traits as columns, and a report', async () => {
    const report = await buildProfiles(projectWith(traits), warehouse);
    expect(report.profiles).toBe(5);
    expect(report.traits).toEqual(['email', 'first_name', 'lifetime_value']);
    const [counts] = await warehouse.query(
      'SELECT count(*) AS n, count(DISTINCT profile_id) AS ids FROM weft.profiles',
    );
    expect(counts).toEqual({ n: 5, ids: 5 });
    const columns = await warehouse.query(
      warehouse.dialect.columnsQuery({ schema: 'weft', name: 'profiles' }),
    );
    expect(columns.map((c) => c.name)).toEqual(['profile_id', 'email', 'first_name', 'lifetime_value']);
    expect(await relationNames()).toEqual(['identity_map', 'identity_rows', 'profiles']);
  });

  it('does not depend on the order rows are stored in', async () => {
    await buildProfiles(projectWith(traits), warehouse);
    const before = await profilesById(warehouse);
    // Store every row in the reverse order: ties must still resolve the same way.
    for (const table of ['contacts', 'customers', 'orders']) {
      await warehouse.execute(
        `CREATE OR REPLACE TABLE raw.${table} AS SELECT * FROM raw.${table} ORDER BY ALL DESC`,
      );
    }
    await buildProfiles(projectWith(traits), warehouse);
    expect(await profilesById(warehouse)).toEqual(before);
  });

  it('is replaced on rebuild: a removed trait disappears, a new profile appears', async () => {
    await buildProfiles(projectWith(traits), warehouse);
    await warehouse.execute(
      "INSERT INTO weft.identity_map VALUES ('email', 'new@x.com', 'p9', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01')",
    );
    const report = await buildProfiles(projectWith({ email: traits.email as TraitConfig }), warehouse);
    expect(report.profiles).toBe(6);
    const profiles = await profilesById(warehouse);
    expect(profiles.p9).toEqual({ email: null });
    expect(profiles.p1).toEqual({ email: 'a@new.com' });
  });

  it('with no traits holds just the profile ids', async () => {
    const report = await buildProfiles(projectWith({}), warehouse);
    expect(report).toMatchObject({ profiles: 5, traits: [] });
    expect(Object.keys(await profilesById(warehouse))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });
});

describe('errors', () => {
  it('a trait from a relation that is not an identity source names profiles.yml and the trait', async () => {
    const project = projectWith({ views: { from: 'web.pageviews', expr: 'sum(views)' } });
    const error = await buildProfiles(project, warehouse).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfilesError);
    expect((error as Error).message).toMatch(
      /^models\/profiles\.yml: trait 'views': 'web\.pageviews' is not an identity source/,
    );
    expect((error as Error).message).toContain('crm.contacts, shop.customers, shop.orders');
  });

  it('every source of a source_priority list must be an identity source', async () => {
    const project = projectWith({
      name: { from: ['crm.contacts', 'web.pageviews'], column: 'first_name', pick: 'source_priority' },
    });
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(
      /trait 'name': 'web\.pageviews' is not an identity source/,
    );
  });

  it('most_recent without order_by on a source without timestamp is refused', async () => {
    const noTimestamp = { ...identity, sources: identity.sources.map(({ timestamp: _t, ...s }) => s) };
    const project = projectWith(
      { email: { from: 'crm.contacts', column: 'email', pick: 'most_recent' } },
      { identity: noTimestamp },
    );
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(
      /trait 'email': pick: most_recent needs 'order_by'/,
    );
  });

  it('an expr over several sources is refused', async () => {
    const project = projectWith({ n: { from: ['shop.orders', 'crm.contacts'], expr: 'count(*)' } });
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(
      /trait 'n': an 'expr' trait reads one relation/,
    );
  });

  it('a trait named profile_id is refused', async () => {
    const project = projectWith({ profile_id: { from: 'shop.orders', expr: 'count(*)' } });
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(/trait 'profile_id'/);
  });

  it('a failing trait names itself and leaves the previous profiles table and no scratch tables', async () => {
    await buildProfiles(projectWith(traits), warehouse);
    const before = await profilesById(warehouse);
    const project = projectWith({ ...traits, broken: { from: 'shop.orders', expr: 'sum(no_such_column)' } });
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(
      /trait 'broken': could not be computed: .*no_such_column/s,
    );
    expect(await profilesById(warehouse)).toEqual(before);
    expect(await relationNames()).toEqual(['identity_map', 'identity_rows', 'profiles']);
  });

  it('a misspelt column in a source several pick traits share names its trait', async () => {
    const project = projectWith({
      ...traits,
      nickname: { from: ['crm.contacts', 'shop.customers'], column: 'nick_name', pick: 'source_priority' },
    });
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(
      /trait 'nickname': could not be computed: .*nick_name/s,
    );
    expect(await relationNames()).toEqual(['identity_map', 'identity_rows']);
  });

  it('without the identity tables it says to build identity first', async () => {
    await warehouse.execute('DROP TABLE weft.identity_rows');
    await expect(buildProfiles(projectWith(traits), warehouse)).rejects.toThrow(
      /identity_rows" does not exist/,
    );
  });

  it('traits without identity.yml are refused', async () => {
    const { identity: _omit, ...project } = projectWith(traits);
    await expect(buildProfiles(project, warehouse)).rejects.toThrow(/add models\/identity\.yml/);
  });
});
