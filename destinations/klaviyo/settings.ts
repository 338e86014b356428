/** Klaviyo API connection settings: private key, revision, host and job polling. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type BulkPath, secret } from '../../src/destination-kit/index.js';

/** Profiles per list-relationship request (`POST|DELETE /api/lists/{id}/relationships/profiles`). */
export const KLAVIYO_LIST_BATCH = 1_000;

/** A bulk import job takes at most 10,000 profiles and 5 MB; weft keeps its batches under 4.5 MB of row data. */
export const KLAVIYO_JOB_BATCH = { maxRecords: 10_000, maxBytes: 4_500_000 };

/**
 * Import jobs and list relationships allow a burst of 10/s and 150 per minute (steady) each;
 * weft paces primitive calls at the steady rate (each call creates one job or sends one
 * relationship request; its polls go to the job's own GET endpoints).
 */
export const KLAVIYO_RATE_LIMIT = { requests: 150, perMs: 60_000 };

/** weft.yml `connections.<name>` with `type: klaviyo`. */
export const klaviyoSettings = z.object({
  api_key: secret(
    z.string().min(1).describe('Private API key (pk_…), sent as Authorization: Klaviyo-API-Key'),
  ),
  base_url: z
    .url({ protocol: /^https?$/ })
    .default('https://a.klaviyo.com')
    .describe('API host'),
  revision: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\.pre)?$/, 'a revision is a date, YYYY-MM-DD')
    .default('2024-10-15')
    .describe('API revision sent in the required `revision` header'),
  default_calling_code: z
    .string()
    .regex(/^\d{1,3}$/)
    .default('1')
    .describe('Calling code for phone numbers written without one (phones are sent in E.164)'),
  poll_interval_ms: z.number().int().min(10).default(2_000).describe('Wait between import job status checks'),
  job_timeout_ms: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000)
    .describe('Give up waiting for an import job after this long (its rows are retried)'),
  concurrency: z.number().int().min(1).max(10).default(3),
  timeout_ms: z.number().int().positive().default(30_000),
});

/** Parsed Klaviyo settings. */
export type KlaviyoSettings = z.output<typeof klaviyoSettings>;

/** Rate limits are per Klaviyo account, which the key belongs to: the host plus a digest of the key. */
export function klaviyoAccount(settings: KlaviyoSettings): string {
  const digest = createHash('sha256').update(settings.api_key).digest('hex').slice(0, 12);
  return `${new URL(settings.base_url).origin}#key-${digest}`;
}

/**
 * The bulk path: from 1,000 rows on, upserts and list adds go in import jobs of up to 10,000
 * profiles (two jobs in flight per run) instead of jobs as small as the 1,000-profile batches
 * list removals need.
 */
export const KLAVIYO_BULK: BulkPath = {
  threshold: KLAVIYO_LIST_BATCH,
  batch: KLAVIYO_JOB_BATCH,
  concurrency: 2,
  primitives: ['upsert', 'addMembers'],
};
