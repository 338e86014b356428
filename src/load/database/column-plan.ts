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
        // Postgres writes offsets as `+00`; JS dates need `+00:00`.
        return isZeroDate(value) ? null : value.replace(/(:\d\d(?:\.\d+)?[+-]\d\d)$/, '$1:00');
      };
    case 'binary':
      return (raw) => (raw === null ? null : Buffer.isBuffer(raw) ? raw.toString('hex') : text(raw));
    default:
      return (raw) => (raw === null ? null : text(raw));
  }
}
