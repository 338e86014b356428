import pg from 'pg';
import { parseExactJson } from '../exact-json.js';
import { exactNumber } from '../exact-number.js';
import { UnreadableValue } from '../unreadable-value.js';

/**
 * Result parsers turning Postgres text values into the plain JS values `Warehouse.query`
 * promises: int8 as `number` when safe else `bigint`, numeric exactly (a `number` when a double
 * holds it, else a `bigint` or an `ExactNumber`: see exact-number.ts), zone-less timestamps and
 * dates read as UTC (pg's default would use the process's local zone), `infinity` and years a
 * JS Date cannot hold as an UnreadableValue (the row holding it is rejected, not the run), json/jsonb parsed with
 * their big numbers kept exact. Passed per pool (`types`), never set globally.
 */
const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  json: 114,
  jsonb: 3802,
} as const;

function integerValue(text: string): number | bigint {
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
}

/** NaN and ±Infinity spell the same in Postgres and JS; every other value stays exact. */
const numericValue = exactNumber;

const BEYOND_DATE = 'beyond what a JavaScript Date holds (years -271821 to 275760)';

/**
 * A value JavaScript cannot hold (`infinity`, a year past 275760) as an UnreadableValue, so one
 * such value rejects its own row instead of failing the whole result or changing silently.
 */
function unreadable(text: string, type: string): UnreadableValue {
  const infinite = /^-?infinity$/.test(text);
  return new UnreadableValue(text, type, infinite ? `${type} '${text}' is not a point in time` : BEYOND_DATE);
}

/** Years past 9999 in the ISO form JS parses (`+020000-01-01`); Postgres prints them bare. */
function expandedYear(text: string): string {
  return text.replace(/^(\d{5,6})-/, (_, year: string) => `+${year.padStart(6, '0')}-`);
}

/** `2024-01-02 03:04:05.678` (no zone), read as UTC; BC years stay text. */
function utcTimestamp(text: string): Date | string | UnreadableValue {
  if (text.endsWith(' BC')) return text;
  const date = new Date(`${expandedYear(text).replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? unreadable(text, 'TIMESTAMP') : date;
}

function utcDate(text: string): Date | string | UnreadableValue {
  if (text.endsWith(' BC')) return text;
  const date = new Date(`${expandedYear(text)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? unreadable(text, 'DATE') : date;
}

const defaultTimestamptz = pg.types.getTypeParser(OID.timestamptz, 'text') as (text: string) => unknown;

/** pg's own timestamptz parsing, but `infinity` and out-of-range years become UnreadableValues. */
function zonedTimestamp(text: string): unknown {
  if (/^-?infinity$/.test(text)) return unreadable(text, 'TIMESTAMPTZ');
  const parsed = defaultTimestamptz(text);
  return parsed instanceof Date && Number.isNaN(parsed.getTime()) ? unreadable(text, 'TIMESTAMPTZ') : parsed;
}

const parsers = new Map<number, (text: string) => unknown>([
  [OID.int8, integerValue],
  [OID.numeric, numericValue],
  [OID.timestamp, utcTimestamp],
  [OID.date, utcDate],
  [OID.timestamptz, zonedTimestamp],
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
