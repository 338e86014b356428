/**
 * Helpers for the `erase` primitive (privacy requests) of destinations whose vendor API erases one
 * person per request (HubSpot GDPR delete, Mailchimp permanent delete, Klaviyo deletion jobs).
 */
import type { BatchPrimitive, DestinationContext, DestinationRecord, RecordResult } from './types.js';

/**
 * An `erase` primitive calling `eraseOne` for each record in turn. `eraseOne` returns the vendor's
 * response id when there is one, and throws a DestinationError for the whole batch (declare
 * `erasure.batch: { maxRecords: 1 }` so that a batch is one person and retries are exact).
 */
export function eraseEach<S>(
  eraseOne: (ctx: DestinationContext<S>, record: DestinationRecord) => Promise<string | undefined>,
): BatchPrimitive<S> {
  return async (ctx, records) => {
    const results: RecordResult[] = [];
    for (const record of records) {
      const responseId = await eraseOne(ctx, record);
      results.push(responseId ? { status: 'ok', destinationId: responseId } : { status: 'ok' });
    }
    return results;
  };
}

/** The erase batch limits of a destination: `erasure.batch`, else the sync batch limits. */
export function eraseBatchLimits(
  erasure: { batch?: { maxRecords: number; maxBytes?: number } } | undefined,
  fallback: { maxRecords: number; maxBytes?: number },
): { maxRecords: number; maxBytes?: number } {
  return erasure?.batch ?? fallback;
}
