/**
 * A small warehouse with built identity outputs for serving-store tests: the lookup fixture's
 * identity_map and profiles (p1 Ann with a user id, two emails and a phone; p2 with user id u2),
 * plus an anonymous id for each, and `audience_members` (p1 in vip and newsletter, p2 in newsletter).
 */
import { parse } from 'yaml';
import { identitySchema } from '../../src/config/schemas/identity.js';
import type { Project } from '../../src/config/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { makeProject } from '../compiler/project-fixture.js';
import { lookupIdentityYaml, writeLookupTables } from '../profiles/lookup-fixture.js';

/** The project the fixture tables belong to. */
export function servingProject(dir = '/tmp/weft-serving-test'): Project {
  const identity = identitySchema.parse((parse(lookupIdentityYaml) as { identity: unknown }).identity);
  identity.id_types.anonymous_id = {};
  return { ...makeProject({}, { dir }), identity };
}

/** An in-memory DuckDB holding the fixture tables. */
export async function servingWarehouse(): Promise<Warehouse> {
  const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  await writeLookupTables(warehouse);
  await warehouse.execute(`INSERT INTO weft.identity_map VALUES
  ('anonymous_id', 'anon-ann-1', 'p1', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01'),
  ('anonymous_id', 'anon-p2', 'p2', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01')`);
  await warehouse.execute(`ALTER TABLE weft.profiles ADD COLUMN order_count BIGINT;
UPDATE weft.profiles SET order_count = 3 WHERE profile_id = 'p1'`);
  await warehouse.execute(`CREATE TABLE weft.audience_members AS SELECT * FROM (VALUES
  ('vip', 'p1', NULL), ('newsletter', 'p1', NULL), ('newsletter', 'p2', NULL)
) AS t(audience, profile_id, split)`);
  return warehouse;
}

/** Changes the fixture: Ann's value changes, u2 moves from p2 to new p3, p2 is gone, p3 joins vip. */
export async function changeFixture(warehouse: Warehouse): Promise<void> {
  await warehouse.execute(`UPDATE weft.profiles SET lifetime_value = 99.5 WHERE profile_id = 'p1';
UPDATE weft.identity_map SET profile_id = 'p3' WHERE id_value = 'u2';
DELETE FROM weft.identity_map WHERE profile_id = 'p2';
INSERT INTO weft.identity_map VALUES ('email', 'bo@y.org', 'p3', TIMESTAMP '2024-06-01', TIMESTAMP '2024-06-01');
DELETE FROM weft.profiles WHERE profile_id = 'p2';
INSERT INTO weft.profiles VALUES ('p3', 'Bo', 5, NULL, 1);
DELETE FROM weft.audience_members WHERE profile_id = 'p2';
INSERT INTO weft.audience_members VALUES ('vip', 'p3', NULL)`);
}
