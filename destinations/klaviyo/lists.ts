/**
 * List membership. Adding goes through an import job with the list relationship (job.ts): it
 * upserts the profile and adds it in one step, by email/phone/external_id. Removing needs
 * Klaviyo profile ids (`DELETE /api/lists/{id}/relationships/profiles`, ≤1,000): the id kept in
 * the snapshot when there is one, else looked up by the sync key (`GET /api/profiles` with
 * `filter=any(<match_on>,[…])`, 100 per request). Import jobs do not say which profile id each
 * row became (only the job's profiles, unmatched to rows, page by page), so adds keep no id and
 * removals look them up. A profile Klaviyo does not have is not on the list: acknowledged.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { IDENTIFIERS, type Identifier, type KlaviyoContext, normalizeIdentifier } from './api.js';
import { importProfiles } from './job.js';

const LOOKUP_PAGE = 100;

function listId(ctx: KlaviyoContext): string {
  if (!ctx.list) throw new DestinationError('config', 'Klaviyo membership sync: set list to the list id');
  return ctx.list;
}

/** The `addMembers` primitive. */
export function addToList(ctx: KlaviyoContext, records: DestinationRecord[]): Promise<RecordResult[]> {
  return importProfiles(ctx, records, listId(ctx));
}

/** The `removeMembers` primitive. */
export async function removeFromList(
  ctx: KlaviyoContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const list = listId(ctx);
  const found = await lookupIds(
    ctx,
    records.filter((r) => !r.destinationId),
  );
  const ids = records.map((r) => r.destinationId ?? found.get(r.key));
  const known = [...new Set(ids.filter((id): id is string => id !== undefined))];
  if (known.length > 0) {
    await ctx.http.send({
      method: 'DELETE',
      path: `api/lists/${encodeURIComponent(list)}/relationships/profiles`,
      json: { data: known.map((id) => ({ type: 'profile', id })) },
      timeoutMs: ctx.settings.timeout_ms,
    });
  }
  return ids.map((id) => (id ? { status: 'ok', destinationId: id } : { status: 'ok' }));
}

/** Sync key → profile id for the records, by the sync's match_on identifier. */
async function lookupIds(ctx: KlaviyoContext, records: DestinationRecord[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (records.length === 0) return found;
  const kind = ctx.matchOn as Identifier;
  if (!IDENTIFIERS.includes(kind)) {
    throw new DestinationError(
      'config',
      `Klaviyo membership: match_on must be one of ${IDENTIFIERS.join(', ')}`,
    );
  }
  const byValue = new Map<string, string[]>();
  for (const record of records) {
    const value = normalizeIdentifier(ctx, kind, record.key);
    if (value !== null) byValue.set(value, [...(byValue.get(value) ?? []), record.key]);
  }
  const values = [...byValue.keys()];
  for (let start = 0; start < values.length; start += LOOKUP_PAGE) {
    const chunk = values.slice(start, start + LOOKUP_PAGE);
    const answer = await ctx.http.json<{
      data?: Array<{ id: string; attributes?: Record<string, unknown> }>;
    }>({
      path: 'api/profiles',
      query: {
        filter: `any(${kind},[${chunk.map((v) => JSON.stringify(v)).join(',')}])`,
        'fields[profile]': kind,
        'page[size]': LOOKUP_PAGE,
      },
      timeoutMs: ctx.settings.timeout_ms,
    });
    for (const profile of answer?.data ?? []) {
      for (const key of byValue.get(String(profile.attributes?.[kind] ?? '')) ?? [])
        found.set(key, profile.id);
    }
  }
  return found;
}
