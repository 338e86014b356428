/**
 * HubSpot CRM (v3): contacts, companies and custom objects by `object:`; upsert and update by a
 * unique property (`match_on`), mirror deletes by archive, membership in manual lists, GDPR
 * delete, and field discovery from the object's properties. Limits come from the account tier.
 */
import { defineDestination } from '../../src/destination-kit/index.js';
import { archiveRecords } from './archive.js';
import { refineHubspotError } from './errors.js';
import { discoverHubspotFields } from './fields.js';
import { eraseContacts, gdprDelete } from './gdpr.js';
import { changeMembers } from './membership.js';
import { HUBSPOT_BATCH, hubspotAccount, hubspotLimits, hubspotSettings, TIER_LIMITS } from './settings.js';
import { writeBatch } from './write.js';

/** The HubSpot destination. */
export const hubspot = defineDestination({
  type: 'hubspot',
  description: 'HubSpot CRM: contacts, companies and custom objects; manual list memberships',
  settings: hubspotSettings,
  settingAliases: { token: 'access_token' },
  capabilities: {
    modes: ['upsert', 'update', 'mirror', 'membership'],
    batch: { maxRecords: HUBSPOT_BATCH },
    rateLimit: { requests: TIER_LIMITS.free.perTenSeconds, perMs: 10_000 },
    dailyQuota: TIER_LIMITS.free.daily,
    concurrency: 4,
  },
  limits: hubspotLimits,
  account: hubspotAccount,
  baseUrl: (settings) => settings.base_url,
  headers: (settings) => ({ Authorization: `Bearer ${settings.access_token}` }),
  refineError: refineHubspotError,
  discoverFields: discoverHubspotFields,
  upsert: (ctx, records) => writeBatch(ctx, records, 'upsert'),
  update: (ctx, records) => writeBatch(ctx, records, 'update'),
  remove: archiveRecords,
  addMembers: (ctx, records) => changeMembers(ctx, records, true),
  removeMembers: (ctx, records) => changeMembers(ctx, records, false),
  deletePerson: gdprDelete,
  erase: eraseContacts,
  erasure: {
    action: 'hubspot.gdpr_delete',
    effect:
      'POST /crm/v3/objects/{object}/gdpr-delete: permanent deletion (not the recycle bin of archive); HubSpot also blocklists the email so the contact cannot be re-created by forms or imports',
    batch: { maxRecords: 1 },
  },
  async testConnection(ctx) {
    await discoverHubspotFields(ctx);
  },
});
