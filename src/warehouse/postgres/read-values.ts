import pg from 'pg';
import { parseExactJson } from '../exact-json.js';
import { exactNumber } from '../exact-number.js';

/**
 * Result parsers turning Postgres text values into the plain JS values `Warehouse.query`
 * promises: int8 as `number` when safe else `bigint`, numeric exactly (a `number` when a double
 * holds it, else a `bigint` or an `ExactNumber`: see exact-number.ts), zone-less timestamps and
 * dates read as UTC (pg's default would use the process's local zone), json/jsonb parsed with
 * their big numbers kept exact. Passed per pool (`types`), never set globally.
 */
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, json: 114, jsonb: 3802 } as const;

function integerValue(text: string): number | bigint {
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
}

/** NaN and ±Infinity spell the same in Postgres and JS; every other value stays exact. */
const numericValue = exactNumber;

/** `2024-01-02 03:04:05.678` (no zone) or `±infinity` (the extreme Dates); BC years stay text. */
function utcTimestamp(text: string): Date | string {
  if (text === 'infinity') return new Date(8.64e15);
  if (text === '-infinity') return new Date(-8.64e15);
  if (text.endsWith(' BC')) return text;
  return new Date(`${text.replace(' ', 'T')}Z`);
}

function utcDate(text: string): Date | string {
  if (text === 'infinity' || text === '-infinity' || text.endsWith(' BC')) return utcTimestamp(text);
  return new Date(`${text}T00:00:00Z`);
}

const parsers = new Map<number, (text: string) => unknown>([
  [OID.int8, integerValue],
  [OID.numeric, numericValue],
  [OID.timestamp, utcTimestamp],
  [OID.date, utcDate],
  [OID.json, parseExactJson],
  [OID.jsonb, parseExactJson],
]);

/** The `types` option for pg's Pool/Client. */
export const postgresTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      const parser = parsers.get(oid);
      if (parser) return parser;
    }
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format
    return pg.types.getTypeParser(oid, format as any);
  },
};
