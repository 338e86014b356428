import type { Column } from 'snowflake-sdk';
import type { Row } from '../types.js';

type Read = (value: unknown) => unknown;

function integerValue(text: string): number | bigint {
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
}

/** Snowflake spells non-finite doubles `inf`, `-inf` and `NaN`. */
function doubleValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

const same: Read = (value) => value;

/**
 * How one column's values become the plain JS values `Warehouse.query` promises. Rows are
 * fetched with NUMBER as text (`fetchAsString: ['Number']`) so no integer loses precision:
 * NUMBER with scale 0 → `number` when safe, else `bigint`; other NUMBER and FLOAT → `number`;
 * TIMESTAMP_* and DATE → a plain `Date` (the SDK's Date subclass carries extra methods);
 * VARIANT/OBJECT/ARRAY arrive parsed; BOOLEAN and TEXT as they are.
 */
function readerFor(column: Column): Read {
  const type = column.getType();
  if (type === 'fixed' && column.getScale() === 0)
    return (value) => (typeof value === 'string' ? integerValue(value) : value);
  if (type === 'fixed' || type === 'real')
    return (value) => (typeof value === 'string' ? doubleValue(value) : value);
  if (type === 'date' || type.startsWith('timestamp'))
    return (value) => (value instanceof Date ? new Date(value.getTime()) : value);
  return same;
}

/** Converts array rows of one result into `Row` objects keyed by column name. */
export function rowReader(columns: Column[]): (values: unknown[]) => Row {
  const names = columns.map((column) => column.getName());
  const readers = columns.map(readerFor);
  return (values) => {
    const row: Row = {};
    for (let index = 0; index < names.length; index++) {
      const value = values[index];
      row[names[index] as string] =
        value === null || value === undefined ? null : (readers[index] as Read)(value);
    }
    return row;
  };
}
