/**
 * Mailchimp Marketing API (v3): audience members by email. Upsert through batch subscribe (500
 * members, per-member errors rejected), membership as a tag (`list:` is the tag name), mirror
 * deletes by archive or permanent delete, erase by permanent delete. Mailchimp's limit is 10
 * simultaneous connections per user, so concurrency is capped at 10 and the account (a digest of
 * the key) shares them between syncs.
 */
import { defineDestination, eraseEach } from '../../src/destination-kit/index.js';
import { listPath } from './api.js';
import { deletePermanently } from './erase.js';
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
  deletePerson: (ctx, identifier) => deletePermanently(ctx, identifier, 'config'),
  erase: eraseEach((ctx, record) => deletePermanently(ctx, record.key, 'record').then(() => undefined)),
  erasure: {
    action: 'mailchimp.delete_permanent',
    effect:
      'POST /lists/{list_id}/members/{hash}/actions/delete-permanent: the member and its history are gone for good, and the address cannot be re-imported to the list',
    batch: { maxRecords: 1 },
  },
  async testConnection(ctx) {
    await ctx.http.send({ method: 'GET', path: listPath(ctx), query: { fields: 'id,name' } });
  },
});
