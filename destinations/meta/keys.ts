/**
 * Meta's multi-key rows: which mapped fields become which schema column (EMAIL, PHONE, FN, …),
 * normalized and hashed with the match-keys library's `meta` rules. A batch's schema is the
 * columns any of its rows has; a row leaves the ones it lacks blank, as Meta asks.
 */
import { type MatchKeyKind, matchKey } from '../../src/destination-kit/index.js';

/** Destination field (as mapped in a sync) → Meta schema column and match-key kind. */
export const META_KEYS: ReadonlyArray<{ field: string; column: string; kind: MatchKeyKind }> = [
  { field: 'email', column: 'EMAIL', kind: 'email' },
  { field: 'phone', column: 'PHONE', kind: 'phone' },
  { field: 'first_name', column: 'FN', kind: 'first_name' },
  { field: 'last_name', column: 'LN', kind: 'last_name' },
  { field: 'city', column: 'CT', kind: 'city' },
  { field: 'state', column: 'ST', kind: 'state' },
  { field: 'zip', column: 'ZIP', kind: 'postal_code' },
  { field: 'country', column: 'COUNTRY', kind: 'country' },
  { field: 'gender', column: 'GEN', kind: 'gender' },
  { field: 'birth_date', column: 'DOB', kind: 'birth_date' },
  { field: 'external_id', column: 'EXTERN_ID', kind: 'external_id' },
  { field: 'mobile_ad_id', column: 'MADID', kind: 'mobile_ad_id' },
];

/** Meta schema column → value to send (hashed unless EXTERN_ID/MADID). */
export type MetaKeys = Record<string, string>;

/** The row's keys from mapped fields (empty when nothing normalizes to a usable value). */
export function metaKeys(fields: Record<string, unknown>, defaultCallingCode: string): MetaKeys {
  const keys: MetaKeys = {};
  for (const { field, column, kind } of META_KEYS) {
    const value = matchKey('meta', kind, fields[field], { defaultCallingCode });
    if (value !== null) keys[column] = value;
  }
  return keys;
}

/** The columns any of the rows has, in META_KEYS order. */
export function batchSchema(rows: MetaKeys[]): string[] {
  return META_KEYS.map((k) => k.column).filter((column) => rows.some((row) => row[column] !== undefined));
}

/**
 * Keys kept as the member's destination id (`EMAIL=<sha256>;PHONE=<sha256>`), so a later removal
 * (which gets no fields) sends the same identifiers.
 */
export function encodeKeys(keys: MetaKeys): string {
  return Object.entries(keys)
    .map(([column, value]) => `${column}=${value}`)
    .join(';');
}

/** The keys of a destination id written by encodeKeys (empty for anything else). */
export function decodeKeys(destinationId: string | undefined): MetaKeys {
  const keys: MetaKeys = {};
  const columns = new Set(META_KEYS.map((k) => k.column));
  for (const part of (destinationId ?? '').split(';')) {
    const at = part.indexOf('=');
    const column = part.slice(0, at);
    if (at > 0 && columns.has(column)) keys[column] = part.slice(at + 1);
  }
  return keys;
}
