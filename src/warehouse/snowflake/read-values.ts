import type { Column } from 'snowflake-sdk';
import { exactNumber } from '../exact-number.js';
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
 * NUMBER with scale 0 → `number` when safe, else `bigint`; other NUMBER exactly (a `number` when a
 * double holds it, else an `ExactNumber`: see exact-number.ts); FLOAT → `number`;
 * TIMESTAMP_* and DATE → a plain `Date` (the SDK's Date subclass carries extra methods);
 * VARIANT/OBJECT/ARRAY arrive parsed; BOOLEAN and TEXT as they are.
 */
function readerFor(column: Column): Read {
  const type = column.getType();
  if (type === 'fixed' && column.getScale() === 0)
    return (value) => (typeof value === 'string' ? integerValue(value) : value);
  if (type === 'fixed') return (value) => (typeof value === 'string' ? exactNumber(value) : value);
  if (type === 'real') return (value) => (typeof value === 'string' ? doubleValue(value) : value);
  if (type === 'date' || type.startsWith('timestamp'))
    return (value) => (value instanceof Date ? new Date(value.getTime()) : value);
  return same;
}

/**
 * A result column's key in `Row`: Snowflake upper-cases unquoted identifiers (`count(*) AS n`
 * comes back as `N`) where Postgres folds them to lower case and DuckDB keeps them as written,
 * and weft's code reads them lower-case. So a name without any lower-case letter is folded to
 * lower case; a name with one (always quoted: weft's own `"profile_id"`, a user's `"Email"`)
 * is kept as it is. A quoted all-upper-case alias (`AS "ID"`) is folded too: quote aliases in
 * lower case.
 */
export function resultKey(name: string): string {
  return /[a-z]/.test(name) ? name : name.toLowerCase();
}

/** Converts array rows of one result into `Row` objects keyed by column name (see `resultKey`). */
export function rowReader(columns: Column[]): (values: unknown[]) => Row {
  const names = columns.map((column) => resultKey(column.getName()));
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
