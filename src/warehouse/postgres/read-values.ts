import pg from 'pg';

/**
 * Result parsers turning Postgres text values into the plain JS values `Warehouse.query`
 * promises: int8 as `number` when safe else `bigint`, numeric as `number` (whole numbers
 * beyond 2^53 as `bigint`), zone-less timestamps and dates read as UTC (pg's default would use
 * the process's local zone), json/jsonb parsed. Passed per pool (`types`), never set globally.
 */
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114 } as const;

function integerValue(text: string): number | bigint {
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
}

function numericValue(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) return integerValue(text);
  return Number(text); // NaN / Infinity spell the same in JS
}

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
