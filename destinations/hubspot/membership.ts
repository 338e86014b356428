/**
 * Membership syncs to a manual list: `PUT /crm/v3/lists/{listId}/memberships/add-and-remove`
 * with record ids. Ids come from the snapshot (destinationId) or a batch read by `match_on`;
 * an added record's id is returned so the snapshot keeps it for its later removal.
 */
import type { DestinationRecord, RecordResult } from '../../src/destination-kit/index.js';
import { DestinationError } from '../../src/destination-kit/index.js';
import { type HubspotContext, idProperty, idValue, noIdReason, objectType } from './api.js';
import { recordIds } from './read.js';

interface MembershipAnswer {
  /** Sic: HubSpot spells it this way. */
  recordsIdsAdded?: string[];
  recordIdsAdded?: string[];
  recordIdsRemoved?: string[];
  recordIdsMissing?: string[];
}

function listId(ctx: HubspotContext): string {
  if (!ctx.list) throw new DestinationError('config', 'HubSpot membership sync: set list to the list id');
  return ctx.list;
}

/** The `addMembers` (add true) and `removeMembers` primitives. */
export async function changeMembers(
  ctx: HubspotContext,
  records: DestinationRecord[],
  add: boolean,
): Promise<RecordResult[]> {
  const list = listId(ctx);
  const ids = await recordIds(ctx, records);
  const known = [...new Set(ids.filter((id): id is string => id !== undefined))];
  let missing = new Set<string>();
  if (known.length > 0) {
    const response = await ctx.http.send({
      method: 'PUT',
      path: `/crm/v3/lists/${encodeURIComponent(list)}/memberships/add-and-remove`,
      json: add
        ? { recordIdsToAdd: known, recordIdsToRemove: [] }
        : { recordIdsToAdd: [], recordIdsToRemove: known },
      timeoutMs: ctx.settings.timeout_ms,
    });
    missing = new Set((response.json<MembershipAnswer>()?.recordIdsMissing ?? []).map(String));
  }
  return records.map((record, index): RecordResult => {
    const id = ids[index];
    // Removing someone HubSpot does not have (any more) leaves the list as wanted.
    if (!add) return id && !missing.has(id) ? { status: 'ok', destinationId: id } : { status: 'ok' };
    if (id === undefined && idValue(ctx, record) === undefined)
      return { status: 'rejected', reason: noIdReason(ctx) };
    if (id === undefined) {
      return {
        status: 'rejected',
        reason: `no ${objectType(ctx)} record with ${idProperty(ctx)}=${idValue(ctx, record)} in HubSpot: sync ${objectType(ctx)} first`,
      };
    }
    if (missing.has(id)) {
      return {
        status: 'rejected',
        reason: `HubSpot has no ${objectType(ctx)} record ${id} (deleted?) to add to list ${list}`,
      };
    }
    return { status: 'ok', destinationId: id };
  });
}
