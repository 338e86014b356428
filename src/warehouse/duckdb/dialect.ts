import { stripTrailingSemicolons, timestampText } from '../sql-text.js';
import type { ColumnDef, Dialect, LogicalType, RelationKind, RelationRef } from '../types.js';

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

/** `"name"` with embedded double quotes doubled. */
function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('An SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error('An SQL identifier cannot contain a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

function qualify(ref: RelationRef): string {
  return `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}`;
}

/** A standard SQL string: backslashes are literal in DuckDB, only `'` needs doubling. */
function stringLiteral(value: string): string {
  // NUL cannot appear inside a quoted literal; splice it in with chr(0).
  const parts = value.split('\0').map((part) => `'${part.replaceAll("'", "''")}'`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' || chr(0) || ')})`;
}

/** Negative numbers are parenthesised so `a -` + literal can never form a `--` comment. */
function numericLiteral(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
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

function columnList(columns: string[]): string {
  if (columns.length === 0) throw new Error('At least one column is required');
  return columns.map(quoteIdent).join(', ');
}

function createTable(
  ref: RelationRef,
  columns: ColumnDef[],
  options?: { replace?: boolean; primaryKey?: string[] },
): string {
  if (columns.length === 0) throw new Error(`Table ${qualify(ref)} needs at least one column`);
  const definitions = columns.map((column) => `${quoteIdent(column.name)} ${typeNames[column.type]}`);
  if (options?.primaryKey?.length) definitions.push(`PRIMARY KEY (${columnList(options.primaryKey)})`);
  const body = definitions.join(', ');
  // Without `replace` an existing table is kept (IF NOT EXISTS), which makes append-mode loads idempotent.
  const head = options?.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE IF NOT EXISTS';
  return `${head} ${qualify(ref)} (${body})`;
}

function deleteMatching(target: RelationRef, source: RelationRef, keyColumns: string[]): string {
  if (keyColumns.length === 0) throw new Error('deleteMatching needs at least one key column');
  const conditions = keyColumns
    .map((key) => `weft_source.${quoteIdent(key)} = weft_target.${quoteIdent(key)}`)
    .join(' AND ');
  return `DELETE FROM ${qualify(target)} AS weft_target WHERE EXISTS (SELECT 1 FROM ${qualify(source)} AS weft_source WHERE ${conditions})`;
}

/**
 * MD5 over the values as text: a NULL becomes `~`, any value gets a `=` prefix (so NULL and the
 * text '~' differ), joined with the unit separator chr(31).
 */
function rowHash(exprs: string[]): string {
  if (exprs.length === 0) throw new Error('rowHash needs at least one expression');
  const parts = exprs.map((expr) => `coalesce('=' || CAST(${expr} AS VARCHAR), '~')`);
  return `md5(concat_ws(chr(31), ${parts.join(', ')}))`;
}

/** `LIKE` with `\\` escaping `%`, `_` and itself in the searched text. */
function textMatches(expr: string, text: string, how: 'contains' | 'starts_with' | 'ends_with'): string {
  const escaped = text.replace(/[\\%_]/g, '\\$&');
  const pattern =
    how === 'starts_with' ? `${escaped}%` : how === 'ends_with' ? `%${escaped}` : `%${escaped}%`;
  return `(${expr} LIKE ${literal(pattern)} ESCAPE '\\')`;
}

function wholeNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number, got ${value}`);
  return value;
}

/** Matches DuckDB's catalog, which resolves names case-insensitively. */
function relationFilter(ref: RelationRef): string {
  return `table_catalog = current_database() AND lower(table_schema) = lower(${literal(ref.schema)}) AND lower(table_name) = lower(${literal(ref.name)})`;
}

/** The DuckDB dialect. Pure string building; see `warehouse.ts` for the I/O. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
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
  rowHash,
  // timezone('UTC', …) turns the TIMESTAMPTZ clock into UTC wall time, whatever the session zone.
  currentTimestamp: () => `timezone('UTC', current_timestamp)`,
  addDays: (expr, days) => {
    const n = wholeNumber(days, 'addDays days');
    return `(CAST(${expr} AS TIMESTAMP) ${n < 0 ? '-' : '+'} INTERVAL ${Math.abs(n)} DAY)`;
  },
  textMatches,
  hashBucket: (expr, buckets) => {
    const n = wholeNumber(buckets, 'hashBucket buckets');
    if (n < 1) throw new Error(`hashBucket needs at least one bucket, got ${n}`);
    return `mod(CAST('0x' || substr(sha256(${expr}), 1, 8) AS BIGINT), ${n})`;
  },
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
  dropRelation: (ref, kind: RelationKind) =>
    `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${qualify(ref)}`,
  renameTable: (from, toName) => `ALTER TABLE ${qualify(from)} RENAME TO ${quoteIdent(toName)}`,
  insertSelect: (ref, columns, select) =>
    `INSERT INTO ${qualify(ref)} (${columnList(columns)})\n${stripTrailingSemicolons(select)}\n`,
  deleteMatching,
  // Newlines before `)` keep a trailing `-- comment` in either query from swallowing the paren.
  except: (a, b) => `(\n${stripTrailingSemicolons(a)}\n)\nEXCEPT\n(\n${stripTrailingSemicolons(b)}\n)`,
  relationKindQuery: (ref) =>
    `SELECT CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END AS kind FROM information_schema.tables WHERE ${relationFilter(ref)}`,
  columnsQuery: (ref) =>
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE ${relationFilter(ref)} ORDER BY ordinal_position`,
};
