import { type ExactNumber, exactNumber } from '../exact-number.js';
import type { Row } from '../types.js';

/** A field of a query result's schema, as the API sends it. */
export interface SchemaField {
  name: string;
  type: string;
  mode?: string;
  fields?: SchemaField[];
}

/** One row as the API sends it: `{f: [{v}, …]}`, values as text (or nested rows/arrays). */
export interface WireRow {
  f: { v: unknown }[];
}

function integerValue(text: string): number | bigint {
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
}

/** NUMERIC/BIGNUMERIC exactly: a number when a double holds it, else a bigint or an ExactNumber. */
function numericValue(text: string): number | bigint | ExactNumber | string {
  return exactNumber(text);
}

/** TIMESTAMP as int64 microseconds (formatOptions.useInt64Timestamp) or float seconds. */
function timestampValue(text: string): Date {
  if (/^-?\d+$/.test(text)) return new Date(Number(BigInt(text) / 1000n));
  return new Date(Math.round(Number(text) * 1000));
}

/** DATETIME `2024-01-02T03:04:05.123456` (no zone) read as UTC. */
function datetimeValue(text: string): Date {
  const [date, time = '00:00:00'] = text.split(/[T ]/);
  const [whole = '00:00:00', fraction = ''] = time.split('.');
  return new Date(`${date}T${whole}.${fraction.padEnd(3, '0').slice(0, 3)}Z`);
}

function scalar(type: string, text: string): unknown {
  switch (type) {
    case 'INTEGER':
    case 'INT64':
      return integerValue(text);
    case 'FLOAT':
    case 'FLOAT64':
      return Number(text); // 'NaN', 'Infinity' and '-Infinity' spell the same in JS
    case 'BOOLEAN':
    case 'BOOL':
      return text.toLowerCase() === 'true';
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return numericValue(text);
    case 'TIMESTAMP':
      return timestampValue(text);
    case 'DATETIME':
      return datetimeValue(text);
    case 'DATE':
      return new Date(`${text}T00:00:00Z`);
    case 'BYTES':
      return Buffer.from(text, 'base64');
    default:
      return text; // STRING, JSON (as text), TIME, GEOGRAPHY, INTERVAL
  }
}

function fieldValue(field: SchemaField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.mode === 'REPEATED') {
    const items = Array.isArray(value) ? (value as { v: unknown }[]) : [];
    return items.map((item) => fieldValue({ ...field, mode: 'NULLABLE' }, item.v));
  }
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    return rowValue(field.fields ?? [], value as WireRow);
  }
  return scalar(field.type, String(value));
}

function rowValue(fields: SchemaField[], row: WireRow): Row {
  const result: Row = {};
  fields.forEach((field, index) => {
    result[field.name] = fieldValue(field, row.f[index]?.v);
  });
  return result;
}

/**
 * API rows as plain JS values: INT64 as number when safe else bigint, FLOAT64 number, BOOL
 * boolean, TIMESTAMP and DATETIME Date (DATETIME read as UTC), DATE Date at UTC midnight,
 * NUMERIC number/bigint/ExactNumber (never a rounded value: see exact-number.ts), JSON and STRING text,
 * BYTES Buffer, arrays and structs recursively.
 */
export function readRows(fields: SchemaField[], rows: WireRow[]): Row[] {
  return rows.map((row) => rowValue(fields, row));
}
