import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { convertRow } from '../load-row.js';
import {
  type ColumnDef,
  type Dialect,
  type LoadOptions,
  type RelationRef,
  WarehouseError,
} from '../types.js';
import { toCopyField } from './copy-values.js';
import { withSql } from './statement-error.js';

type Rows = Iterable<unknown[]> | AsyncIterable<unknown[]>;

const LINES_PER_WRITE = 1000;

/**
 * Bulk-loads rows with `COPY … FROM STDIN` (text format) inside one transaction on `client`:
 * the schema and table are created (replace: recreated) first, and any failure rolls
 * everything back, so a failed replace keeps the previous table. Returns the rows loaded.
 */
export async function loadRows(
  client: PoolClient,
  dialect: Dialect,
  ref: RelationRef,
  columns: ColumnDef[],
  rows: Rows,
  options?: LoadOptions,
): Promise<number> {
  const run = (sql: string) => withSql(sql, () => client.query(sql));
  const mode = options?.mode ?? 'replace';
  const target = dialect.qualify(ref);
  await run('BEGIN');
  try {
    await run(dialect.createSchema(ref.schema));
    if (mode === 'append') await assertSameColumns(client, dialect, ref, columns);
    await run(dialect.createTable(ref, columns, { replace: mode === 'replace' }));
    const copySql = `COPY ${target} (${columns.map((c) => dialect.quoteIdent(c.name)).join(', ')}) FROM STDIN`;
    let count = 0;
    // Lines are sent in batches: one stream write per row would dominate the cost.
    async function* lines(): AsyncGenerator<string> {
      let batch: string[] = [];
      for await (const row of rows) {
        count += 1;
        batch.push(copyLine(row, columns, target, count));
        if (batch.length >= LINES_PER_WRITE) {
          yield `${batch.join('\n')}\n`;
          batch = [];
        }
      }
      if (batch.length > 0) yield `${batch.join('\n')}\n`;
    }
    await withSql(copySql, () => pipeline(lines(), client.query(copyFrom(copySql))));
    await run('COMMIT');
    // Fresh statistics for the planner (see createTableAs in dialect.ts).
    await run(`ANALYZE ${target}`);
    return count;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function copyLine(row: unknown[], columns: ColumnDef[], target: string, rowNumber: number): string {
  return convertRow(row, columns, target, rowNumber, toCopyField).join('\t');
}

/** `append` into an existing table whose columns differ from the rows' would scramble data. */
async function assertSameColumns(
  client: PoolClient,
  dialect: Dialect,
  ref: RelationRef,
  columns: ColumnDef[],
): Promise<void> {
  const sql = dialect.columnsQuery(ref);
  const result = await withSql(sql, () => client.query<{ name: string }>(sql));
  if (result.rows.length === 0) return;
  const existing = result.rows.map((row) => row.name);
  const wanted = columns.map((column) => column.name);
  if (existing.join('\0') !== wanted.join('\0')) {
    throw new WarehouseError(
      `Cannot append to ${dialect.qualify(ref)}: it has columns (${existing.join(', ')}), the rows have (${wanted.join(', ')})`,
    );
  }
}
