import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunkWriter,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  type ColumnDef,
  type Dialect,
  type LoadOptions,
  type RelationRef,
  WarehouseError,
} from '../types.js';
import { withSql } from './statement-error.js';
import { toDuckDBValue, ValueTypeError } from './write-values.js';

type Rows = Iterable<unknown[]> | AsyncIterable<unknown[]>;

/**
 * Bulk-loads rows through DuckDB's appender inside one transaction: the table is created
 * (replace: recreated) first, and any failure rolls everything back, so a failed replace
 * leaves the previous table intact. Returns the number of rows loaded.
 */
export async function loadRows(
  connection: DuckDBConnection,
  dialect: Dialect,
  ref: RelationRef,
  columns: ColumnDef[],
  rows: Rows,
  options?: LoadOptions,
): Promise<number> {
  const run = (sql: string) => withSql(sql, () => connection.run(sql));
  const mode = options?.mode ?? 'replace';
  await run('BEGIN TRANSACTION');
  let appender: DuckDBAppender | undefined;
  try {
    await run(dialect.createSchema(ref.schema));
    if (mode === 'append') await assertSameColumns(connection, dialect, ref, columns);
    await run(dialect.createTable(ref, columns, { replace: mode === 'replace' }));
    appender = await withSql(`-- appender for ${dialect.qualify(ref)}`, () =>
      connection.createAppender(ref.name, ref.schema),
    );
    const count = await appendRows(appender, dialect.qualify(ref), columns, rows);
    appender.closeSync(); // flushes what is left
    appender = undefined;
    await run('COMMIT');
    return count;
  } catch (error) {
    discard(appender);
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function appendRows(
  appender: DuckDBAppender,
  table: string,
  columns: ColumnDef[],
  rows: Rows,
): Promise<number> {
  const writer = DuckDBDataChunkWriter.forAppender(appender);
  let count = 0;
  const appendOne = (row: unknown[]) => {
    writer.appendRow(convertRow(row, count + 1, table, columns));
    count += 1;
  };
  // Plain iterables skip `for await`, which would cost a promise per row.
  if (Symbol.asyncIterator in rows) {
    for await (const row of rows) appendOne(row);
  } else {
    for (const row of rows) appendOne(row);
  }
  writer.flush();
  return count;
}

function convertRow(row: unknown[], rowNumber: number, table: string, columns: ColumnDef[]): DuckDBValue[] {
  if (!Array.isArray(row) || row.length !== columns.length) {
    const got = Array.isArray(row) ? `${row.length} values` : typeof row;
    throw new WarehouseError(
      `Cannot load row ${rowNumber} into ${table}: expected ${columns.length} values, got ${got}`,
    );
  }
  const values: DuckDBValue[] = new Array(columns.length);
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index] as ColumnDef;
    try {
      values[index] = toDuckDBValue(row[index], column.type);
    } catch (error) {
      if (!(error instanceof ValueTypeError)) throw error;
      throw new WarehouseError(
        `Cannot load row ${rowNumber} into ${table}: column "${column.name}" (${column.type}) ${error.message}`,
      );
    }
  }
  return values;
}

/** Appending is positional, so an existing table must have the same columns in the same order. */
async function assertSameColumns(
  connection: DuckDBConnection,
  dialect: Dialect,
  ref: RelationRef,
  columns: ColumnDef[],
) {
  const sql = dialect.columnsQuery(ref);
  const existing = await withSql(sql, async () => (await connection.runAndReadAll(sql)).getRowObjectsJS());
  if (existing.length === 0) return;
  const existingNames = existing.map((column) => String(column.name));
  const wanted = columns.map((column) => column.name);
  if (existingNames.join('\0').toLowerCase() !== wanted.join('\0').toLowerCase()) {
    throw new WarehouseError(
      `Cannot append to ${dialect.qualify(ref)}: it has columns (${existingNames.join(', ')}) but the rows have (${wanted.join(', ')})`,
    );
  }
}

function discard(appender: DuckDBAppender | undefined): void {
  if (!appender) return;
  try {
    appender.clear();
    appender.closeSync();
  } catch {
    // The transaction is rolled back anyway.
  }
}
