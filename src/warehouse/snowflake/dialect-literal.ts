/**
 * Snowflake literals and type names for the Snowflake dialect (see dialect.ts). Pure strings.
 */
import { timestampText } from '../sql-text.js';
import { numericLiteral } from '../standard-sql.js';
import type { LogicalType } from '../types.js';

/**
 * Snowflake type names per logical type, spelled as `columnsQuery` reports them back (it maps
 * INFORMATION_SCHEMA's `TEXT` to `VARCHAR` and `NUMBER` to `NUMBER(p,s)`).
 * - integer / bigint: every Snowflake integer type is NUMBER(38,0); the precisions 10 and 19 are
 *   the digits of a 32-bit and a 64-bit integer, so the two stay apart when read back and a
 *   client can tell from the column metadata which values fit a JS number.
 * - json: VARCHAR holding JSON text, like DuckDB's JSON type (text underneath). VARIANT was not
 *   chosen: `CAST(text AS VARIANT)` wraps a string instead of parsing it, VARIANT equality in
 *   EXCEPT / DISTINCT compares parsed values rather than text, and `CAST(variant AS VARCHAR)`
 *   re-serialises, so row hashes would differ from DuckDB's. Models can `PARSE_JSON` the column.
 */
export const typeNames: Record<LogicalType, string> = {
  string: 'VARCHAR',
  integer: 'NUMBER(10,0)',
  bigint: 'NUMBER(19,0)',
  double: 'FLOAT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP_NTZ',
  date: 'DATE',
  json: 'VARCHAR',
};

/** Largest magnitude a Snowflake NUMBER (38 digits) holds. */
const maxNumber = 10n ** 38n - 1n;

/**
 * A Snowflake single-quoted string. Snowflake reads backslash escapes inside `'…'` (`\n`, `\\`,
 * `\'`, octal, hex…), so `\` is doubled and `'` doubled; newlines and tabs stay raw. A NUL is
 * spliced in with CHR(0) rather than escaped: `\0` followed by digits would read as an octal
 * escape, and a concatenation means the same to every tool reading the SQL.
 */
export function stringLiteral(value: string): string {
  const parts = value.split('\0').map((part) => `'${part.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' || CHR(0) || ')})`;
}

function bigintLiteral(value: bigint): string {
  if (value > maxNumber || value < -maxNumber) {
    throw new RangeError(`Cannot write ${value} as a Snowflake NUMBER: it has more than 38 digits`);
  }
  return numericLiteral(value.toString());
}

/**
 * A Snowflake literal for a JS value. Numbers stay plain (`3.25` is an exact NUMBER, `1e+21` a
 * FLOAT); non-finite doubles are FLOAT casts of Snowflake's special strings; a Date is its UTC
 * wall time as TIMESTAMP_NTZ (what `currentTimestamp()` compares with). The string form
 * `YYYY-MM-DD HH:MI:SS.FFF` is read by TIMESTAMP_INPUT_FORMAT's default AUTO.
 */
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
      if (Number.isNaN(value)) return "'NaN'::FLOAT";
      if (!Number.isFinite(value)) return value > 0 ? "'inf'::FLOAT" : "'-inf'::FLOAT";
      return numericLiteral(String(value));
  }
  if (value instanceof Date) return `'${timestampText(value)}'::TIMESTAMP_NTZ`;
  throw new TypeError(`Cannot write a ${Object.prototype.toString.call(value)} as an SQL literal`);
}
