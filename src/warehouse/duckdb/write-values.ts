import { type DuckDBValue, dateValue, timestampValue } from '@duckdb/node-api';
import { bigintAsNumber, mismatch, toDate, toInt32, toText, ValueTypeError } from '../js-values.js';
import type { LogicalType } from '../types.js';

export { ValueTypeError };

const MS_PER_DAY = 86_400_000;

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
      return toInt32(value);
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

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw mismatch(value, 'bigint');
}
