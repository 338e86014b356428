/**
 * Record ids for records: lists and archive take HubSpot record ids, not emails. A record the
 * runner already knows the id of (destinationId, kept in the sync's snapshot) costs nothing; the
 * others are looked up in one `batch/read` by the unique property.
 */
import type { DestinationRecord } from '../../src/destination-kit/index.js';
import { type BatchAnswer, type HubspotContext, idProperty, idValue, objectPath, sameId } from './api.js';

/** Per record: its HubSpot id, or undefined when HubSpot has no record with its id value. */
export async function recordIds(
  ctx: HubspotContext,
  records: DestinationRecord[],
): Promise<Array<string | undefined>> {
  const property = idProperty(ctx);
  const wanted = records
    .filter((r) => !r.destinationId)
    .map((r) => idValue(ctx, r))
    .filter((value): value is string => value !== undefined);
  const found = wanted.length > 0 ? await readIds(ctx, property, [...new Set(wanted)]) : [];
  return records.map((record) => {
    if (record.destinationId) return record.destinationId;
    const value = idValue(ctx, record);
    if (value === undefined) return undefined;
    return found.find((f) => sameId(f.value, value))?.id;
  });
}

async function readIds(
  ctx: HubspotContext,
  property: string,
  values: string[],
): Promise<Array<{ value: string; id: string }>> {
  const response = await ctx.http.send({
    method: 'POST',
    path: objectPath(ctx, '/batch/read'),
    json: { idProperty: property, properties: [property], inputs: values.map((id) => ({ id })) },
    timeoutMs: ctx.settings.timeout_ms,
  });
  // Missing records come back as a 207 OBJECT_NOT_FOUND error: simply not found here.
  const answer = response.json<BatchAnswer>() ?? {};
  return (answer.results ?? []).map((result) => ({
    value: String(result.properties?.[property] ?? ''),
    id: String(result.id),
  }));
}
