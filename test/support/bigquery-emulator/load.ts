/**
 * Load jobs of the local BigQuery endpoint: the multipart upload (`uploadType=multipart`: job
 * metadata JSON, then NEWLINE_DELIMITED_JSON data), loaded into DuckDB in one transaction, so a
 * failed load changes nothing (as BigQuery's atomic load jobs).
 */
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EmulatedDatabase } from './database.js';
import { ApiFailure } from './http.js';

interface LoadField {
  name: string;
  type: string;
}

interface LoadConfig {
  destinationTable?: { datasetId?: string; tableId?: string };
  sourceFormat?: string;
  schema?: { fields?: LoadField[] };
  writeDisposition?: string;
  createDisposition?: string;
}

const DUCKDB_TYPES: Record<string, string> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  INTEGER: 'BIGINT',
  FLOAT64: 'DOUBLE',
  FLOAT: 'DOUBLE',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
  DATETIME: 'TIMESTAMP',
  DATE: 'DATE',
  NUMERIC: 'DECIMAL(38, 9)',
  JSON: 'JSON',
  BYTES: 'BLOB',
};

/** Splits a multipart/related body into its parts' contents. */
export function multipartParts(body: Buffer, contentType: string | undefined): string[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary)
    throw new ApiFailure(400, 'invalid', 'Upload requests must be multipart/related with a boundary.');
  const text = body.toString('utf8');
  return text
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .map((part) => {
      const start = part.indexOf('\r\n\r\n');
      return (start < 0 ? '' : part.slice(start + 4)).replace(/\r\n$/, '');
    });
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function readError(message: string): ApiFailure {
  return new ApiFailure(400, 'invalid', `Error while reading data, error message: ${message}`);
}

/** A JSON value as the text DuckDB casts to the column's type (null stays null). */
function cellText(value: unknown, field: LoadField, row: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    throw readError(
      `JSON parsing error in row starting at position ${row}: Only optional fields can be set to NULL or object. Field: ${field.name}`,
    );
  }
  return String(value);
}

/** Runs one load job's data into DuckDB; returns the rows loaded or throws ApiFailure. */
export async function runLoad(database: EmulatedDatabase, config: LoadConfig, data: string): Promise<number> {
  const dataset = config.destinationTable?.datasetId ?? '';
  const table = config.destinationTable?.tableId ?? '';
  const fields = config.schema?.fields ?? [];
  if (config.sourceFormat !== 'NEWLINE_DELIMITED_JSON') {
    throw new ApiFailure(
      400,
      'invalid',
      `The emulator loads NEWLINE_DELIMITED_JSON only, got ${config.sourceFormat}`,
    );
  }
  if (!(await database.datasetExists(dataset))) throw database.missingDataset(dataset);
  const lines = data.split('\n').filter((line) => line.trim() !== '');
  const records = lines.map((line, index) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw readError(
        `JSON table encountered too many errors, giving up. Rows: ${index + 1}; errors: 1. Please look into the errors[] collection for more details.`,
      );
    }
  });
  const target = `${quoteIdent(dataset)}.${quoteIdent(table)}`;
  const shown = `${database.projectId}:${dataset}.${table}`;
  return database.main.run(async (connection) => {
    const existing = await existingColumns(connection, dataset, table);
    if (config.writeDisposition === 'WRITE_APPEND' && existing.length > 0) {
      const extra = fields.find((f) => !existing.includes(f.name));
      if (extra)
        throw new ApiFailure(
          400,
          'invalid',
          `Provided Schema does not match Table ${shown}. Cannot add fields (field: ${extra.name})`,
        );
    }
    if (existing.length === 0 && config.createDisposition === 'CREATE_NEVER') {
      throw new ApiFailure(404, 'notFound', `Not found: Table ${shown}`);
    }
    const columns = fields
      .map((f) => `${quoteIdent(f.name)} ${DUCKDB_TYPES[f.type.toUpperCase()] ?? 'VARCHAR'}`)
      .join(', ');
    await connection.run('BEGIN');
    try {
      const create =
        config.writeDisposition === 'WRITE_TRUNCATE'
          ? 'CREATE OR REPLACE TABLE'
          : 'CREATE TABLE IF NOT EXISTS';
      await connection.run(`${create} ${target} (${columns})`);
      await insertRecords(connection, target, fields, records);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      if (error instanceof ApiFailure) throw error;
      throw readError(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    return records.length;
  });
}

async function existingColumns(
  connection: DuckDBConnection,
  dataset: string,
  table: string,
): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    'SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [dataset, table],
  );
  return reader.getRows().map((row) => String(row[0]));
}

/**
 * Appends every record as text to a VARCHAR staging table (DuckDB's appender: fast), then casts
 * into the target in one INSERT; a value that does not cast fails the statement.
 */
async function insertRecords(
  connection: DuckDBConnection,
  target: string,
  fields: LoadField[],
  records: Record<string, unknown>[],
): Promise<void> {
  const staging = `weft_load_${randomBytes(6).toString('hex')}`;
  const names = fields.map((f) => quoteIdent(f.name));
  await connection.run(`CREATE TEMP TABLE ${staging} (${names.map((n) => `${n} VARCHAR`).join(', ')})`);
  try {
    const appender = await connection.createAppender(staging, 'main', 'temp');
    records.forEach((record, index) => {
      for (const field of fields) {
        const text = cellText(record[field.name], field, index);
        if (text === null) appender.appendNull();
        else appender.appendVarchar(text);
      }
      appender.endRow();
    });
    appender.flushSync();
    appender.closeSync();
    const casts = fields.map((field, index) => {
      const type = DUCKDB_TYPES[field.type.toUpperCase()] ?? 'VARCHAR';
      const name = names[index] as string;
      return type === 'TIMESTAMP'
        ? `CAST(CAST(${name} AS TIMESTAMPTZ) AS TIMESTAMP)`
        : `CAST(${name} AS ${type})`;
    });
    await connection.run(
      `INSERT INTO ${target} (${names.join(', ')}) SELECT ${casts.join(', ')} FROM temp.${staging}`,
    );
  } finally {
    await connection.run(`DROP TABLE IF EXISTS temp.${staging}`);
  }
}
