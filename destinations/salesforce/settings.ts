/** Salesforce connection settings (weft.yml `connections.<name>` with `type: salesforce`). */
import { z } from 'zod';
import { secret } from '../../src/destination-kit/index.js';

/** The settings schema. */
export const salesforceSettings = z
  .object({
    base_url: z
      .url({ protocol: /^https?$/ })
      .default('https://login.salesforce.com')
      .describe(
        'Login URL (or My Domain URL) for the OAuth token; API calls go to the instance_url of the token',
      ),
    api_version: z
      .string()
      .regex(/^v\d{2,3}\.0$/, "like 'v60.0'")
      .default('v60.0'),
    auth: z
      .enum(['client_credentials', 'refresh_token'])
      .default('client_credentials')
      .describe('OAuth flow: client credentials (a connected app run-as user) or a refresh token'),
    client_id: z.string().min(1).describe('Connected app consumer key'),
    client_secret: secret(z.string().min(1).describe('Connected app consumer secret')),
    refresh_token: secret(z.string().min(1).optional().describe('Refresh token (auth: refresh_token)')),
    object: z.string().min(1).default('Contact').describe('sObject written when a sync sets no `object`'),
    external_id_field: z
      .string()
      .min(1)
      .default('External_Id__c')
      .describe('External id field the sync key upserts by, when a sync sets no `match_on`'),
    bulk_threshold: z
      .number()
      .int()
      .min(1)
      .default(2000)
      .describe('Use Bulk API 2.0 when a run sends at least this many records through one operation'),
    bulk_batch_size: z
      .number()
      .int()
      .min(1)
      .max(150_000)
      .default(10_000)
      .describe('Records per Bulk API job'),
    bulk_poll_ms: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('First wait between job status polls (doubles)'),
    hard_delete: z
      .boolean()
      .default(false)
      .describe(
        'Privacy erasure hard-deletes (Bulk API 2.0 hardDelete: no recycle bin); needs the run-as user\'s "Bulk API Hard Delete" permission, else weft deletes to the recycle bin',
      ),
    bulk_timeout_ms: z
      .number()
      .int()
      .min(1)
      .default(30 * 60_000),
    quota_reserve_pct: z
      .number()
      .min(0)
      .max(50)
      .default(5)
      .describe(
        "Stop the run (partial, rest pending) while Sforce-Limit-Info shows less than this share of the org's daily API calls left",
      ),
    campaign_member_status: z.string().min(1).optional().describe('Status of new CampaignMembers'),
    concurrency: z.number().int().min(1).max(25).default(4),
    rate_limit: z
      .object({ requests: z.number().int().positive(), per_seconds: z.number().positive() })
      .optional()
      .describe(
        'Pace calls to at most `requests` per `per_seconds` (Salesforce has no per-second limit; its daily quota is read from Sforce-Limit-Info)',
      ),
    timeout_ms: z.number().int().positive().default(60_000),
  })
  .refine((s) => s.auth !== 'refresh_token' || s.refresh_token !== undefined, {
    message: "auth 'refresh_token' needs refresh_token",
    path: ['refresh_token'],
  });

/** Parsed settings. */
export type SalesforceSettings = z.output<typeof salesforceSettings>;
