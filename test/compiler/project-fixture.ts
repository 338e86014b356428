/** Builds in-memory `Project` objects for compiler and build tests. */
import type { Materialization, ModelDef, Project, SourceDef } from '../../src/config/types.js';

/** A model spec: SQL plus optional config; the path defaults to `models/<name>.sql`. */
export interface ModelSpec {
  sql: string;
  path?: string;
  materialized?: Materialization;
  unique_key?: string[];
  schema?: string;
  enabled?: boolean;
}

/** A project named `demo`, schema `weft`, with the given models, sources and vars. */
export function makeProject(
  models: Record<string, ModelSpec>,
  options: { sources?: SourceDef[]; vars?: Record<string, unknown>; schema?: string; dir?: string } = {},
): Project {
  const defs: ModelDef[] = Object.entries(models).map(([name, spec]) => ({
    name,
    path: spec.path ?? `models/${name}.sql`,
    sql: spec.sql,
    config: {
      materialized: spec.materialized ?? 'view',
      ...(spec.unique_key ? { unique_key: spec.unique_key } : {}),
      ...(spec.schema ? { schema: spec.schema } : {}),
      tags: [],
      enabled: spec.enabled ?? true,
    },
  }));
  return {
    dir: options.dir ?? '/tmp/weft-test-project',
    config: {
      name: 'demo',
      schema: options.schema ?? 'weft',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb', path: ':memory:' },
      connections: {},
      vars: options.vars ?? {},
    },
    sources: options.sources ?? [shopSource],
    models: defs,
    audiences: [],
    syncs: [],
    secrets: [],
  };
}

/** `shop` in schema `raw` with tables customers and orders (orders stored as `shop_orders`). */
export const shopSource: SourceDef = {
  name: 'shop',
  schema: 'raw',
  tables: [
    { name: 'customers', identifier: 'customers' },
    { name: 'orders', identifier: 'shop_orders' },
  ],
};
