/**
 * Mailchimp Marketing API (v3): audience members by email. Upsert through batch subscribe (500
 * members, per-member errors rejected), membership as a tag (`list:` is the tag name), mirror
 * deletes by archive or permanent delete, erase by permanent delete. Mailchimp's limit is 10
 * simultaneous connections per user, so concurrency is capped at 10 and the account (a digest of
 * the key) shares them between syncs.
 */
import {
  DestinationError,
  defineDestination,
  mailchimpSubscriberHash,
} from '../../src/destination-kit/index.js';
import { listPath, memberPath } from './api.js';
import { refineMailchimpError } from './errors.js';
import { discoverMailchimpFields, MEMBER_FIELDS } from './fields.js';
import { changeTag } from './membership.js';
import { removeMembers } from './remove.js';
import {
  MAILCHIMP_BATCH,
  MAILCHIMP_MAX_CONNECTIONS,
  mailchimpAccount,
  mailchimpBaseUrl,
  mailchimpHeaders,
  mailchimpLimits,
  mailchimpSettings,
} from './settings.js';
import { upsertMembers } from './upsert.js';

/** The Mailchimp destination. */
export const mailchimp = defineDestination({
  type: 'mailchimp',
  description: 'Mailchimp audience members: batch upsert, tags as membership, archive or permanent delete',
  settings: mailchimpSettings,
  capabilities: {
    modes: ['upsert', 'mirror', 'membership'],
    identifiers: ['email'],
    batch: { maxRecords: MAILCHIMP_BATCH },
    concurrency: MAILCHIMP_MAX_CONNECTIONS,
    fields: MEMBER_FIELDS,
  },
  limits: mailchimpLimits,
  account: mailchimpAccount,
  baseUrl: mailchimpBaseUrl,
  headers: mailchimpHeaders,
  refineError: refineMailchimpError,
  discoverFields: discoverMailchimpFields,
  upsert: upsertMembers,
  remove: removeMembers,
  addMembers: (ctx, records) => changeTag(ctx, records, true),
  removeMembers: (ctx, records) => changeTag(ctx, records, false),
  async deletePerson(ctx, identifier) {
    const hash = mailchimpSubscriberHash(identifier);
    if (hash === null) throw new DestinationError('config', 'Mailchimp erases people by email address');
    const response = await ctx.http.request({
      method: 'POST',
      path: memberPath(ctx, hash, '/actions/delete-permanent'),
      timeoutMs: ctx.settings.timeout_ms,
    });
    if (response.status === 404) return; // not a member: nothing to erase
    const error = ctx.http.classify(response);
    if (error) throw error;
  },
  async testConnection(ctx) {
    await ctx.http.send({ method: 'GET', path: listPath(ctx), query: { fields: 'id,name' } });
  },
});
