import { stripTrailingSemicolons, timestampText } from '../sql-text.js';
import {
  beyondJsDate,
  deleteMatching,
  dropRelation,
  except,
  insertSelect,
  mergeFallback,
  mergeStatement,
  numericLiteral,
  qualify,
  quoteIdent,
  rowHash,
  tableBody,
  textMatches,
  wholeNumber,
} from '../standard-sql.js';
import type { ColumnDef, Dialect, LogicalType, RelationRef } from '../types.js';
import {
  renameTableKeepingViews,
  replaceTableKeepingViews,
  replaceViewKeepingViews,
  type TableNames,
} from './rebind.js';

// Spelled as Postgres reports them back in `columnsQuery` (see `reportedType` there).
const typeNames: Record<LogicalType, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  // jsonb, not json: json has no equality operator, so EXCEPT / DISTINCT over it would fail.
  json: 'JSONB',
};

/** Postgres text cannot hold U+0000; refuse it where it would otherwise fail far from its origin. */
export function nulError(what: string): Error {
  return new Error(
    `${what} contains a NUL character (U+0000), which Postgres text cannot store; remove it before writing to Postgres`,
  );
}

/**
 * A string literal that means the same whatever `standard_conforming_strings` says: plain
 * `'…'` without backslashes, else an `E'…'` string with backslashes doubled. NUL throws.
 */
function stringLiteral(value: string): string {
  if (value.includes('\0')) throw nulError('A string literal');
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
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
      if (Number.isNaN(value)) return "'NaN'::float8";
      if (!Number.isFinite(value)) return value > 0 ? "'Infinity'::float8" : "'-Infinity'::float8";
      // Beyond 2^53 a JS number is a double: keep it one (a bare 1e+21 would be numeric, read back as bigint).
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return `'${String(value)}'::float8`;
      return numericLiteral(String(value));
  }
  // A zone-less UTC timestamp, like DuckDB's: what `currentTimestamp()` compares with.
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
  // Postgres has no CREATE OR REPLACE TABLE: drop and create, keeping views that read it.
  if (options?.replace) return replaceTable(ref, `CREATE TABLE ${qualify(ref)} (${body})`);
  return `CREATE TABLE IF NOT EXISTS ${qualify(ref)} (${body})`;
}

function tableNames(ref: RelationRef): TableNames {
  return { sql: qualify(ref), key: literal(qualify(ref)) };
}

/** DROP + `create` (the statement making `ref` anew), re-pointing views that read `ref` (rebind.ts). */
function replaceTable(ref: RelationRef, create: string): string {
  const aside = `${ref.name.slice(0, 40)}__weft_rebind`;
  return replaceTableKeepingViews(
    tableNames(ref),
    { name: quoteIdent(aside), sql: qualify({ schema: ref.schema, name: aside }) },
    literal(create),
  );
}

function sha256(expr: string): string {
  return `encode(sha256(convert_to(${expr}, 'UTF8')), 'hex')`;
}

/**
 * Postgres folds nothing in quoted names: match the schema and name exactly. `pg_temp` is an
 * alias of this session's temp schema (pg_temp_N), found with pg_my_temp_schema().
 */
function relationFilter(ref: RelationRef): string {
  const schema =
    ref.schema === 'pg_temp' ? 'n.oid = pg_my_temp_schema()' : `n.nspname = ${literal(ref.schema)}`;
  return `${schema} AND c.relname = ${literal(ref.name)}`;
}

// format_type spellings mapped back to `typeNames`, so `columnsQuery` types compare with `typeName`.
const reportedType = `CASE format_type(a.atttypid, a.atttypmod)
    WHEN 'text' THEN 'TEXT' WHEN 'integer' THEN 'INTEGER' WHEN 'bigint' THEN 'BIGINT'
    WHEN 'double precision' THEN 'DOUBLE PRECISION' WHEN 'boolean' THEN 'BOOLEAN'
    WHEN 'timestamp without time zone' THEN 'TIMESTAMP' WHEN 'date' THEN 'DATE' WHEN 'jsonb' THEN 'JSONB'
    ELSE upper(format_type(a.atttypid, a.atttypmod)) END`;

/** The Postgres dialect (15+). Pure string building; see `warehouse.ts` for the I/O. */
export const postgresDialect: Dialect = {
  name: 'postgres',
  enforcesPrimaryKeys: true,
  quoteIdent,
  qualify,
  literal,
  typeName: (type) => typeNames[type],
  cast: (expr, type) => `CAST(${expr} AS ${typeNames[type]})`,
  sha256,
  // Postgres regular expressions (ARE) agree with RE2 on the constructs weft generates.
  regexpReplaceAll: (expr, pattern, replacement) =>
    `regexp_replace(${expr}, ${literal(pattern)}, ${literal(replacement)}, 'g')`,
  regexpMatches: (expr, pattern) => `(${expr} ~ ${literal(pattern)})`,
  trimChars: (expr, chars) => `btrim(${expr}, ${literal(chars)})`,
  substring: (expr, start, length) => `substr(${expr}, ${Math.trunc(start)}, ${Math.trunc(length)})`,
  rowHash: (exprs) => rowHash(exprs, 'TEXT'),
  beyondJsDate,
  // AT TIME ZONE 'UTC' turns the timestamptz into UTC wall time, whatever the session zone.
  currentTimestamp: () => `(current_timestamp AT TIME ZONE 'UTC')`,
  addDays: (expr, days) => {
    const n = wholeNumber(days, 'addDays days');
    return `(CAST(${expr} AS TIMESTAMP) ${n < 0 ? '-' : '+'} INTERVAL '${Math.abs(n)} days')`;
  },
  textMatches: (expr, text, how) => textMatches(expr, text, how, literal),
  hashBucket: (expr, buckets) => {
    const n = wholeNumber(buckets, 'hashBucket buckets');
    if (n < 1) throw new Error(`hashBucket needs at least one bucket, got ${n}`);
    // bit(32) -> bigint reads the 32 bits unsigned, like DuckDB's CAST('0x…' AS BIGINT).
    return `mod(CAST(CAST('x' || substr(${sha256(expr)}, 1, 8) AS BIT(32)) AS BIGINT), ${n})`;
  },
  splitPart: (expr, delimiter, index) =>
    `split_part(${expr}, ${literal(delimiter)}, ${wholeNumber(index, 'splitPart index')})`,
  stringAgg: (expr, separator, orderBy) =>
    `string_agg(${expr}, ${literal(separator)}${orderBy ? ` ORDER BY ${orderBy}` : ''})`,
  merge: (target, source, keyColumns, columns, options) => [
    mergeStatement(target, source, keyColumns, columns, options),
  ],
  // Postgres inlines subqueries and does not share common subexpressions: the identity
  // normalisation stages read each previous stage several times (52.5 s -> 14.7 s with a fence
  // on the 100k demo's prepare step, bench/RESULTS.md).
  fence: () => ' OFFSET 0',
  createSchema: (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  createTable,
  // ANALYZE right away: a new table has no statistics (and autovacuum may be off or late), so the
  // planner would guess a handful of rows and pick nested loops that go quadratic on real data.
  createTableAs: (ref, select) =>
    `${replaceTable(ref, `CREATE TABLE ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`)};\nANALYZE ${qualify(ref)}`,
  // pg_temp is the session's own temp schema: such tables vanish with the connection.
  tempRelation: (name) => ({ schema: 'pg_temp', name }),
  createTempTableAs: (ref, select) =>
    `DROP TABLE IF EXISTS ${qualify(ref)};\nCREATE TEMP TABLE ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n;\nANALYZE ${qualify(ref)}`,
  createView: (ref, select) => {
    const body = `AS\n${stripTrailingSemicolons(select)}\n`;
    return replaceViewKeepingViews(
      tableNames(ref),
      literal(`CREATE OR REPLACE VIEW ${qualify(ref)} ${body}`),
      literal(`DROP VIEW ${qualify(ref)} CASCADE;\nCREATE VIEW ${qualify(ref)} ${body}`),
    );
  },
  dropRelation,
  addColumn: (ref, column) =>
    `ALTER TABLE ${qualify(ref)} ADD COLUMN IF NOT EXISTS ${quoteIdent(column.name)} ${typeNames[column.type]}`,
  renameTable: (from, toName) =>
    renameTableKeepingViews(
      tableNames(from),
      quoteIdent(toName),
      tableNames({ schema: from.schema, name: toName }),
    ),
  insertSelect,
  deleteMatching,
  except,
  relationKindQuery: (ref) =>
    `SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END AS kind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${relationFilter(ref)}`,
  columnsQuery: (ref) =>
    `SELECT a.attname AS name, ${reportedType} AS type FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped AND ${relationFilter(ref)} ORDER BY a.attnum`,
};

/**
 * The dialect for a server older than 15, which has no MERGE: merges become a DELETE then an
 * INSERT (run them in one transaction). `open` picks it from `server_version_num`.
 */
export const postgres14Dialect: Dialect = {
  ...postgresDialect,
  merge: (target, source, keyColumns, columns, options) =>
    mergeFallback(target, source, keyColumns, columns, options),
};

/** The dialect for a server of `server_version_num` (e.g. 150004). */
export function dialectForServer(versionNum: number): Dialect {
  return versionNum >= 150000 ? postgresDialect : postgres14Dialect;
}
