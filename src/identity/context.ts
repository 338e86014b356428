/** Everything the identity steps share: config resolved to id types, table names, the warehouse. */

import type { IdentityConfig, Project } from '../config/types.js';
import type { Dialect, RelationRef, Warehouse } from '../warehouse/types.js';
import { idTypesOf } from './id-types.js';
import type { IdentityEvent } from './types.js';

/** One id type with its priority (0 = highest) and settings resolved. */
export interface IdType {
  name: string;
  priority: number;
  normalize?: 'email' | 'phone';
  defaultCountryCode?: string;
  maxPerProfile?: number;
  hubThreshold: number;
  /** Distinct people's evidence that makes a value shared (see shared.ts). */
  sharedThreshold: number;
}

/** The build's shared state. Work tables live in the state schema and are dropped at the end. */
export interface IdentityContext {
  project: Project;
  config: IdentityConfig;
  warehouse: Warehouse;
  d: Dialect;
  types: IdType[];
  /** An output table in the project schema. */
  out(name: string): RelationRef;
  /** A persistent state table `identity_state_<name>` in the state schema. */
  state(name: string): RelationRef;
  /** A session-scoped scratch table `identity_work_<name>` (dialect.tempRelation). */
  work(name: string): RelationRef;
  /** `schema.name`, quoted. */
  q(ref: RelationRef): string;
  emit(event: IdentityEvent): void;
  /** Run one statement. */
  run(sql: string): Promise<void>;
  /** Run a query returning one number (column `n`). */
  count(sql: string): Promise<number>;
  /** Scratch tables created so far (dropped at the end). */
  scratch: Set<string>;
}

/** Resolves the identity config of `project` into a context. */
export function createContext(
  project: Project,
  warehouse: Warehouse,
  emit: (event: IdentityEvent) => void,
): IdentityContext {
  const config = project.identity;
  if (!config) throw new Error('The project has no models/identity.yml');
  const types = idTypesOf(config);
  const d = warehouse.dialect;
  const scratch = new Set<string>();
  const stateSchema = project.config.state_schema;
  return {
    project,
    config,
    warehouse,
    d,
    types,
    out: (name) => ({ schema: project.config.schema, name }),
    state: (name) => ({ schema: stateSchema, name: `identity_state_${name}` }),
    work: (name) => {
      scratch.add(name);
      return d.tempRelation(`identity_work_${name}`);
    },
    q: (ref) => d.qualify(ref),
    emit,
    run: (sql) => warehouse.execute(sql),
    count: async (sql) => Number((await warehouse.query<{ n: unknown }>(sql))[0]?.n ?? 0),
    scratch,
  };
}

/** The id type named `name` (throws on an unknown name: config validation prevents it). */
export function idType(ctx: IdentityContext, name: string): IdType {
  const type = ctx.types.find((t) => t.name === name);
  if (!type) throw new Error(`Unknown id type '${name}'`);
  return type;
}

/** `CASE id_type WHEN 'a' THEN x … END` over the id types, for per-type settings in SQL. */
export function perTypeCase(
  ctx: IdentityContext,
  column: string,
  value: (type: IdType) => string | undefined,
  otherwise = 'NULL',
): string {
  const branches = ctx.types
    .map((type) => ({ type, sql: value(type) }))
    .filter((b): b is { type: IdType; sql: string } => b.sql !== undefined)
    .map((b) => `WHEN ${ctx.d.literal(b.type.name)} THEN ${b.sql}`);
  return branches.length === 0 ? otherwise : `CASE ${column} ${branches.join(' ')} ELSE ${otherwise} END`;
}
