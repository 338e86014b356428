import type { Writable } from 'node:stream';
import type { BigQuery, Job } from '@google-cloud/bigquery';
import {
  type ColumnDef,
  type Dialect,
  type LoadOptions,
  type RelationRef,
  WarehouseError,
} from '../types.js';
import { statementError } from './statement-error.js';
import { ColumnValueError, jsonLine } from './write-values.js';

type Rows = Iterable<unknown[]> | AsyncIterable<unknown[]>;

/** Upload writes are batched: one write per row would dominate the cost. */
const BYTES_PER_WRITE = 256 * 1024;

/**
 * A line no JSON reader accepts: written last when the rows fail part-way, so the load job
 * fails (and, being atomic, writes nothing) and the upload request still ends cleanly; a
 * destroyed upload stream would leave the HTTP request open.
 */
const POISON_LINE = '{"weft": "load aborted by the client"\n';

export interface LoadContext {
  bigquery: BigQuery;
  dialect: Dialect;
  location: string;
  /** Runs a statement on the warehouse (schema creation, empty loads). */
  execute: (sql: string) => Promise<void>;
}

/**
 * A load job (NEWLINE_DELIMITED_JSON multipart upload, schema from the columns,
 * WRITE_TRUNCATE for replace, WRITE_APPEND for append, the table created as needed), the rows
 * streamed into the upload with back-pressure. A bad value fails with its row and column and
 * loads nothing. Returns the row count. Load jobs are free; streaming inserts would bill and
 * block DML on fresh rows.
 */
export async function loadRows(
  context: LoadContext,
  ref: RelationRef,
  columns: ColumnDef[],
  rows: Rows,
  options?: LoadOptions,
): Promise<number> {
  const { dialect } = context;
  const mode = options?.mode ?? 'replace';
  const target = dialect.qualify(ref);
  if (columns.length === 0) throw new WarehouseError(`Cannot load into ${target}: no columns`);
  await context.execute(dialect.createSchema(ref.schema));
  const iterator = toAsyncIterator(rows);
  const first = await iterator.next();
  if (first.done) {
    // No upload for no rows (an empty upload never starts): the same effect with one DDL statement.
    await context.execute(dialect.createTable(ref, columns, { replace: mode === 'replace' }));
    return 0;
  }
  const table = context.bigquery.dataset(ref.schema, { location: context.location }).table(ref.name);
  const upload = table.createWriteStream({
    sourceFormat: 'NEWLINE_DELIMITED_JSON',
    schema: {
      fields: columns.map((c) => ({ name: c.name, type: dialect.typeName(c.type), mode: 'NULLABLE' })),
    },
    writeDisposition: mode === 'replace' ? 'WRITE_TRUNCATE' : 'WRITE_APPEND',
    createDisposition: 'CREATE_IF_NEEDED',
  });
  const finished = new Promise<Job>((resolve, reject) => {
    upload.once('complete', resolve);
    upload.once('error', reject);
  });
  finished.catch(() => undefined); // awaited below; a failure while writing must not go unhandled
  const loadSql = `-- load job into ${target}`;
  let count = 0;
  try {
    let batch = '';
    for (let next: IteratorResult<unknown[]> = first; !next.done; next = await iterator.next()) {
      count += 1;
      batch += line(next.value, columns, target, count);
      if (batch.length >= BYTES_PER_WRITE) {
        await write(upload, batch, finished);
        batch = '';
      }
    }
    if (batch) await write(upload, batch, finished);
  } catch (error) {
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
    upload.end(POISON_LINE);
    await finished.catch(() => undefined);
    throw error instanceof WarehouseError ? error : statementError(error, loadSql);
  }
  upload.end();
  try {
    await finished;
  } catch (error) {
    throw statementError(error, loadSql);
  }
  return count;
}

function line(row: unknown[], columns: ColumnDef[], target: string, rowNumber: number): string {
  if (!Array.isArray(row) || row.length !== columns.length) {
    const length = Array.isArray(row) ? row.length : 0;
    throw new WarehouseError(
      `Cannot load row ${rowNumber} into ${target}: it has ${length} values for ${columns.length} columns`,
    );
  }
  try {
    return jsonLine(row, columns);
  } catch (error) {
    if (!(error instanceof ColumnValueError)) throw error;
    throw new WarehouseError(`Cannot load row ${rowNumber} into ${target}: ${error.message}`, undefined, {
      cause: error.valueError,
    });
  }
}

/**
 * Writes with back-pressure; a failed upload (the job or request) ends the wait. It also yields
 * to the event loop: rows from a synchronous or in-memory source only take microtasks, and
 * before its socket connects the HTTP request accepts writes without back-pressure, so without
 * this the whole load could pile up in memory before the first byte is sent.
 */
async function write(upload: Writable, chunk: string, finished: Promise<unknown>): Promise<void> {
  const drain = upload.write(chunk) ? undefined : new Promise((resolve) => upload.once('drain', resolve));
  await new Promise((resolve) => setImmediate(resolve));
  if (drain) await Promise.race([drain, finished]);
}

function toAsyncIterator(rows: Rows): AsyncIterator<unknown[]> {
  if (Symbol.asyncIterator in rows) return (rows as AsyncIterable<unknown[]>)[Symbol.asyncIterator]();
  const sync = (rows as Iterable<unknown[]>)[Symbol.iterator]();
  return { next: async () => sync.next() };
}
