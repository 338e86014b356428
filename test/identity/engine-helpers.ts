/** Identity tests on any live engine: a project in schemas of its own, raw tables, profile lookups. */
import { identitySchema } from '../../src/config/schemas/identity.js';
import type { Project } from '../../src/config/types.js';
import type { ColumnDef, Warehouse } from '../../src/warehouse/types.js';

/**
 * A project whose source `src` lives in schema `schema` (tables named `tables`), outputs in
 * `<schema>_out` and state in `<schema>_state`, so parallel files on one server never meet.
 */
export function engineProject(schema: string, tables: string[], identity: unknown): Project {
  return {
    dir: process.cwd(),
    config: {
      name: 't',
      schema: `${schema}_out`,
      state_schema: `${schema}_state`,
      warehouse: { type: 'duckdb' },
      connections: {},
      vars: {},
    },
    sources: [{ name: 'src', schema, tables: tables.map((t) => ({ name: t, identifier: t })) }],
    models: [],
    identity: identitySchema.parse(identity),
    audiences: [],
    syncs: [],
    secrets: [],
  } as Project;
}

/** Loads rows (string columns in `names` order, then a `ts` Date) into the source table `table`. */
export async function loadTable(
  warehouse: Warehouse,
  project: Project,
  table: string,
  names: string[],
  rows: ReadonlyArray<ReadonlyArray<string | null | Date>>,
): Promise<void> {
  const schema = project.sources[0]?.schema as string;
  await warehouse.execute(warehouse.dialect.createSchema(schema));
  const columns: ColumnDef[] = [
    ...names.map((name) => ({ name, type: 'string' as const })),
    { name: 'ts', type: 'timestamp' as const },
  ];
  await warehouse.load({ schema, name: table }, columns, rows as unknown[][], { mode: 'replace' });
}

/** The profile id of one identifier in the project's identity_map (undefined when absent). */
export async function profileOf(
  warehouse: Warehouse,
  project: Project,
  type: string,
  value: string,
): Promise<string | undefined> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(
    `SELECT profile_id FROM ${d.qualify({ schema: project.config.schema, name: 'identity_map' })}
     WHERE id_type = ${d.literal(type)} AND id_value = ${d.literal(value)}`,
  );
  return rows[0] ? String(rows[0].profile_id) : undefined;
}

/** Profile ids of `type:value` identifiers, in order (undefined where absent). */
export async function profilesOf(
  warehouse: Warehouse,
  project: Project,
  identifiers: string[],
): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = [];
  for (const id of identifiers) {
    const colon = id.indexOf(':');
    out.push(await profileOf(warehouse, project, id.slice(0, colon), id.slice(colon + 1)));
  }
  return out;
}

/** identity_shared rows of one value, by profile id. */
export async function sharedRows(
  warehouse: Warehouse,
  project: Project,
  type: string,
  value: string,
): Promise<Array<{ profile_id: string; reason: string; persons: number }>> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(
    `SELECT profile_id, reason, persons FROM ${d.qualify({ schema: project.config.schema, name: 'identity_shared' })}
     WHERE id_type = ${d.literal(type)} AND id_value = ${d.literal(value)} ORDER BY profile_id`,
  );
  return rows.map((r) => ({
    profile_id: String(r.profile_id),
    reason: String(r.reason),
    persons: Number(r.persons),
  }));
}

/** Values at the other end of edges from `value` that a max_per_profile limit cut, sorted. */
export async function limitEdges(warehouse: Warehouse, project: Project, value: string): Promise<string[]> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(
    `SELECT CASE WHEN a_value = ${d.literal(value)} THEN b_value ELSE a_value END AS other
     FROM ${d.qualify({ schema: project.config.schema, name: 'identity_edges' })}
     WHERE unused_reason = 'limit' AND (a_value = ${d.literal(value)} OR b_value = ${d.literal(value)})
     ORDER BY 1`,
  );
  return rows.map((r) => String(r.other));
}

/** Day `day` after 2024-01-01 UTC: fixed timestamps for the engine tests' rows. */
export const dayAt = (day: number): Date => new Date(Date.UTC(2024, 0, 1) + day * 86_400_000);

/** Drops an engine test's schemas (sources, outputs, state) and closes its warehouse. */
export async function dropEngineSchemas(warehouse: Warehouse | undefined, schema: string): Promise<void> {
  for (const s of [schema, `${schema}_out`, `${schema}_state`])
    await warehouse?.execute(`DROP SCHEMA IF EXISTS ${warehouse.dialect.quoteIdent(s)} CASCADE`);
  await warehouse?.close();
}
