import { stripTrailingSemicolons, timestampText } from '../sql-text.js';
import {
  beyondJsDate,
  deleteMatching,
  dropRelation,
  except,
  insertSelect,
  mergeFallback,
  numericLiteral,
  qualify,
  quoteIdent,
  rowHash,
  tableBody,
  textMatches,
  wholeNumber,
} from '../standard-sql.js';
import type { ColumnDef, Dialect, LogicalType, RelationRef } from '../types.js';

const typeNames: Record<LogicalType, string> = {
  string: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  json: 'JSON',
};

/** Values of the types a sync maps, hashed together to name the fast hash's behaviour. */
const FAST_HASH_PROBE = [
  "'weft'",
  'CAST(NULL AS VARCHAR)',
  'CAST(42 AS BIGINT)',
  'CAST(42 AS INTEGER)',
  'CAST(1.5 AS DOUBLE)',
  'CAST(12.34 AS DECIMAL(18, 2))',
  "CAST('12345678901234567890.123' AS DECIMAL(38, 3))",
  'TRUE',
  "DATE '2024-01-02'",
  "TIMESTAMP '2024-01-02 03:04:05.678'",
  `CAST('{"a": 1}' AS JSON)`,
  "['x', 'y']",
].join(', ');

/** A standard SQL string: backslashes are literal in DuckDB, only `'` needs doubling. */
function stringLiteral(value: string): string {
  // NUL cannot appear inside a quoted literal; splice it in with chr(0).
  const parts = value.split('\0').map((part) => `'${part.replaceAll("'", "''")}'`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' || chr(0) || ')})`;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      return numericLiteral(value.toString());
    case 'number':
      if (Number.isNaN(value)) return "'NaN'::DOUBLE";
      if (!Number.isFinite(value)) return value > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
      return numericLiteral(String(value));
  }
  if (value instanceof Date) return `TIMESTAMP '${timestampText(value)}'`;
  throw new TypeError(`Cannot write a ${Object.prototype.toString.call(value)} as an SQL literal`);
}

function createTable(
  ref: RelationRef,
  columns: ColumnDef[],
  options?: { replace?: boolean; primaryKey?: string[] },
): string {
  const body = tableBody(
    ref,
    columns.map((column) => ({ name: column.name, type: typeNames[column.type] })),
    options?.primaryKey,
  );
  // Without `replace` an existing table is kept (IF NOT EXISTS), which makes append-mode loads idempotent.
  const head = options?.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE IF NOT EXISTS';
  return `${head} ${qualify(ref)} (${body})`;
}

/** Matches DuckDB's catalog, which resolves names case-insensitively. */
function relationFilter(ref: RelationRef): string {
  return `table_catalog = current_database() AND lower(table_schema) = lower(${literal(ref.schema)}) AND lower(table_name) = lower(${literal(ref.name)})`;
}

/** The DuckDB dialect. Pure string building; see `warehouse.ts` for the I/O. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  enforcesPrimaryKeys: true,
  quoteIdent,
  qualify,
  literal,
  typeName: (type) => typeNames[type],
  cast: (expr, type) => `CAST(${expr} AS ${typeNames[type]})`,
  sha256: (expr) => `sha256(${expr})`,
  regexpReplaceAll: (expr, pattern, replacement) =>
    `regexp_replace(${expr}, ${literal(pattern)}, ${literal(replacement)}, 'g')`,
  regexpMatches: (expr, pattern) => `regexp_matches(${expr}, ${literal(pattern)})`,
  trimChars: (expr, chars) => `trim(${expr}, ${literal(chars)})`,
  substring: (expr, start, length) => `substr(${expr}, ${Math.trunc(start)}, ${Math.trunc(length)})`,
  rowHash: (exprs) => rowHash(exprs, 'VARCHAR'),
  // hash() is a UBIGINT; 63 of its bits fit a BIGINT column on every engine.
  fastRowHash: (exprs) => {
    if (exprs.length === 0) throw new Error('fastRowHash needs at least one expression');
    return `CAST(hash(${exprs.join(', ')}) >> 1 AS BIGINT)`;
  },
  fastRowHashScheme: () =>
    `SELECT 'duckdb ' || version() || ' ' || CAST(hash(${FAST_HASH_PROBE}) AS VARCHAR) AS scheme`,
  beyondJsDate,
  // timezone('UTC', …) turns the TIMESTAMPTZ clock into UTC wall time, whatever the session zone.
  currentTimestamp: () => `timezone('UTC', current_timestamp)`,
  addDays: (expr, days) => {
    const n = wholeNumber(days, 'addDays days');
    return `(CAST(${expr} AS TIMESTAMP) ${n < 0 ? '-' : '+'} INTERVAL ${Math.abs(n)} DAY)`;
  },
  textMatches: (expr, text, how) => textMatches(expr, text, how, literal),
  hashBucket: (expr, buckets) => {
    const n = wholeNumber(buckets, 'hashBucket buckets');
    if (n < 1) throw new Error(`hashBucket needs at least one bucket, got ${n}`);
    return `mod(CAST('0x' || substr(sha256(${expr}), 1, 8) AS BIGINT), ${n})`;
  },
  splitPart: (expr, delimiter, index) =>
    `split_part(${expr}, ${literal(delimiter)}, ${wholeNumber(index, 'splitPart index')})`,
  stringAgg: (expr, separator, orderBy) =>
    `string_agg(${expr}, ${literal(separator)}${orderBy ? ` ORDER BY ${orderBy}` : ''})`,
  // DuckDB has MERGE INTO (1.4+), but a DELETE then an INSERT is faster: 0.50 s against 0.66 s
  // for a 100k-row chunk into a 1M-row snapshot (the journal merge's shape).
  merge: (target, source, keyColumns, columns, options) =>
    mergeFallback(target, source, keyColumns, columns, options),
  fence: () => '',
  createSchema: (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  createTable,
  createTableAs: (ref, select) =>
    `CREATE OR REPLACE TABLE ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`,
  // DuckDB resolves "temp"."name" to the temp catalog's default schema.
  tempRelation: (name) => ({ schema: 'temp', name }),
  createTempTableAs: (ref, select) =>
    `CREATE OR REPLACE TEMP TABLE ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`,
  createView: (ref, select) =>
    `CREATE OR REPLACE VIEW ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`,
  dropRelation,
  addColumn: (ref, column) =>
    `ALTER TABLE ${qualify(ref)} ADD COLUMN IF NOT EXISTS ${quoteIdent(column.name)} ${typeNames[column.type]}`,
  renameTable: (from, toName) => `ALTER TABLE ${qualify(from)} RENAME TO ${quoteIdent(toName)}`,
  insertSelect,
  deleteMatching,
  except,
  relationKindQuery: (ref) =>
    `SELECT CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END AS kind FROM information_schema.tables WHERE ${relationFilter(ref)}`,
  columnsQuery: (ref) =>
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE ${relationFilter(ref)} ORDER BY ordinal_position`,
};
