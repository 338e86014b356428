/**
 * Klaviyo profiles: upserts and list adds through bulk import jobs (polled to completion, import
 * errors rejected row by row), list removals by profile id, erasure through a data-privacy
 * deletion job. Every request sends the `revision` header and `Klaviyo-API-Key` auth; 429s carry
 * Retry-After. Klaviyo has no plain profile delete, so there is no mirror mode.
 */
import { defineDestination, eraseEach } from '../../src/destination-kit/index.js';
import { refineKlaviyoError } from './errors.js';
import { importProfiles } from './job.js';
import { addToList, removeFromList } from './lists.js';
import { erasePerson } from './privacy.js';
import {
  KLAVIYO_BULK,
  KLAVIYO_LIST_BATCH,
  KLAVIYO_RATE_LIMIT,
  klaviyoAccount,
  klaviyoSettings,
} from './settings.js';

/** The Klaviyo destination. */
export const klaviyo = defineDestination({
  type: 'klaviyo',
  description: 'Klaviyo profiles by email, phone or external id: bulk import jobs, list membership',
  settings: klaviyoSettings,
  capabilities: {
    modes: ['upsert', 'membership'],
    identifiers: ['email', 'phone_number', 'external_id'],
    batch: { maxRecords: KLAVIYO_LIST_BATCH },
    rateLimit: KLAVIYO_RATE_LIMIT,
    concurrency: 3,
  },
  bulk: KLAVIYO_BULK,
  limits: (settings) => ({ concurrency: settings.concurrency }),
  account: klaviyoAccount,
  baseUrl: (settings) => settings.base_url,
  headers: (settings) => ({
    Authorization: `Klaviyo-API-Key ${settings.api_key}`,
    revision: settings.revision,
    accept: 'application/vnd.api+json',
  }),
  refineError: refineKlaviyoError,
  upsert: (ctx, records) => importProfiles(ctx, records),
  addMembers: addToList,
  removeMembers: removeFromList,
  deletePerson: erasePerson,
  erase: eraseEach((ctx, record) => erasePerson(ctx, record.key).then(() => undefined)),
  erasure: {
    action: 'klaviyo.data_privacy_deletion_job',
    effect:
      'POST /api/data-privacy-deletion-jobs: Klaviyo deletes the profile and its event history asynchronously (the 202 is the acknowledgement)',
    batch: { maxRecords: 1 },
    // The endpoint's own limits: 3/s burst, 60/min steady.
    rateLimit: { requests: 1, perMs: 1_000 },
  },
  async testConnection(ctx) {
    await ctx.http.send({ method: 'GET', path: 'api/accounts', timeoutMs: ctx.settings.timeout_ms });
  },
});
