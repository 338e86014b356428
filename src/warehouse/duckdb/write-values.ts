import { type DuckDBValue, dateValue, timestampValue } from '@duckdb/node-api';
import type { LogicalType } from '../types.js';

const MS_PER_DAY = 86_400_000;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Thrown by `toDuckDBValue` when a JS value does not fit a column's logical type. */
export class ValueTypeError extends Error {}

/**
 * Converts one JS value into the DuckDB value the appender expects for a column of `type`.
 * `null`/`undefined` become NULL. Strings are accepted for timestamps and dates (ISO text,
 * read as UTC when no offset is given); a string for a `json` column is taken as JSON text,
 * any other value is serialised with `JSON.stringify`.
 */
export function toDuckDBValue(value: unknown, type: LogicalType): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return toText(value);
    case 'integer':
      return toInteger(value);
    case 'bigint':
      return toBigInt(value);
    case 'double':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'timestamp':
      return timestampValue(BigInt(toDate(value).getTime()) * 1000n);
    case 'date':
      return dateValue(Math.floor(toDate(value).getTime() / MS_PER_DAY));
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value, bigintAsNumber);
  }
  throw mismatch(value, type);
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  throw mismatch(value, 'string');
}

function toInteger(value: unknown): number {
  const asNumber = typeof value === 'bigint' ? Number(value) : value;
  if (
    typeof asNumber === 'number' &&
    Number.isInteger(asNumber) &&
    asNumber >= INT32_MIN &&
    asNumber <= INT32_MAX
  ) {
    return asNumber;
  }
  throw mismatch(value, 'integer');
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
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
