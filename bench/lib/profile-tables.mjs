// The tables a build leaves for N profiles, made directly in DuckDB (seconds instead of a build):
// identity_map with 3 identifiers each, profiles with 7 traits, audience_members (0–2 each).
// Shared by bench/profile-api.mjs and bench/serving-load.mjs.

/** Creates weft.identity_map, weft.profiles and weft.audience_members; returns the ms it took. */
export async function makeProfileTables(warehouse, n) {
  const t0 = performance.now();
  await warehouse.execute(`CREATE SCHEMA IF NOT EXISTS weft;
CREATE OR REPLACE TABLE weft.identity_map AS
  SELECT id_type, id_value, profile_id, TIMESTAMP '2025-01-01' + to_seconds(i % 100000) AS first_seen_at,
    TIMESTAMP '2025-06-01' + to_seconds(i % 100000) AS last_seen_at FROM (
  SELECT 'user_id' AS id_type, 'u' || i AS id_value, 'p' || i AS profile_id, i FROM range(${n}) t(i)
  UNION ALL SELECT 'email', 'person' || i || '@example.org', 'p' || i, i FROM range(${n}) t(i)
  UNION ALL SELECT 'anonymous_id', md5('a' || i), 'p' || i, i FROM range(${n}) t(i));
CREATE OR REPLACE TABLE weft.profiles AS SELECT 'p' || i AS profile_id, 'First' || (i % 5000) AS first_name,
  'Last' || (i % 7919) AS last_name, 'person' || i || '@example.org' AS email,
  round(((i * 7919) % 100000) / 100.0, 2) AS lifetime_value, CAST(i % 37 AS INTEGER) AS order_count,
  TIMESTAMP '2025-01-01' + to_seconds(i % 100000) AS last_seen_at,
  CASE WHEN i % 3 = 0 THEN 'enterprise' ELSE 'smb' END AS plan FROM range(${n}) t(i);
CREATE OR REPLACE TABLE weft.audience_members AS
  SELECT 'vip' AS audience, 'p' || i AS profile_id, CAST(NULL AS VARCHAR) AS split FROM range(${n}) t(i) WHERE i % 10 = 0
  UNION ALL SELECT 'newsletter', 'p' || i, NULL FROM range(${n}) t(i) WHERE i % 2 = 0`);
  return performance.now() - t0;
}

/**
 * Changes one trait of `percent`% of the profiles (1 or a divisor of 100): those whose number is
 * `round` modulo 100 / percent. Rounds that differ touch different profiles.
 */
export async function changeProfiles(warehouse, percent, round) {
  const every = Math.round(100 / percent);
  await warehouse.execute(
    `UPDATE weft.profiles SET order_count = order_count + 1 WHERE CAST(substr(profile_id, 2) AS BIGINT) % ${every} = ${round % every}`,
  );
}
