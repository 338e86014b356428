/**
 * How one source column becomes a warehouse column: its logical type and the conversion of the
 * driver's raw value (exact text, or a Buffer for binary data) into the JS value the warehouse
 * loaders take. Nothing is rounded: DECIMAL/NUMERIC stay their exact text in a `string` column
 * (weft has no decimal type yet), timestamps with sub-millisecond precision too (JS dates hold
 * milliseconds); BIGINT becomes a JS bigint.
 */
import type { ColumnDef } from '../../warehouse/types.js';

/** What a source column is, in the terms conversions need. */
export type ColumnKind =
  | 'integer'
  | 'bigint'
  | 'double'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'timestamp_text'
  | 'json'
  | 'text'
  | 'binary';

/** One source column: its warehouse definition and how to convert its raw values. */
export interface ColumnPlan {
  def: ColumnDef;
  kind: ColumnKind;
  convert: (raw: unknown) => unknown;
}

const LOGICAL: Record<ColumnKind, ColumnDef['type']> = {
  integer: 'integer',
  bigint: 'bigint',
  double: 'double',
  decimal: 'string',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamp_text: 'string',
  json: 'json',
  text: 'string',
  binary: 'string',
};

/** Timestamps whose precision fits a JS Date (milliseconds) load as timestamps, finer ones as exact text. */
export function timestampKind(fractionDigits: number): ColumnKind {
  return fractionDigits <= 3 ? 'timestamp' : 'timestamp_text';
}

/** The plan of a column of `kind`. */
export function planColumn(name: string, kind: ColumnKind): ColumnPlan {
  return { def: { name, type: LOGICAL[kind] }, kind, convert: converter(kind) };
}

function text(raw: unknown): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  return raw instanceof Date ? raw.toISOString() : String(raw); // tedious (SQL Server) gives Dates
}

/** MySQL's zero dates ('0000-00-00') are no date at all: they load as NULL. */
function isZeroDate(value: string): boolean {
  return value.startsWith('0000-00-00');
}

/** The number in `text[from, to)` when it is all digits, else -1. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Zone-less `YYYY-MM-DD[ HH:MM:SS[.f..fff]]` (read as UTC, as the warehouses read such text) as a
 * Date built from its digits, so the warehouses skip parsing text per value (this is the hot
 * path of a load). Anything else (offsets, years before 100) is left to them as text.
 */
function utcDate(text: string): Date | undefined {
  const length = text.length;
  if (length !== 10 && (length < 19 || length > 23 || length === 20)) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined; // '-'
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 100 || month < 1 || day < 1) return undefined;
  if (length === 10) return new Date(Date.UTC(year, month - 1, day));
  const separator = text.charCodeAt(10);
  if ((separator !== 32 && separator !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
    return undefined;
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  let ms = 0;
  if (length > 19) {
    const fraction = digits(text, 20, length);
    if (text.charCodeAt(19) !== 46 || fraction < 0) return undefined; // '.'
    ms = fraction * 10 ** (23 - length);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

function converter(kind: ColumnKind): (raw: unknown) => unknown {
  switch (kind) {
    case 'integer':
    case 'double':
      return (raw) => (raw === null ? null : Number(text(raw)));
    case 'bigint':
      return (raw) => (raw === null ? null : BigInt(text(raw)));
    case 'boolean':
      return (raw) => (raw === null ? null : /^(t|true|1)$/i.test(text(raw)));
    case 'date':
    case 'timestamp':
      return (raw) => {
        if (raw === null) return null;
        const value = text(raw);
        if (isZeroDate(value)) return null;
        // Postgres writes offsets as `+00`; JS dates need `+00:00`.
        return utcDate(value) ?? value.replace(/(:\d\d(?:\.\d+)?[+-]\d\d)$/, '$1:00');
      };
    case 'binary':
      return (raw) => (raw === null ? null : Buffer.isBuffer(raw) ? raw.toString('hex') : text(raw));
    default:
      return (raw) => (raw === null ? null : text(raw));
  }
}
