/** Assembled warehouse rows (profile-sql.ts) as ServedProfiles. */
import { jsonValue } from '../../profiles/lookup/json-value.js';
import type { Row } from '../../warehouse/types.js';
import type { ServedIdentifier, ServedProfile } from '../types.js';
import { ASSEMBLED_COLUMNS, ITEM_SEPARATOR, TYPE_SEPARATOR } from './profile-sql.js';

/** One assembled row as the store holds it: traits as JSON-safe values. */
export function servedProfileOf(row: Row, traits: string[]): ServedProfile {
  const identifiers: ServedIdentifier[] = splitItems(row[ASSEMBLED_COLUMNS.identifiers]).map((item) => {
    const at = item.indexOf(TYPE_SEPARATOR);
    return { type: item.slice(0, at), value: item.slice(at + 1) };
  });
  const values: Record<string, unknown> = {};
  for (const name of traits) values[name] = jsonValue(row[name] ?? null);
  return {
    profileId: String(row.profile_id),
    identifiers,
    traits: values,
    audiences: splitItems(row[ASSEMBLED_COLUMNS.audiences]),
  };
}

function splitItems(value: unknown): string[] {
  return value === null || value === undefined || value === '' ? [] : String(value).split(ITEM_SEPARATOR);
}
