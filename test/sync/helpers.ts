/** Test helpers for the sync engine: sync configs, resolved syncs and a seeded in-memory warehouse. */
import type { Project, SyncConfig } from '../../src/config/types.js';
import type { ResolvedSync } from '../../src/sync/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

/** A sync config with defaults (upsert of `app.people` by `email`). */
export function syncConfig(overrides: Partial<SyncConfig> = {}): SyncConfig {
  return {
    name: 'people_sync',
    from: 'people',
    connection: 'hook',
    mode: 'upsert',
    key: 'email',
    mappings: {},
    ...overrides,
  } as SyncConfig;
}

/** Resolves a config against schema `app` (source `app.<from>`) and state schema `weft_state`. */
export function resolved(config: SyncConfig, stateSchema = 'weft_state'): ResolvedSync {
  return {
    config,
    source: { schema: 'app', name: config.from },
    snapshot: { schema: stateSchema, name: `snapshot_${config.name}` },
    plan: { schema: stateSchema, name: `plan_${config.name}` },
    stateSchema,
  };
}

/** An in-memory DuckDB warehouse with schema `app`. */
export async function memoryWarehouse(): Promise<Warehouse> {
  const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  await warehouse.execute('CREATE SCHEMA app');
  return warehouse;
}

/** Replaces `app.people` with rows `(email, name, score)`. */
export async function setPeople(
  warehouse: Warehouse,
  rows: Array<[string | null, string | null, number | null]>,
): Promise<void> {
  await warehouse.load(
    { schema: 'app', name: 'people' },
    [
      { name: 'email', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'score', type: 'double' },
    ],
    rows,
  );
}

/** A project in `dir` with source `app.people`, one webhook connection `hook`, and the given syncs. */
export function projectWith(
  dir: string,
  webhookSettings: Record<string, unknown>,
  syncs: SyncConfig[],
): Project {
  return {
    dir,
    config: {
      name: 'test',
      schema: 'app',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb', path: ':memory:' },
      connections: { hook: { ...webhookSettings, type: 'webhook' } },
      vars: {},
    },
    sources: [{ name: 'app', schema: 'app', tables: [{ name: 'people', identifier: 'people' }] }],
    models: [],
    audiences: [],
    syncs: syncs.map((value) => ({ path: `syncs/${value.name}.yml`, value })),
    secrets: [],
  };
}

/** `n` people rows `p<i>@x` with a name and score derived from `version`. */
export function people(n: number, version = 1, from = 0): Array<[string, string, number]> {
  return Array.from({ length: n }, (_, i) => [
    `p${from + i}@x`,
    `Person ${from + i} v${version}`,
    (from + i) * version,
  ]);
}
