/** Shared pieces of the Braze connector. */
import type { DestinationContext, DestinationRecord } from '../../src/destination-kit/index.js';
import type { BrazeSettings } from './settings.js';

/** A primitive context with parsed Braze settings. */
export type BrazeContext = DestinationContext<BrazeSettings>;

/**
 * A record's Braze external_id: the mapped `external_id`, else the id acknowledged earlier
 * (removals carry no fields), else the sync key (which is what `match_on: external_id` maps).
 */
export function externalId(record: DestinationRecord): string | undefined {
  const mapped = record.fields.external_id;
  const id =
    mapped !== undefined && mapped !== null && mapped !== ''
      ? String(mapped)
      : (record.destinationId ?? record.key);
  return id.trim() === '' ? undefined : id;
}
