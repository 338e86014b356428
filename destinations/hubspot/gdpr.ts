/**
 * GDPR delete of a contact (`POST /crm/v3/objects/contacts/gdpr-delete`): permanent, unlike
 * archive. An email goes by idProperty email, anything else is taken as a record id. A contact
 * HubSpot does not have is already erased.
 */
import { eraseEach } from '../../src/destination-kit/index.js';
import type { HubspotContext } from './api.js';

/** The `deletePerson` hook. */
export async function gdprDelete(ctx: HubspotContext, identifier: string): Promise<void> {
  const json = identifier.includes('@')
    ? { objectId: identifier, idProperty: 'email' }
    : { objectId: identifier };
  const response = await ctx.http.request({
    method: 'POST',
    path: '/crm/v3/objects/contacts/gdpr-delete',
    json,
    timeoutMs: ctx.settings.timeout_ms,
  });
  if (response.status === 404) return;
  const error = ctx.http.classify(response);
  if (error) throw error;
}

/**
 * The `erase` primitive, one contact per call: by the HubSpot record id the snapshot kept, else by
 * the sync's `match_on` property (email by default).
 */
export const eraseContacts = eraseEach<HubspotContext['settings']>(async (ctx, record) => {
  const json = record.destinationId
    ? { objectId: record.destinationId }
    : { objectId: record.key, idProperty: ctx.matchOn ?? 'email' };
  const response = await ctx.http.request({
    method: 'POST',
    path: `/crm/v3/objects/${ctx.object ?? 'contacts'}/gdpr-delete`,
    json,
    timeoutMs: ctx.settings.timeout_ms,
  });
  if (response.status === 404) return undefined; // HubSpot no longer has them: erased
  const error = ctx.http.classify(response);
  if (error) throw error;
  return undefined;
});
