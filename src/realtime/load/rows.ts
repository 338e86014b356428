/** Assembled warehouse rows (profile-sql.ts) as ServedProfiles. */
import { jsonValue } from '../../profiles/lookup/json-value.js';
import type { Row } from '../../warehouse/types.js';
import { isoOrNull } from '../live/records.js';
import type { ServedIdentifier, ServedProfile } from '../types.js';
import { ASSEMBLED_COLUMNS, ITEM_SEPARATOR, TYPE_SEPARATOR } from './profile-sql.js';

/** One assembled row as the store holds it: traits as JSON-safe values. */
export function servedProfileOf(row: Row, traits: string[]): ServedProfile {
  // The warehouse aggregates in no particular order: sorted here, so answers are stable.
  const identifiers: ServedIdentifier[] = splitItems(row[ASSEMBLED_COLUMNS.identifiers])
    .sort()
    .map((item) => {
      const at = item.indexOf(TYPE_SEPARATOR);
      return { type: item.slice(0, at), value: item.slice(at + 1) };
    });
  const values: Record<string, unknown> = {};
  for (const name of traits) values[name] = servedValue(row[name]);
  return {
    profileId: String(row.profile_id),
    identifiers,
    traits: values,
    audiences: splitItems(row[ASSEMBLED_COLUMNS.audiences]).sort(),
    firstSeenAt: isoOrNull(row[ASSEMBLED_COLUMNS.firstSeen]),
  };
}

/** A trait value as JSON: counts (BIGINT) as numbers while exact, dates as ISO text. */
function servedValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  return jsonValue(value);
}

function splitItems(value: unknown): string[] {
  return value === null || value === undefined || value === '' ? [] : String(value).split(ITEM_SEPARATOR);
}
