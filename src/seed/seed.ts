/** `seedDemoData`: generate the demo population and stream it into the warehouse. */
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';
import { createSeedContext } from './context.js';
import { rowPersonRows, sourceRows, truthPeopleRows } from './generate.js';
import { RAW_SCHEMA, TRUTH_SCHEMA, tableName } from './table.js';
import { SOURCE_TABLES, TRUTH_PEOPLE, TRUTH_ROW_PERSON } from './tables.js';

/** Progress of one table being loaded: rows generated so far. */
export interface SeedProgress {
  table: string;
  rows: number;
}

/** Options of `seedDemoData`. Same `people` + `seed` (+ `asOf`) ⇒ identical data. */
export interface SeedOptions {
  /** Population size (default 10 000, at most 4 000 000). */
  people?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  /** End of the generated timeline (default 2025-06-01T00:00:00Z, fixed for determinism). */
  asOf?: Date;
  /** Called every 100 000 rows and when a table is done. */
  onProgress?: (progress: SeedProgress) => void;
}

/** What was loaded. */
export interface SeedSummary {
  /** Every table written (`raw.*` then `truth.*`) with its row count. */
  tables: Array<{ table: string; rows: number }>;
  totalRows: number;
  ms: number;
}

const PROGRESS_EVERY = 100_000;

function* reportingProgress(
  rows: Iterable<unknown[]>,
  table: string,
  startAt: number,
  onProgress: SeedOptions['onProgress'],
): Generator<unknown[]> {
  let count = startAt;
  for (const row of rows) {
    yield row;
    count++;
    if (onProgress && count % PROGRESS_EVERY === 0) onProgress({ table, rows: count });
  }
  onProgress?.({ table, rows: count });
}

/**
 * Generate the demo population deterministically and load it: one table per source in schema
 * `raw`, and the ground truth (`truth.people`, `truth.row_person`) in schema `truth`. Existing
 * tables of the same names are replaced. Rows are generated lazily, so memory stays bounded.
 */
export async function seedDemoData(warehouse: Warehouse, options: SeedOptions = {}): Promise<SeedSummary> {
  const ctx = createSeedContext(options);
  const started = performance.now();
  const { onProgress } = options;
  await warehouse.execute(warehouse.dialect.createSchema(RAW_SCHEMA));
  await warehouse.execute(warehouse.dialect.createSchema(TRUTH_SCHEMA));

  const tables: SeedSummary['tables'] = [];
  const load = async (ref: RelationRef, columns: ColumnDef[], rows: Iterable<unknown[]>, append: number) => {
    const name = `${ref.schema}.${ref.name}`;
    const progress = reportingProgress(rows, name, append, onProgress);
    return warehouse.load(ref, columns, progress, { mode: append > 0 ? 'append' : 'replace' });
  };

  for (const table of SOURCE_TABLES) {
    const rows = await load(table.ref, table.columns, sourceRows(ctx, table), 0);
    tables.push({ table: tableName(table), rows });
  }
  const peopleRows = await load(TRUTH_PEOPLE.ref, TRUTH_PEOPLE.columns, truthPeopleRows(ctx), 0);
  tables.push({ table: 'truth.people', rows: peopleRows });
  // Regenerating each source's rows is cheaper than holding them; only keys are kept.
  let rowPersonCount = 0;
  for (const table of SOURCE_TABLES) {
    const rows = rowPersonRows(ctx, table);
    rowPersonCount += await load(TRUTH_ROW_PERSON.ref, TRUTH_ROW_PERSON.columns, rows, rowPersonCount);
  }
  tables.push({ table: 'truth.row_person', rows: rowPersonCount });

  const totalRows = tables.reduce((sum, t) => sum + t.rows, 0);
  return {
    tables,
    totalRows,
    ms: Math.round(performance.now() - started),
  };
}
