import {
  type DuckDBDataChunk,
  DuckDBDecimalValue,
  type DuckDBResult,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { parseExactJson } from '../exact-json.js';
import { exactScaled } from '../exact-number.js';
import type { Row } from '../types.js';
import { UnreadableValue } from '../unreadable-value.js';

/**
 * Converts DuckDB result values to plain JS, recursing into lists and structs:
 * 64/128-bit integers become `number` when `Number.isSafeInteger`, else stay `bigint`;
 * timestamps and dates become `Date`; decimals a `number` when a double holds them exactly, else
 * a `bigint` (whole) or an `ExactNumber` (see exact-number.ts): never a rounded value.
 */
export const readValueConverter: DuckDBValueConverter<JS> = (value, type) => {
  if (value instanceof DuckDBDecimalValue) return exactScaled(value.value, value.scale) as unknown as JS;
  const converted = JSDuckDBValueConverter(value, type, readValueConverter);
  return typeof converted === 'bigint' ? safeNumber(converted) : converted;
};

function safeNumber(value: bigint): number | bigint {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

type ReadValue = (value: DuckDBValue) => unknown;

// Types whose vector items already are the JS value we want: skip the generic converter (hot path).
const itemIsValue = new Set<DuckDBTypeId>([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.VARCHAR,
]);

// Date and time types whose values can lie outside what a JS Date holds (infinity, year 294246).
const dateTypes = new Set<DuckDBTypeId>([
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

function readerFor(type: DuckDBType): ReadValue {
  if (type.alias === 'JSON') return (value) => (typeof value === 'string' ? parseJson(value) : value);
  if (type.typeId === DuckDBTypeId.DECIMAL)
    return (value) => (value instanceof DuckDBDecimalValue ? exactScaled(value.value, value.scale) : value);
  if (itemIsValue.has(type.typeId)) return (value) => value;
  if (type.typeId === DuckDBTypeId.BIGINT)
    return (value) => (typeof value === 'bigint' ? safeNumber(value) : value);
  if (dateTypes.has(type.typeId)) {
    return (value) => {
      if (value === null) return null;
      try {
        return readValueConverter(value, type, readValueConverter);
      } catch (error) {
        // One value out of a JS Date's range must not fail the whole result: mark it instead.
        const message = (error as Error).message;
        // DuckDB prints its infinite dates as 'infinity'; the value object prints the raw day count.
        const text = / -?2147483647 days$/.test(message)
          ? `${message.includes('-2147483647') ? '-' : ''}infinity`
          : String(value);
        return new UnreadableValue(text, type.toString(), message);
      }
    };
  }
  return (value) => (value === null ? null : readValueConverter(value, type, readValueConverter));
}

/**
 * Builds the chunk-to-rows conversion for one result: `Row` objects keyed by the result's
 * (deduplicated) column names. Top-level JSON columns are parsed, so a value loaded into a
 * `json` column reads back as the same JS value. Column types come from the result, because
 * data chunk vectors drop the JSON alias.
 */
export function rowReader(result: DuckDBResult): (chunk: DuckDBDataChunk) => Row[] {
  const names = result.deduplicatedColumnNames();
  const readers = result.columnTypes().map(readerFor);
  return (chunk) => {
    const rowCount = chunk.rowCount;
    const rows: Row[] = new Array(rowCount);
    for (let rowIndex = 0; rowIndex < rowCount; rowIndex++) rows[rowIndex] = {};
    // Column by column: one vector and one reader per column instead of per value.
    for (let columnIndex = 0; columnIndex < names.length; columnIndex++) {
      const name = names[columnIndex] as string;
      const read = readers[columnIndex] as ReadValue;
      const vector = chunk.getColumnVector(columnIndex);
      for (let rowIndex = 0; rowIndex < rowCount; rowIndex++) {
        (rows[rowIndex] as Row)[name] = read(vector.getItem(rowIndex));
      }
    }
    return rows;
  };
}

function parseJson(text: string): JS {
  try {
    return parseExactJson(text) as JS; // big numbers inside stay exact
  } catch {
    return text; // DuckDB validates JSON on input, so this only guards exotic values.
  }
}
