/**
 * `weft seed` writes only tables it created. It records every table it writes in a marker table,
 * `truth.weft_seeded_tables`; before writing, any existing table of the same name that the marker
 * does not list belongs to the user (a `weft load` or another tool put it there), and the seed
 * refuses to replace it unless forced.
 */
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { TRUTH_SCHEMA } from './table.js';

/** The marker: one row per table `weft seed` created. */
export const SEEDED_TABLES: RelationRef = { schema: TRUTH_SCHEMA, name: 'weft_seeded_tables' };

/** The seed would replace tables it did not create. */
export class SeedWouldReplaceError extends Error {
  override name = 'SeedWouldReplaceError';
  constructor(readonly tables: string[]) {
    super(
      `weft seed would replace ${tables.length === 1 ? 'a table' : `${tables.length} tables`} it did not create: ${tables.join(', ')}. ` +
        'They hold your data (loaded by weft load or another tool). Seed into another warehouse ' +
        '(WEFT_WAREHOUSE_URL=duckdb:///tmp/demo.duckdb weft seed), or pass --force to replace them.',
    );
  }
}

const name = (ref: RelationRef) => `${ref.schema}.${ref.name}`;

async function exists(warehouse: Warehouse, ref: RelationRef): Promise<boolean> {
  return (await warehouse.query(warehouse.dialect.relationKindQuery(ref))).length > 0;
}

/** The tables the marker lists (none when there is no marker). */
async function seededTables(warehouse: Warehouse): Promise<Set<string>> {
  if (!(await exists(warehouse, SEEDED_TABLES))) return new Set();
  const d = warehouse.dialect;
  const rows = await warehouse.query(`SELECT table_name FROM ${d.qualify(SEEDED_TABLES)}`);
  return new Set(rows.map((row) => String(row.table_name)));
}

/** Throws SeedWouldReplaceError naming every table in `targets` that exists and the seed did not create. */
export async function assertSeedOwns(warehouse: Warehouse, targets: RelationRef[]): Promise<void> {
  const ours = await seededTables(warehouse);
  const theirs: string[] = [];
  for (const ref of targets) {
    if (!ours.has(name(ref)) && (await exists(warehouse, ref))) theirs.push(name(ref));
  }
  if (theirs.length > 0) throw new SeedWouldReplaceError(theirs);
}

/** Records `targets` as created by the seed (idempotent). */
export async function markSeeded(warehouse: Warehouse, targets: RelationRef[]): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(d.createSchema(SEEDED_TABLES.schema));
  if (!(await exists(warehouse, SEEDED_TABLES))) {
    await warehouse.execute(d.createTable(SEEDED_TABLES, [{ name: 'table_name', type: 'string' }]));
  }
  const ours = await seededTables(warehouse);
  const missing = targets.map(name).filter((table) => !ours.has(table));
  if (missing.length === 0) return;
  await warehouse.execute(
    `INSERT INTO ${d.qualify(SEEDED_TABLES)} (table_name) VALUES ${missing.map((t) => `(${d.literal(t)})`).join(', ')}`,
  );
}
