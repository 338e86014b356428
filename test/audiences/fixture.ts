/**
 * A hand-made warehouse for audience tests: `weft.profiles` (6 profiles, traits typed as a
 * real build would make them), `raw.events` (an identity source) and `weft.identity_rows`
 * linking events to profiles (person n → profile pn; person NULL = unresolved, never counted).
 * "Now" is pinned to AS_OF, so every expected set below can be read off the rows.
 */
import { audienceFileSchema } from '../../src/config/schemas/audience.js';
import { identitySchema } from '../../src/config/schemas/identity.js';
import type { IdentityConfig, Project } from '../../src/config/types.js';
import { rowKeyExpr } from '../../src/identity/row-key.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { makeProject } from '../compiler/project-fixture.js';

export const AS_OF = new Date('2025-06-01T00:00:00Z');

export const identity: IdentityConfig = identitySchema.parse({
  id_types: { user_id: {} },
  blocklist: {},
  sources: [{ from: 'app.events', ids: { user_id: 'person' }, key: 'event_id', timestamp: 'occurred_at' }],
});

const traitNames = ['ltv', 'plan', 'email', 'last_seen_at', 'renews_on', 'vip'];

/** A project over the fixture with these audiences (YAML-shaped values, parsed by the schema). */
export function projectWith(
  audiences: Record<string, unknown>,
  options: { vars?: Record<string, unknown> } = {},
): Project {
  const project = makeProject(
    {},
    {
      sources: [{ name: 'app', schema: 'raw', tables: [{ name: 'events', identifier: 'events' }] }],
      vars: options.vars ?? {},
    },
  );
  return {
    ...project,
    identity,
    profiles: {
      traits: Object.fromEntries(traitNames.map((name) => [name, { from: 'app.events', column: name }])),
    },
    audiences: Object.entries(audiences).map(([name, value]) => ({
      path: `models/audiences/${name}.yml`,
      value: audienceFileSchema.parse({ name, ...(value as object) }),
    })),
  };
}

const profiles = `(VALUES
  ('p1', 800.0, 'pro', 'ann@big.com', TIMESTAMP '2025-05-25 00:00:00', DATE '2025-06-10', TRUE),
  ('p2', 120.0, 'free', 'cyz@small.io', TIMESTAMP '2025-01-01 00:00:00', DATE '2025-09-01', FALSE),
  ('p3', 500.0, 'pro', 'cy_x@big.com', TIMESTAMP '2025-05-31 23:00:00', NULL, NULL),
  ('p4', NULL, NULL, NULL, NULL, NULL, NULL),
  ('p5', 50.0, 'team', '100%@odd.com', TIMESTAMP '2024-12-01 00:00:00', DATE '2025-06-01', FALSE),
  ('p6', 1000.0, 'pro', 'eve@big.com', TIMESTAMP '2025-06-02 00:00:00', DATE '2025-05-01', TRUE)
) AS t(profile_id, ltv, plan, email, last_seen_at, renews_on, vip)`;

// e8 happens after AS_OF (outside every window); e9 belongs to no profile.
const events = `(VALUES
  ('e1', 1, 'order', 100.0, TIMESTAMP '2025-05-20 10:00:00'),
  ('e2', 1, 'order', 50.0, TIMESTAMP '2025-04-01 10:00:00'),
  ('e3', 1, 'view', 0.0, TIMESTAMP '2025-05-30 10:00:00'),
  ('e4', 2, 'order', 20.0, TIMESTAMP '2024-10-01 10:00:00'),
  ('e5', 3, 'view', 0.0, TIMESTAMP '2025-05-31 10:00:00'),
  ('e6', 3, 'view', 0.0, TIMESTAMP '2025-05-15 10:00:00'),
  ('e7', 3, 'view', 0.0, TIMESTAMP '2025-03-01 10:00:00'),
  ('e8', 6, 'order', 300.0, TIMESTAMP '2025-06-05 10:00:00'),
  ('e9', NULL, 'order', 999.0, TIMESTAMP '2025-05-30 10:00:00')
) AS t(event_id, person, name, amount, occurred_at)`;

/** An in-memory DuckDB with the fixture tables. */
export async function openFixtureWarehouse(): Promise<Warehouse> {
  const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  const { dialect } = warehouse;
  await warehouse.execute('CREATE SCHEMA raw; CREATE SCHEMA weft');
  await warehouse.execute(`CREATE TABLE weft.profiles AS SELECT * FROM ${profiles}`);
  await warehouse.execute(`CREATE TABLE raw.events AS SELECT * FROM ${events}`);
  const source = identity.sources[0]!;
  await warehouse.execute(`CREATE TABLE weft.identity_rows AS
    SELECT ${dialect.literal(source.from)} AS source, ${dialect.cast(rowKeyExpr(dialect, source), 'string')} AS row_key,
      'p' || person AS profile_id
    FROM raw.events WHERE person IS NOT NULL`);
  return warehouse;
}

/** Profile ids of a view, sorted. */
export async function idsOf(warehouse: Warehouse, relation: string): Promise<string[]> {
  const rows = await warehouse.query(`SELECT profile_id FROM ${relation} ORDER BY profile_id`);
  return rows.map((r) => String(r.profile_id));
}
