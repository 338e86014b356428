/**
 * GDPR delete of a contact (`POST /crm/v3/objects/contacts/gdpr-delete`): permanent, unlike
 * archive. An email goes by idProperty email, anything else is taken as a record id. A contact
 * HubSpot does not have is already erased.
 */
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
