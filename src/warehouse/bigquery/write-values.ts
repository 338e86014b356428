import { bigintAsNumber, mismatch, toDate, toInt32, toText, ValueTypeError } from '../js-values.js';
import type { ColumnDef, LogicalType } from '../types.js';

export { ValueTypeError };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A UTC `YYYY-MM-DD`. */
function dateText(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * One JS value as a JSON value of a NEWLINE_DELIMITED_JSON load (the JS values the other
 * engines' loaders accept): INT64 as a decimal string (JSON numbers lose digits past 2^53),
 * non-finite FLOAT64 as BigQuery's 'NaN' / 'Infinity' strings, TIMESTAMP as ISO 8601 UTC,
 * DATE as `YYYY-MM-DD`; a `json` column (STRING) takes JSON text or any value to serialise.
 */
export function toJsonValue(value: unknown, type: LogicalType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return toText(value);
    case 'integer':
      return toInt32(value);
    case 'bigint':
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      break;
    case 'double':
      if (typeof value === 'bigint') return Number(value);
      if (typeof value === 'number') {
        if (Number.isFinite(value)) return value;
        return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
      }
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'timestamp':
      return toDate(value).toISOString();
    case 'date':
      return dateText(toDate(value));
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value, bigintAsNumber);
  }
  throw mismatch(value, type);
}

/** One row as a JSON object line (with its newline), keyed by column name. */
export function jsonLine(row: unknown[], columns: ColumnDef[]): string {
  const record: Record<string, unknown> = {};
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index] as ColumnDef;
    try {
      record[column.name] = toJsonValue(row[index], column.type);
    } catch (error) {
      if (error instanceof ValueTypeError) throw new ColumnValueError(column, error);
      throw error;
    }
  }
  return `${JSON.stringify(record)}\n`;
}

/** A value that does not fit its column, naming the column. */
export class ColumnValueError extends Error {
  constructor(
    readonly column: ColumnDef,
    readonly valueError: ValueTypeError,
  ) {
    super(`column "${column.name}" (${column.type}) ${valueError.message}`);
  }
}
