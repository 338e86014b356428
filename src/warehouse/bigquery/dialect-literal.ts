/**
 * GoogleSQL (BigQuery) identifier quoting and literals. BigQuery strings and quoted identifiers
 * use backslash escapes (not doubling), so the standard-sql.ts helpers do not apply here.
 */

import { timestampText } from '../sql-text.js';
import { numericLiteral } from '../standard-sql.js';
import type { RelationRef } from '../types.js';

/** The qualifier of session temp tables (see `tempRelation`); BigQuery documents it unquoted. */
export const SESSION_SCHEMA = '_SESSION';

// Characters with a short escape; other control characters become \xhh.
const shortEscapes: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Backslash-escapes `quote`, the backslash and every control character (a raw newline cannot
 * appear in a one-line GoogleSQL literal or quoted identifier). NUL becomes `\x00`.
 */
function escapeText(text: string, quote: "'" | '`'): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
  return text.replace(/[\\'`\u0000-\u001f\u007f]/g, (char) => {
    if (char === quote) return `\\${char}`;
    if (char === "'" || char === '`') return char;
    return shortEscapes[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** `` `name` `` with backtick, backslash and control characters backslash-escaped. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('An SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error('An SQL identifier cannot contain a NUL character');
  return `\`${escapeText(name, '`')}\``;
}

/**
 * `` `dataset`.`name` `` (the job's default project applies). Session temp tables are written
 * `_SESSION.`name``: BigQuery's documented, unquoted qualifier (a quoted `` `_SESSION` `` could
 * name a hidden dataset of that name instead).
 */
export function qualify(ref: RelationRef): string {
  const schema = ref.schema === SESSION_SCHEMA ? SESSION_SCHEMA : quoteIdent(ref.schema);
  return `${schema}.${quoteIdent(ref.name)}`;
}

/** A GoogleSQL quoted string: `'…'` with backslash escapes. */
export function stringLiteral(value: string): string {
  return `'${escapeText(value, "'")}'`;
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** INT64 when it fits, else NUMERIC (29 integer digits) or BIGNUMERIC (38); beyond that, refused. */
function bigintLiteral(value: bigint): string {
  if (value >= int64Min && value <= int64Max) return numericLiteral(value.toString());
  const digits = (value < 0n ? -value : value).toString().length;
  if (digits <= 29) return `NUMERIC '${value}'`;
  if (digits <= 38) return `BIGNUMERIC '${value}'`;
  throw new RangeError(`BigQuery cannot hold the integer ${value} (more than 38 digits)`);
}

function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return "CAST('NaN' AS FLOAT64)";
  if (!Number.isFinite(value))
    return value > 0 ? "CAST('Infinity' AS FLOAT64)" : "CAST('-Infinity' AS FLOAT64)";
  // Beyond 2^53 a JS number is a double: keep it one (digits alone would be an INT64 literal, or overflow).
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return numericLiteral(value.toExponential());
  return numericLiteral(String(value));
}

/** A zone-less TIMESTAMP literal, which BigQuery reads as UTC. Years 1-9999 only (BigQuery's range). */
function dateLiteral(value: Date): string {
  const text = timestampText(value);
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`BigQuery timestamps cover years 1-9999, got ${text}`);
  return `TIMESTAMP '${text}'`;
}

/** A GoogleSQL literal for a JS value (see `Dialect.literal`). */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      return bigintLiteral(value);
    case 'number':
      return numberLiteral(value);
  }
  if (value instanceof Date) return dateLiteral(value);
  throw new TypeError(`Cannot write a ${Object.prototype.toString.call(value)} as an SQL literal`);
}
