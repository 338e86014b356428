/**
 * Mirror deletes: `batch/archive` by record id. A record HubSpot no longer has is already gone,
 * which is what a delete wants: acknowledged.
 */
import type { DestinationRecord, RecordResult } from '../../src/destination-kit/index.js';
import { type HubspotContext, objectPath } from './api.js';
import { recordIds } from './read.js';

/** The `remove` primitive. */
export async function archiveRecords(
  ctx: HubspotContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const ids = await recordIds(ctx, records);
  const present = [...new Set(ids.filter((id): id is string => id !== undefined))];
  if (present.length > 0) {
    await ctx.http.send({
      method: 'POST',
      path: objectPath(ctx, '/batch/archive'),
      json: { inputs: present.map((id) => ({ id })) },
      timeoutMs: ctx.settings.timeout_ms,
    });
  }
  return records.map(() => ({ status: 'ok' }));
}
