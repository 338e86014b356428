import {
  type DuckDBResult,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import type { Row } from '../types.js';

/**
 * Converts DuckDB result values to plain JS, recursing into lists and structs:
 * 64/128-bit integers become `number` when `Number.isSafeInteger`, else stay `bigint`;
 * timestamps and dates become `Date`, decimals `number`.
 */
export const readValueConverter: DuckDBValueConverter<JS> = (value, type) => {
  const converted = JSDuckDBValueConverter(value, type, readValueConverter);
  if (typeof converted === 'bigint') {
    const asNumber = Number(converted);
    return Number.isSafeInteger(asNumber) ? asNumber : converted;
  }
  return converted;
};

/**
 * Returns a function turning one converted row (values in column order) into a `Row` object
 * keyed by the result's (deduplicated) column names. Top-level JSON columns are parsed, so a
 * value loaded into a `json` column reads back as the same JS value. (Data chunks drop the
 * JSON alias from their vectors, hence the result's column types are consulted here.)
 */
export function rowBuilder(result: DuckDBResult): (values: readonly (JS | null)[]) => Row {
  const names = result.deduplicatedColumnNames();
  const isJson = result.columnTypes().map((type) => type.alias === 'JSON');
  return (values) => {
    const row: Row = {};
    for (let index = 0; index < names.length; index++) {
      const value = values[index] ?? null;
      row[names[index] as string] = isJson[index] && typeof value === 'string' ? parseJson(value) : value;
    }
    return row;
  };
}

function parseJson(text: string): JS {
  try {
    return JSON.parse(text) as JS;
  } catch {
    return text; // DuckDB validates JSON on input, so this only guards exotic values.
  }
}
