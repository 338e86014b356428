/**
 * The BigQuery (GoogleSQL) dialect: pure string building. Identifiers and literals are in
 * dialect-literal.ts, statements and catalog queries in dialect-statements.ts.
 */
import { numericLiteral, wholeNumber } from '../standard-sql.js';
import type { Dialect } from '../types.js';
import { literal, qualify, quoteIdent, SESSION_SCHEMA } from './dialect-literal.js';
import {
  columnsQuery,
  createTable,
  createTableAs,
  createTempTableAs,
  createView,
  deleteMatching,
  dropRelation,
  except,
  insertSelect,
  merge,
  relationKindQuery,
  renameTable,
  typeNames,
} from './dialect-statements.js';

function sha256(expr: string): string {
  return `TO_HEX(SHA256(${expr}))`;
}

/**
 * MD5 over the values as STRING: a NULL becomes `~`, any value gets a `=` prefix (so NULL and
 * the text '~' differ), joined with CHR(31): the text standard-sql.ts's rowHash hashes, so
 * strings and integers give DuckDB's and Postgres's digests (other types may not: BigQuery casts
 * a TIMESTAMP to STRING with a `+00` zone, for one). Digests are compared within one engine.
 */
function rowHash(exprs: string[]): string {
  if (exprs.length === 0) throw new Error('rowHash needs at least one expression');
  const parts = exprs.map((expr) => `COALESCE('=' || CAST(${expr} AS STRING), '~')`);
  return `TO_HEX(MD5(ARRAY_TO_STRING([${parts.join(', ')}], CHR(31))))`;
}

/** BigQuery's LIKE has no ESCAPE clause: plain substring functions need no escaping at all. */
function textMatches(expr: string, text: string, how: 'contains' | 'starts_with' | 'ends_with'): string {
  const needle = literal(text);
  if (how === 'starts_with') return `STARTS_WITH(${expr}, ${needle})`;
  if (how === 'ends_with') return `ENDS_WITH(${expr}, ${needle})`;
  return `(STRPOS(${expr}, ${needle}) > 0)`;
}

function addDays(expr: string, days: number): string {
  const n = wholeNumber(days, 'addDays days');
  const fn = n < 0 ? 'TIMESTAMP_SUB' : 'TIMESTAMP_ADD';
  return `${fn}(CAST(${expr} AS TIMESTAMP), INTERVAL ${Math.abs(n)} DAY)`;
}

function hashBucket(expr: string, buckets: number): string {
  const n = wholeNumber(buckets, 'hashBucket buckets');
  if (n < 1) throw new Error(`hashBucket needs at least one bucket, got ${n}`);
  // BigQuery casts '0x…' text to INT64 as hex; 8 digits always fit, unsigned.
  return `MOD(CAST(CONCAT('0x', SUBSTR(${sha256(expr)}, 1, 8)) AS INT64), ${n})`;
}

/**
 * split_part: SPLIT gives NULL for a NULL input and SAFE_OFFSET NULL past the end, which becomes
 * '' only when the input was not NULL (LEFT(x, 0) is '' or NULL), like DuckDB's split_part.
 * `expr` appears twice, so it should be deterministic (a column or a pure expression).
 */
function splitPart(expr: string, delimiter: string, index: number): string {
  const i = wholeNumber(index, 'splitPart index');
  if (i < 1) throw new Error(`splitPart index is 1-based, got ${i}`);
  return `COALESCE(SPLIT(${expr}, ${literal(delimiter)})[SAFE_OFFSET(${i - 1})], LEFT(${expr}, 0))`;
}

function stringAgg(expr: string, separator: string, orderBy?: string): string {
  return `STRING_AGG(${expr}, ${literal(separator)}${orderBy ? ` ORDER BY ${orderBy}` : ''})`;
}

/** The BigQuery dialect (GoogleSQL). Pure string building; weft schemas are BigQuery datasets. */
export const bigqueryDialect: Dialect = {
  name: 'bigquery',
  enforcesPrimaryKeys: false,
  quoteIdent,
  qualify,
  literal,
  typeName: (type) => typeNames[type],
  cast: (expr, type) => `CAST(${expr} AS ${typeNames[type]})`,
  sha256,
  // BigQuery's REGEXP_REPLACE replaces every match (RE2); `\1` in the replacement is a group.
  regexpReplaceAll: (expr, pattern, replacement) =>
    `REGEXP_REPLACE(${expr}, ${literal(pattern)}, ${literal(replacement)})`,
  // REGEXP_CONTAINS is a partial match, like DuckDB's regexp_matches.
  regexpMatches: (expr, pattern) => `REGEXP_CONTAINS(${expr}, ${literal(pattern)})`,
  trimChars: (expr, chars) => `TRIM(${expr}, ${literal(chars)})`,
  substring: (expr, start, length) =>
    `SUBSTR(${expr}, ${numericLiteral(String(Math.trunc(start)))}, ${numericLiteral(String(Math.trunc(length)))})`,
  rowHash,
  // A TIMESTAMP is an instant in BigQuery; zone-less TIMESTAMP literals are UTC, so they compare.
  currentTimestamp: () => 'CURRENT_TIMESTAMP()',
  addDays,
  textMatches,
  hashBucket,
  splitPart,
  stringAgg,
  merge,
  fence: () => '',
  createSchema: (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  createTable,
  createTableAs,
  // BigQuery session temp tables: the client runs every statement in one session.
  tempRelation: (name) => ({ schema: SESSION_SCHEMA, name }),
  createTempTableAs,
  createView,
  dropRelation,
  addColumn: (ref, column) =>
    `ALTER TABLE ${qualify(ref)} ADD COLUMN IF NOT EXISTS ${quoteIdent(column.name)} ${typeNames[column.type]}`,
  renameTable,
  insertSelect,
  deleteMatching,
  except,
  relationKindQuery,
  columnsQuery,
};
