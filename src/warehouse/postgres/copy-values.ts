import { bigintAsNumber, mismatch, toDate, toInt32, toText, ValueTypeError } from '../js-values.js';
import { timestampText } from '../sql-text.js';
import type { LogicalType } from '../types.js';

export { ValueTypeError };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** NULL in COPY's text format. */
export const COPY_NULL = '\\N';

/**
 * One JS value as a field of COPY's text format for a column of `type` (the same JS values
 * DuckDB's appender accepts, see duckdb/write-values.ts): `null`/`undefined` are `\N`; strings
 * are accepted for timestamps and dates (ISO text, UTC when no offset is given); a string for a
 * `json` column is JSON text, anything else is serialised with `JSON.stringify`.
 */
export function toCopyField(value: unknown, type: LogicalType): string {
  if (value === null || value === undefined) return COPY_NULL;
  return escapeCopyText(fieldText(value, type));
}

function fieldText(value: unknown, type: LogicalType): string {
  switch (type) {
    case 'string':
      return noNul(toText(value));
    case 'integer':
      return String(toInt32(value));
    case 'bigint':
      return toBigInt(value);
    case 'double':
      if (typeof value === 'number')
        return Number.isFinite(value) || Number.isNaN(value)
          ? String(value)
          : value > 0
            ? 'Infinity'
            : '-Infinity';
      if (typeof value === 'bigint') return String(Number(value));
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value ? 't' : 'f';
      break;
    case 'timestamp':
      return timestampText(toDate(value));
    case 'date':
      return timestampText(toDate(value)).split(' ')[0] as string;
    case 'json':
      return noJsonNul(typeof value === 'string' ? value : JSON.stringify(value, bigintAsNumber));
  }
  throw mismatch(value, type);
}

/** COPY text format: backslash, tab, newline and carriage return are backslash-escaped. */
function escapeCopyText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (char) =>
    char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r',
  );
}

const NUL_MESSAGE = 'contains a NUL character (U+0000), which Postgres text cannot store';

function noNul(text: string): string {
  if (text.includes('\0')) throw new ValueTypeError(NUL_MESSAGE);
  return text;
}

/** jsonb refuses the escape `\u0000` as well as a raw NUL. */
function noJsonNul(text: string): string {
  if (text.includes('\0') || text.includes('\\u0000')) throw new ValueTypeError(NUL_MESSAGE);
  return text;
}

function toBigInt(value: unknown): string {
  if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw mismatch(value, 'bigint');
}
