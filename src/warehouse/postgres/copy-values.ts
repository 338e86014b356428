import { timestampText } from '../sql-text.js';
import type { LogicalType } from '../types.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Thrown when a JS value does not fit a column's logical type (or holds a NUL). */
export class ValueTypeError extends Error {}

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
  return escapeCopyText(toText(value, type));
}

function toText(value: unknown, type: LogicalType): string {
  switch (type) {
    case 'string':
      return noNul(asText(value));
    case 'integer':
      return toInteger(value);
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

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  throw mismatch(value, 'string');
}

function toInteger(value: unknown): string {
  const asNumber = typeof value === 'bigint' ? Number(value) : value;
  if (
    typeof asNumber === 'number' &&
    Number.isInteger(asNumber) &&
    asNumber >= INT32_MIN &&
    asNumber <= INT32_MAX
  )
    return String(asNumber);
  throw mismatch(value, 'integer');
}

function toBigInt(value: unknown): string {
  if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw mismatch(value, 'bigint');
}

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseUtc(value) : undefined;
  if (date && !Number.isNaN(date.getTime())) return date;
  throw mismatch(value, 'timestamp or date');
}

/** `2024-01-02 03:04:05` and `2024-01-02T03:04:05` without an offset are read as UTC, not local time. */
function parseUtc(text: string): Date {
  const trimmed = text.trim();
  const hasTime = /\d[T ]\d/.test(trimmed);
  const hasOffset = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(trimmed);
  const normalized = hasTime ? trimmed.replace(' ', 'T') : trimmed;
  return new Date(hasTime && !hasOffset ? `${normalized}Z` : normalized);
}

function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function mismatch(value: unknown, expected: string): ValueTypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value).slice(0, 40);
  const kind = value instanceof Date ? 'Date' : typeof value;
  return new ValueTypeError(`expected ${expected}, got ${shown} (${kind})`);
}
