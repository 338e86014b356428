/**
 * Hand-made identity contract tables for profile tests: raw sources whose rows carry the test's
 * own `person` column, and identity_map / identity_rows written from it (person n → profile p_n),
 * so every expected trait value can be read off the rows below.
 */

import { identitySchema } from '../../src/config/schemas/identity.js';
import type { IdentityConfig, Project, TraitConfig } from '../../src/config/types.js';
import { rowKeyExpr } from '../../src/identity/row-key.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { makeProject } from '../compiler/project-fixture.js';

export const identity: IdentityConfig = identitySchema.parse({
  id_types: { user_id: {}, email: { normalize: 'email' } },
  blocklist: {},
  sources: [
    { from: 'crm.contacts', ids: { email: 'email' }, timestamp: 'updated_at' },
    { from: 'shop.customers', ids: { user_id: 'customer_id' }, timestamp: 'updated_at' },
    { from: 'shop.orders', ids: { user_id: 'customer_id' }, timestamp: 'created_at' },
  ],
});

/** A project over the fixture's sources with these traits. */
export function projectWith(
  traits: Record<string, TraitConfig>,
  options: { identity?: IdentityConfig } = {},
): Project {
  const project = makeProject(
    {},
    {
      sources: [
        { name: 'crm', schema: 'raw', tables: [{ name: 'contacts', identifier: 'contacts' }] },
        {
          name: 'shop',
          schema: 'raw',
          tables: [
            { name: 'customers', identifier: 'customers' },
            { name: 'orders', identifier: 'orders' },
          ],
        },
        { name: 'web', schema: 'raw', tables: [{ name: 'pageviews', identifier: 'pageviews' }] },
      ],
    },
  );
  return { ...project, identity: options.identity ?? identity, profiles: { traits } };
}

// person NULL: a row the identity graph did not resolve; it must never reach a profile.
const contacts = `(VALUES
  ('c1', 1, 'a@old.com', 'Ann', TIMESTAMP '2024-01-01'),
  ('c2', 1, 'a@new.com', NULL, TIMESTAMP '2024-03-01'),
  ('c3', 1, NULL, NULL, TIMESTAMP '2024-05-01'),
  ('c4', 1, 'a@old.com', 'Annie', TIMESTAMP '2024-02-01'),
  ('c5', 2, 'b@zeta.com', NULL, TIMESTAMP '2024-01-01'),
  ('c6', 2, 'b@alpha.com', NULL, TIMESTAMP '2024-01-01'),
  ('c7', 3, NULL, NULL, TIMESTAMP '2024-01-01'),
  ('c8', 4, 'd@x.com', NULL, TIMESTAMP '2024-01-01'),
  ('c9', 4, 'd@y.com', NULL, TIMESTAMP '2024-02-01'),
  ('c11', 4, 'd@z.com', NULL, NULL),
  ('c12', NULL, 'ghost@x.com', 'Ghost', TIMESTAMP '2030-01-01')
) AS t(contact_id, person, email, first_name, updated_at)`;

const customers = `(VALUES
  ('u1', 1, 'Anna', TIMESTAMP '2024-01-01'),
  ('u2', 2, 'Bob', TIMESTAMP '2024-01-01'),
  ('u4a', 4, 'Dan', TIMESTAMP '2024-01-01'),
  ('u4b', 4, 'Daniel', TIMESTAMP '2024-06-01')
) AS t(customer_id, person, first_name, updated_at)`;

const orders = `(VALUES
  ('o1', 'u1', 1, 10.5, TIMESTAMP '2024-01-10'),
  ('o2', 'u1', 1, 20.0, TIMESTAMP '2024-02-10'),
  ('o3', 'u2', 2, 5.0, TIMESTAMP '2024-01-20'),
  ('o4', 'guest', NULL, 1000.0, TIMESTAMP '2024-01-30')
) AS t(order_id, customer_id, person, amount, created_at)`;

/** An in-memory warehouse holding the raw tables and the identity contract tables. */
export async function openFixtureWarehouse(): Promise<Warehouse> {
  const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  const { dialect } = warehouse;
  await warehouse.execute('CREATE SCHEMA raw; CREATE SCHEMA weft');
  const tables: Record<string, string> = { contacts, customers, orders };
  for (const [name, values] of Object.entries(tables)) {
    await warehouse.execute(`CREATE TABLE raw.${name} AS SELECT * FROM ${values}`);
  }
  await warehouse.execute('CREATE TABLE raw.pageviews AS SELECT 1 AS person, 3 AS views');
  await warehouse.execute(
    'CREATE TABLE weft.identity_rows (source VARCHAR, row_key VARCHAR, profile_id VARCHAR)',
  );
  for (const source of identity.sources) {
    const table = source.from.split('.')[1] as string;
    await warehouse.execute(`INSERT INTO weft.identity_rows
      SELECT ${dialect.literal(source.from)}, ${dialect.cast(rowKeyExpr(dialect, source), 'string')}, 'p' || person
      FROM raw.${table} WHERE person IS NOT NULL`);
  }
  // Several identifiers per profile (as in a real map), plus p5: a profile with no trait rows.
  await warehouse.execute(`CREATE TABLE weft.identity_map AS
    SELECT 'user_id' AS id_type, 'x' || i AS id_value, 'p' || (i % 5 + 1) AS profile_id,
      TIMESTAMP '2024-01-01' AS first_seen_at, TIMESTAMP '2024-01-01' AS last_seen_at
    FROM range(15) AS r(i)`);
  return warehouse;
}

/** `profiles` as `{profile_id: {column: value}}`. */
export async function profilesById(warehouse: Warehouse): Promise<Record<string, Record<string, unknown>>> {
  const rows = await warehouse.query('SELECT * FROM weft.profiles ORDER BY profile_id');
  return Object.fromEntries(rows.map(({ profile_id, ...traits }) => [String(profile_id), traits]));
}
