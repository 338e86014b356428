/** `seedDemoData`: generate the demo population and stream it into the warehouse. */
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';
import { createSeedContext, type SeedNoise } from './context.js';
import { allRowPersonRows, type PeopleSlice, sourceRows, truthPeopleRows } from './generate.js';
import { assertSeedOwns, markSeeded } from './ownership.js';
import { RAW_SCHEMA, TRUTH_SCHEMA } from './table.js';
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
  /** `standard` (default) or `messy`: the harder seed (src/seed/messy.ts). */
  noise?: SeedNoise;
  /**
   * People per `load` call (default 25 000). Each call is one transaction; smaller slices
   * hold less in the engine's memory at once. Does not change the data.
   */
  peoplePerLoad?: number;
  /** Called every 100 000 rows and when a table is done. */
  onProgress?: (progress: SeedProgress) => void;
  /**
   * Replace tables of the same names even when the seed did not create them (default false:
   * such tables hold the user's data, and the seed refuses with SeedWouldReplaceError).
   */
  force?: boolean;
}

/** What was loaded. */
export interface SeedSummary {
  /** Every table written (`raw.*` then `truth.*`) with its row count. */
  tables: Array<{ table: string; rows: number }>;
  totalRows: number;
  ms: number;
}

const PROGRESS_EVERY = 100_000;
/** People per load call: about 400k truth rows or 215k web events per transaction. */
const DEFAULT_PEOPLE_PER_LOAD = 25_000;

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
}

/**
 * Generate the demo population deterministically and load it: one table per source in schema
 * `raw`, and the ground truth (`truth.people`, `truth.row_person`) in schema `truth`. Tables of
 * the same names that an earlier seed created are replaced; any other table of those names is
 * the user's, and the seed refuses (SeedWouldReplaceError) unless `force`. Rows are generated lazily and loaded in slices of
 * people (one transaction each), so memory stays bounded; a failure midway can leave a table
 * partly loaded, and re-running the seed rebuilds it.
 */
export async function seedDemoData(warehouse: Warehouse, options: SeedOptions = {}): Promise<SeedSummary> {
  const ctx = createSeedContext(options);
  const started = performance.now();
  const { onProgress } = options;
  const perLoad = options.peoplePerLoad ?? DEFAULT_PEOPLE_PER_LOAD;
  if (!Number.isInteger(perLoad) || perLoad < 1)
    throw new RangeError(`peoplePerLoad must be a positive integer`);
  const targets = [...SOURCE_TABLES.map((t) => t.ref), TRUTH_PEOPLE.ref, TRUTH_ROW_PERSON.ref];
  if (!options.force) await assertSeedOwns(warehouse, targets);
  await warehouse.execute(warehouse.dialect.createSchema(RAW_SCHEMA));
  await warehouse.execute(warehouse.dialect.createSchema(TRUTH_SCHEMA));
  // Marked before loading: a seed that fails midway still owns the tables it began to write.
  await markSeeded(warehouse, targets);

  const tables: SeedSummary['tables'] = [];
  // One load per slice of people: each load is one transaction, and the engine may hold a
  // transaction's rows in memory until it commits (DuckDB does), so slices keep memory bounded.
  const loadInSlices = async (
    ref: RelationRef,
    columns: ColumnDef[],
    rowsOf: (slice: PeopleSlice) => Iterable<unknown[]>,
  ) => {
    const name = `${ref.schema}.${ref.name}`;
    let loaded = 0;
    for (let from = 0; from < ctx.people; from += perLoad) {
      const rows = reportingProgress(rowsOf({ from, to: from + perLoad }), name, loaded, onProgress);
      loaded += await warehouse.load(ref, columns, rows, { mode: from === 0 ? 'replace' : 'append' });
    }
    onProgress?.({ table: name, rows: loaded });
    tables.push({ table: name, rows: loaded });
  };

  for (const table of SOURCE_TABLES) {
    await loadInSlices(table.ref, table.columns, (slice) => sourceRows(ctx, table, slice));
  }
  await loadInSlices(TRUTH_PEOPLE.ref, TRUTH_PEOPLE.columns, (slice) => truthPeopleRows(ctx, slice));
  // Regenerating the sources' rows is cheaper than holding them: only their keys are kept.
  await loadInSlices(TRUTH_ROW_PERSON.ref, TRUTH_ROW_PERSON.columns, (slice) =>
    allRowPersonRows(ctx, SOURCE_TABLES, slice),
  );

  const totalRows = tables.reduce((sum, t) => sum + t.rows, 0);
  return {
    tables,
    totalRows,
    ms: Math.round(performance.now() - started),
  };
}
