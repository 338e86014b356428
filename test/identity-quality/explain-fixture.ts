/** Hand-made identity contract tables (identity_map, identity_edges, identity_occurrences). */
import type { Project } from '../../src/config/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';

/** A project with the demo's id types, writing to schema `weft`. */
export const explainProject = {
  dir: '.',
  config: { schema: 'weft' },
  identity: {
    id_types: { user_id: {}, email: { normalize: 'email' }, phone: { normalize: 'phone' }, anonymous_id: {} },
    blocklist: {},
    sources: [],
  },
} as unknown as Project;

/** Lowercase-and-trim emails, keep the rest: enough for the fixture's values. */
export const fixtureNormalize = async (type: string, raw: string): Promise<string | null> => {
  if (type === 'phone') return raw === '0000000000' ? null : raw;
  return type === 'email' ? raw.trim().toLowerCase() : raw.trim();
};

/**
 * P1: email:ann@x.com —shop c1— user_id:u1 —shop c1— phone:+14155550100, cookie c-1 logged in.
 * P2: user_id:u2 — email:bob@y.com. email:family@z.com (P4) touches u1 and u2, a hub.
 * P5: user_id:u5 — phone:+12125550199; the phone's edge to user_id:u6 (P6) broke a limit.
 * email:lonely@a.com (P7) has no edges; test@test.com is blocked, 0000000000 junk.
 */
export async function createExplainTables(warehouse: Warehouse): Promise<void> {
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS weft');
  await warehouse.execute(`CREATE OR REPLACE TABLE weft.identity_map AS SELECT * FROM (VALUES
    ('user_id', 'u1', 'P1'), ('email', 'ann@x.com', 'P1'), ('phone', '+14155550100', 'P1'),
    ('anonymous_id', 'c-1', 'P1'), ('user_id', 'u2', 'P2'), ('email', 'bob@y.com', 'P2'),
    ('email', 'family@z.com', 'P4'), ('user_id', 'u5', 'P5'), ('phone', '+12125550199', 'P5'),
    ('user_id', 'u6', 'P6'), ('email', 'lonely@a.com', 'P7')) AS t(id_type, id_value, profile_id)`);
  await warehouse.execute(`CREATE OR REPLACE TABLE weft.identity_edges AS SELECT source, row_key, a_type,
      a_value, b_type, b_value, CAST(f AS TIMESTAMP) AS first_seen_at, CAST(l AS TIMESTAMP) AS last_seen_at,
      row_count, used_for_merge, unused_reason FROM (VALUES
    ('stg_shop_customers', 'c1', 'user_id', 'u1', 'email', 'ann@x.com', '2024-01-01', '2024-03-01', 1, TRUE, NULL),
    ('stg_shop_customers', 'c1', 'user_id', 'u1', 'phone', '+14155550100', '2024-01-01', '2024-03-01', 1, TRUE, NULL),
    ('stg_web_events', 'e9', 'user_id', 'u1', 'anonymous_id', 'c-1', '2024-02-01', '2024-02-01', 1, TRUE, NULL),
    ('stg_shop_customers', 'c2', 'user_id', 'u2', 'email', 'bob@y.com', '2024-01-05', '2024-01-05', 1, TRUE, NULL),
    ('stg_shop_customers', 'c3', 'user_id', 'u1', 'email', 'family@z.com', '2024-01-02', '2024-01-02', 1, FALSE, 'hub'),
    ('stg_shop_customers', 'c4', 'user_id', 'u2', 'email', 'family@z.com', '2024-01-03', '2024-01-03', 1, FALSE, 'hub'),
    ('stg_shop_customers', 'c5', 'user_id', 'u5', 'phone', '+12125550199', '2024-01-04', '2024-01-04', 2, TRUE, NULL),
    ('stg_shop_customers', 'c6', 'user_id', 'u6', 'phone', '+12125550199', '2024-01-06', '2024-01-06', 1, FALSE, 'limit')
    ) AS t(source, row_key, a_type, a_value, b_type, b_value, f, l, row_count, used_for_merge, unused_reason)`);
  await warehouse.execute(`CREATE OR REPLACE TABLE weft.identity_occurrences AS SELECT source, row_key,
      id_type, id_value, raw_value, CAST(NULL AS TIMESTAMP) AS seen_at, excluded_reason FROM (VALUES
    ('stg_support_tickets', 't1', 'email', 'test@test.com', 'TEST@test.com', 'blocklist'),
    ('stg_crm_contacts', 'k1', 'phone', NULL, '0000000000', 'junk'),
    ('stg_crm_contacts', 'k2', 'email', 'lonely@a.com', 'lonely@a.com', NULL)
    ) AS t(source, row_key, id_type, id_value, raw_value, excluded_reason)`);
}
