import { bigintAsNumber, mismatch, toDate, toInt32, toText, ValueTypeError } from '../js-values.js';
import { timestampText } from '../sql-text.js';
import type { LogicalType } from '../types.js';

export { ValueTypeError };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * One JS value as a field of the CSV files weft stages for COPY INTO (the same JS values the
 * other engines' loaders accept, see duckdb/write-values.ts). `null`/`undefined` is an empty
 * unquoted field (NULL under EMPTY_FIELD_AS_NULL); every text value is double-quoted (so an
 * empty string stays an empty string, and commas, quotes and newlines survive). Timestamps are
 * UTC `YYYY-MM-DD HH:MM:SS.mmm`; a string for a `json` column is JSON text, anything else is
 * serialised with `JSON.stringify`.
 */
export function toCsvField(value: unknown, type: LogicalType): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'string':
      return quote(toText(value));
    case 'integer':
      return String(toInt32(value));
    case 'bigint':
      return toBigInt(value);
    case 'double':
      if (typeof value === 'number') return doubleText(value);
      if (typeof value === 'bigint') return doubleText(Number(value));
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      break;
    case 'timestamp':
      return timestampText(toDate(value));
    case 'date':
      return timestampText(toDate(value)).split(' ')[0] as string;
    case 'json':
      return quote(typeof value === 'string' ? value : JSON.stringify(value, bigintAsNumber));
  }
  throw mismatch(value, type);
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Snowflake reads `inf`, `-inf` and `NaN` as the non-finite FLOAT values. */
function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

function toBigInt(value: unknown): string {
  if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw mismatch(value, 'bigint');
}
