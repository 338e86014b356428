/**
 * The Snowflake dialect: pure SQL-string building (the client in this folder does the I/O).
 *
 * Identifiers are always double-quoted, so weft's lowercase names stay lowercase and
 * case-sensitive in Snowflake. Unquoted names in user SQL resolve upper-case: a model must write
 * `"orders"` (or weft's quoted name) to reach a relation weft created as `orders`.
 */
import { stripTrailingSemicolons } from '../sql-text.js';
import {
  deleteMatching,
  dropRelation,
  except,
  insertSelect,
  mergeStatement,
  numericLiteral,
  qualify,
  quoteIdent,
  rowHash,
  tableBody,
  textMatches,
  wholeNumber,
} from '../standard-sql.js';
import type { ColumnDef, Dialect, RelationRef } from '../types.js';
import { columnsQuery, relationKindQuery } from './dialect-catalog.js';
import { literal, typeNames } from './dialect-literal.js';

/** The schema holding session-scoped scratch tables; the client creates it when it connects. */
export const sessionSchema = 'weft_session';

function createTable(
  ref: RelationRef,
  columns: ColumnDef[],
  options?: { replace?: boolean; primaryKey?: string[] },
): string {
  const body = tableBody(
    ref,
    columns.map((column) => ({ name: column.name, type: typeNames[column.type] })),
    options?.primaryKey, // Snowflake records but does not enforce it
  );
  // A permanent table (state lives here): Time Travel and Fail-safe protect it.
  const head = options?.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE IF NOT EXISTS';
  return `${head} ${qualify(ref)} (${body})`;
}

function sha256(expr: string): string {
  return `SHA2(${expr}, 256)`;
}

/** The Snowflake dialect. Pure string building. */
export const snowflakeDialect: Dialect = {
  name: 'snowflake',
  enforcesPrimaryKeys: false,
  quoteIdent,
  qualify,
  literal,
  typeName: (type) => typeNames[type],
  cast: (expr, type) => `CAST(${expr} AS ${typeNames[type]})`,
  sha256,
  // Snowflake's POSIX-style regular expressions agree with RE2 on the constructs weft generates;
  // REGEXP_REPLACE replaces every occurrence by default.
  regexpReplaceAll: (expr, pattern, replacement) =>
    `REGEXP_REPLACE(${expr}, ${literal(pattern)}, ${literal(replacement)})`,
  // Not RLIKE / REGEXP_LIKE: those match the whole string (implicitly anchored).
  regexpMatches: (expr, pattern) => `(REGEXP_INSTR(${expr}, ${literal(pattern)}) > 0)`,
  trimChars: (expr, chars) => `TRIM(${expr}, ${literal(chars)})`,
  substring: (expr, start, length) => `SUBSTR(${expr}, ${Math.trunc(start)}, ${Math.trunc(length)})`,
  rowHash: (exprs) => rowHash(exprs, 'VARCHAR'),
  // SYSDATE() is the current instant as a TIMESTAMP_NTZ in UTC, whatever the session's TIMEZONE
  // (CURRENT_TIMESTAMP() is a TIMESTAMP_LTZ in the session zone).
  currentTimestamp: () => 'SYSDATE()',
  addDays: (expr, days) =>
    `DATEADD(day, ${numericLiteral(String(wholeNumber(days, 'addDays days')))}, CAST(${expr} AS TIMESTAMP_NTZ))`,
  // LIKE … ESCAPE '\\' (the literal doubles the backslash), as on the other engines.
  textMatches: (expr, text, how) => textMatches(expr, text, how, literal),
  hashBucket: (expr, buckets) => {
    const n = wholeNumber(buckets, 'hashBucket buckets');
    if (n < 1) throw new Error(`hashBucket needs at least one bucket, got ${n}`);
    // The format 'XXXXXXXX' reads 8 hex digits as an unsigned number, like DuckDB's
    // CAST('0x…' AS BIGINT); UPPER because SHA2 writes lowercase and the format's X is uppercase.
    return `MOD(TO_NUMBER(UPPER(SUBSTR(${sha256(expr)}, 1, 8)), 'XXXXXXXX'), ${n})`;
  },
  // SPLIT_PART gives '' past the last field, like DuckDB's and Postgres's.
  splitPart: (expr, delimiter, index) =>
    `SPLIT_PART(${expr}, ${literal(delimiter)}, ${wholeNumber(index, 'splitPart index')})`,
  // LISTAGG gives '' (not NULL) when there is no non-NULL value: the CASE restores NULL.
  stringAgg: (expr, separator, orderBy) =>
    `CASE WHEN COUNT(${expr}) > 0 THEN LISTAGG(${expr}, ${literal(separator)})${orderBy ? ` WITHIN GROUP (ORDER BY ${orderBy})` : ''} END`,
  merge: (target, source, keyColumns, columns, options) => [
    mergeStatement(target, source, keyColumns, columns, options),
  ],
  fence: () => '',
  createSchema: (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  createTable,
  // Built outputs are rebuildable from their sources: TRANSIENT skips the 7-day Fail-safe copy
  // of every replaced version (storage paid for nothing).
  createTableAs: (ref, select) =>
    `CREATE OR REPLACE TRANSIENT TABLE ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`,
  tempRelation: (name) => ({ schema: sessionSchema, name }),
  // A TEMPORARY table lives until the session ends, whichever schema holds it.
  createTempTableAs: (ref, select) =>
    `CREATE OR REPLACE TEMPORARY TABLE ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`,
  createView: (ref, select) =>
    `CREATE OR REPLACE VIEW ${qualify(ref)} AS\n${stripTrailingSemicolons(select)}\n`,
  dropRelation,
  addColumn: (ref, column) =>
    `ALTER TABLE ${qualify(ref)} ADD COLUMN IF NOT EXISTS ${quoteIdent(column.name)} ${typeNames[column.type]}`,
  // Qualified target: an unqualified new name would move the table to the session's current schema.
  renameTable: (from, toName) =>
    `ALTER TABLE ${qualify(from)} RENAME TO ${qualify({ schema: from.schema, name: toName })}`,
  insertSelect,
  deleteMatching,
  // EXCEPT (MINUS) removes duplicates in Snowflake, as the contract wants.
  except,
  relationKindQuery,
  columnsQuery,
};
