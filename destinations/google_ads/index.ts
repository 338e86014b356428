/**
 * Google Ads Customer Match: membership syncs add and remove people in a CRM-based user list (the
 * sync's `list`) through offline user data jobs (jobs.ts), with hashed identifiers from the
 * mapped fields (identifiers.ts, match-keys `google_ads` rules) and the connection's consent.
 */
import { defineDestination, type FieldSpec } from '../../src/destination-kit/index.js';
import { refineGoogleAdsError } from './errors.js';
import { GOOGLE_ADS_FIELDS } from './identifiers.js';
import { changeMembers } from './jobs.js';
import { GOOGLE_ADS_BATCH, googleAdsAccount, googleAdsHeaders, googleAdsSettings } from './settings.js';

const fields: Record<string, FieldSpec> = Object.fromEntries(
  GOOGLE_ADS_FIELDS.map((name) => [name, { type: 'string' }]),
);

/** The Google Ads destination. */
export const googleAds = defineDestination({
  type: 'google_ads',
  description: 'Google Ads Customer Match: user list membership through offline user data jobs',
  settings: googleAdsSettings,
  capabilities: {
    modes: ['membership'],
    batch: { maxRecords: GOOGLE_ADS_BATCH },
    // Two jobs on one list at once fail with CONCURRENT_MODIFICATION.
    concurrency: 1,
    fields,
  },
  account: googleAdsAccount,
  baseUrl: (settings) => settings.base_url,
  headers: googleAdsHeaders,
  refineError: refineGoogleAdsError,
  addMembers: (ctx, records) => changeMembers(ctx, records, true),
  removeMembers: (ctx, records) => changeMembers(ctx, records, false),
  erase: (ctx, records) => changeMembers(ctx, records, false),
  erasure: {
    action: 'google_ads.user_list_remove',
    effect:
      'an offline user data job with remove operations of the hashed identifiers kept at add time: the person leaves the Customer Match list',
  },
});
