/**
 * Hand-made identity contract tables for lookup tests: profile p1 (Ann: a user id, two emails,
 * a phone) and p2, occurrences with excluded values, a recorded merge and a profiles table.
 */
import type { Warehouse } from '../../src/warehouse/types.js';

/** SQL creating the contract tables in `schema` (default `weft`). */
export function lookupTablesSql(schema = 'weft'): string {
  return `CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE OR REPLACE TABLE ${schema}.identity_map AS SELECT * FROM (VALUES
  ('email', 'ann.work@corp.com', 'p1', TIMESTAMP '2024-02-01', TIMESTAMP '2024-02-01'),
  ('email', 'ann@x.com', 'p1', TIMESTAMP '2023-06-01', TIMESTAMP '2024-05-01 10:30:00'),
  ('user_id', 'u1', 'p1', TIMESTAMP '2024-01-01', TIMESTAMP '2024-03-01'),
  ('phone', '+14155552671', 'p1', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01'),
  ('user_id', 'u2', 'p2', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01')
) AS t(id_type, id_value, profile_id, first_seen_at, last_seen_at);
CREATE OR REPLACE TABLE ${schema}.identity_occurrences AS SELECT * FROM (VALUES
  ('shop.customers', 'k1', 'user_id', 'u1', 'u1', TIMESTAMP '2024-01-01', NULL),
  ('shop.customers', 'k1', 'email', 'ann@x.com', ' Ann@X.com', TIMESTAMP '2024-01-01', NULL),
  ('shop.customers', 'k1', 'phone', '+14155552671', '(415) 555-2671', TIMESTAMP '2024-01-01', NULL),
  ('crm.contacts', 'k2', 'email', 'ann@x.com', 'ann@x.com', TIMESTAMP '2023-06-01', NULL),
  ('crm.contacts', 'k3', 'email', 'ann.work@corp.com', 'ann.work@corp.com', TIMESTAMP '2024-02-01', NULL),
  ('crm.contacts', 'k4', 'email', 'test@test.com', 'TEST@test.com', TIMESTAMP '2024-02-01', 'blocklist'),
  ('crm.contacts', 'k5', 'email', 'test@test.com', 'test@test.com', TIMESTAMP '2024-02-01', 'blocklist'),
  ('shop.customers', 'k6', 'email', 'family@home.net', 'family@home.net', TIMESTAMP '2024-02-01', 'hub'),
  ('shop.customers', 'k1', 'user_id', 'u2', 'u2', TIMESTAMP '2024-01-01', NULL)
) AS t(source, row_key, id_type, id_value, raw_value, seen_at, excluded_reason);
CREATE OR REPLACE TABLE ${schema}.profile_merges AS SELECT * FROM (VALUES
  ('p_old', 'p1', 'merge', TIMESTAMP '2024-02-01')
) AS t(old_profile_id, new_profile_id, reason, "at");
CREATE OR REPLACE TABLE ${schema}.profiles AS SELECT * FROM (VALUES
  ('p1', 'Ann', 30.5, TIMESTAMP '2024-05-01 10:30:00'),
  ('p2', NULL, NULL, NULL)
) AS t(profile_id, first_name, lifetime_value, last_seen_at)`;
}

/** Writes the lookup contract tables into `warehouse`. */
export async function writeLookupTables(warehouse: Warehouse, schema = 'weft'): Promise<void> {
  await warehouse.execute(lookupTablesSql(schema));
}

/** identity.yml for the lookup tests, as YAML text. */
export const lookupIdentityYaml = `identity:
  id_types:
    user_id: {}
    email: { normalize: email }
    phone: { normalize: phone, default_country_code: "1" }
  sources:
    - from: shop.customers
      ids: { user_id: customer_id, email: email, phone: phone }
      timestamp: updated_at
    - from: crm.contacts
      ids: { email: email }
      timestamp: updated_at
`;
