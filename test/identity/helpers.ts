/** Shared set-up for the identity tests: a DuckDB in a temp dir, raw tables, and a project around an identity config. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { identitySchema } from '../../src/config/schemas/identity.js';
import type { Project } from '../../src/config/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { ColumnDef, Warehouse } from '../../src/warehouse/types.js';

/** An open temp DuckDB and how to dispose of it. */
export interface TempWarehouse {
  warehouse: Warehouse;
  dir: string;
  dispose(): Promise<void>;
}

/** Opens a DuckDB file in a fresh temp dir. */
export async function tempWarehouse(): Promise<TempWarehouse> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-identity-'));
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'w.duckdb') },
    { projectDir: dir },
  );
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS raw');
  return {
    warehouse,
    dir,
    dispose: async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A project whose sources are `raw.<table>` for each table named, with `identity` (the `identity:` mapping, unparsed). */
export function identityProject(dir: string, tables: string[], identity: unknown): Project {
  return {
    dir,
    config: {
      name: 't',
      schema: 'weft',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb' },
      connections: {},
      vars: {},
    },
    sources: [{ name: 'src', schema: 'raw', tables: tables.map((t) => ({ name: t, identifier: t })) }],
    models: [],
    identity: identitySchema.parse(identity),
    audiences: [],
    syncs: [],
    secrets: [],
  };
}

/** Columns of a loaded test table: all strings plus a `ts` timestamp. */
export function columns(names: string[]): ColumnDef[] {
  return [
    ...names.map((name) => ({ name, type: 'string' as const })),
    { name: 'ts', type: 'timestamp' as const },
  ];
}

/** Loads rows (arrays in `names` order then a Date) into raw.<table>. */
export async function loadRows(
  warehouse: Warehouse,
  table: string,
  names: string[],
  rows: Array<Array<string | null | Date>>,
  mode: 'replace' | 'append' = 'replace',
): Promise<void> {
  await warehouse.load({ schema: 'raw', name: table }, columns(names), rows, { mode });
}

/** identity_map as sorted `type:value=profile` strings. */
export async function mapRows(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.query(
    'SELECT id_type, id_value, profile_id FROM weft.identity_map ORDER BY 1, 2',
  );
  return rows.map((r) => `${r.id_type}:${r.id_value}=${r.profile_id}`);
}

/** Groups of `type:value` that share a profile, as sorted lists (sorted by first member). */
export async function profileGroups(warehouse: Warehouse): Promise<string[][]> {
  const rows = await warehouse.query('SELECT id_type, id_value, profile_id FROM weft.identity_map');
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const list = groups.get(String(r.profile_id)) ?? [];
    list.push(`${r.id_type}:${r.id_value}`);
    groups.set(String(r.profile_id), list);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** The profile id of one identifier (undefined when not in the map). */
export async function profileOf(
  warehouse: Warehouse,
  type: string,
  value: string,
): Promise<string | undefined> {
  const rows = await warehouse.query(
    `SELECT profile_id FROM weft.identity_map WHERE id_type = '${type}' AND id_value = '${value.replaceAll("'", "''")}'`,
  );
  return rows[0] ? String(rows[0].profile_id) : undefined;
}
