/**
 * Salesforce: OAuth (client credentials or refresh token; refreshed on INVALID_SESSION_ID),
 * upserts by external id through sObject Collections for small change sets and Bulk API 2.0
 * above `bulk_threshold` (the runner decides per run and sets ctx.bulk), composite deletes,
 * CampaignMember membership, field discovery by describe, and the org's daily API quota read
 * from Sforce-Limit-Info (see usage.ts).
 */
import { defineDestination } from '../../src/destination-kit/index.js';
import { accountOf, dataPath, sfJson } from './api.js';
import { bulkIngest } from './bulk.js';
import { addCampaignMembers, removeCampaignMembers } from './campaign.js';
import { COLLECTION_LIMIT, insertCollection, updateCollection, upsertCollection } from './collections.js';
import { describeFields } from './describe.js';
import { refineError } from './errors.js';
import { hardDeleteRecords } from './hard-delete.js';
import { removeRecords } from './remove.js';
import { salesforceSettings } from './settings.js';

/** Bulk API 2.0 takes up to 100 MB of raw CSV per job; leave room for CSV vs JSON sizes. */
const BULK_MAX_BYTES = 80_000_000;

/** The Salesforce destination. */
export const salesforce = defineDestination({
  type: 'salesforce',
  description: 'Salesforce sObjects by external id (sObject Collections, Bulk API 2.0), CampaignMembers',
  settings: salesforceSettings,
  capabilities: {
    modes: ['upsert', 'update', 'insert', 'mirror', 'membership'],
    batch: { maxRecords: COLLECTION_LIMIT, maxBytes: 5_000_000 },
    concurrency: 4,
  },
  limits: (settings) => ({
    concurrency: settings.concurrency,
    ...(settings.rate_limit && {
      rateLimit: { requests: settings.rate_limit.requests, perMs: settings.rate_limit.per_seconds * 1000 },
    }),
  }),
  bulk: (settings) => ({
    threshold: settings.bulk_threshold,
    batch: { maxRecords: settings.bulk_batch_size, maxBytes: BULK_MAX_BYTES },
    primitives: ['upsert', 'insert'],
  }),
  account: accountOf,
  refineError,
  discoverFields: describeFields,
  upsert: (ctx, records) => (ctx.bulk ? bulkIngest(ctx, 'upsert', records) : upsertCollection(ctx, records)),
  insert: (ctx, records) => (ctx.bulk ? bulkIngest(ctx, 'insert', records) : insertCollection(ctx, records)),
  update: updateCollection,
  remove: removeRecords,
  addMembers: addCampaignMembers,
  removeMembers: removeCampaignMembers,
  // A membership sync put the person in a campaign: erasing removes that CampaignMember; other
  // syncs delete the record itself (200 ids per request).
  // With `hard_delete: true`, records are hard-deleted through Bulk API 2.0 (no recycle bin).
  erase: (ctx, records) =>
    ctx.mode === 'membership'
      ? removeCampaignMembers(ctx, records)
      : ctx.settings.hard_delete
        ? hardDeleteRecords(ctx, records)
        : removeRecords(ctx, records),
  erasure: {
    action: 'salesforce.delete',
    effect:
      'DELETE /composite/sobjects?ids=…: Salesforce moves the records to the recycle bin for 15 days, then purges them; with hard_delete: true a Bulk API 2.0 hardDelete job deletes them for good (its id is the response id) (membership syncs: the CampaignMember is deleted)',
  },
  async testConnection(ctx) {
    await sfJson(ctx, { path: dataPath(ctx, '/limits') });
  },
});
