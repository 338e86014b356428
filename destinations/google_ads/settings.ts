/** Google Ads (Customer Match) connection settings and the account the settings write to. */
import { z } from 'zod';
import { secret } from '../../src/destination-kit/index.js';

/** Members per batch: one offline user data job per batch (see jobs.ts). */
export const GOOGLE_ADS_BATCH = 10_000;

const consent = z.enum(['GRANTED', 'DENIED', 'UNSPECIFIED']);
const customerId = z
  .union([z.string(), z.number().int().positive()])
  .transform((value) => String(value).replace(/-/g, ''))
  .pipe(z.string().regex(/^\d{10}$/, 'a 10-digit Google Ads customer id (dashes allowed)'));

/** weft.yml `connections.<name>` with `type: google_ads`. */
export const googleAdsSettings = z.object({
  access_token: secret(z.string().min(1).describe('OAuth 2.0 access token (sent as Bearer)')),
  developer_token: secret(z.string().min(1).describe('Google Ads API developer token')),
  customer_id: customerId.describe('The Google Ads account owning the user lists'),
  login_customer_id: customerId
    .optional()
    .describe('Manager account the access goes through (login-customer-id)'),
  ad_user_data: consent
    .default('UNSPECIFIED')
    .describe('Consent for sending user data to Google for advertising (EEA: must be GRANTED)'),
  ad_personalization: consent.default('UNSPECIFIED').describe('Consent for ad personalization'),
  base_url: z
    .url({ protocol: /^https?$/ })
    .default('https://googleads.googleapis.com')
    .describe('API host'),
  api_version: z
    .string()
    .regex(/^v\d+$/)
    .default('v19'),
  default_calling_code: z
    .string()
    .regex(/^\d{1,3}$/)
    .default('1')
    .describe('Calling code for phones written without one (1 = US/Canada)'),
  identifiers_per_request: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(10_000)
    .describe('Most user identifiers per addOperations request (Google recommends 10,000; allows 100,000)'),
  poll_interval_ms: z.number().int().positive().default(5_000).describe('Wait between job status reads'),
  job_timeout_ms: z
    .number()
    .int()
    .positive()
    .default(30 * 60_000)
    .describe('How long to wait for a job to finish before its members are retried'),
  timeout_ms: z.number().int().positive().default(60_000),
});

/** Parsed Google Ads settings. */
export type GoogleAdsSettings = z.output<typeof googleAdsSettings>;

/** The account: the host plus the customer id (never a token). */
export function googleAdsAccount(settings: GoogleAdsSettings): string {
  return `${new URL(settings.base_url).origin}#customers/${settings.customer_id}`;
}

/** Request headers: the OAuth token, the developer token, and the manager account when given. */
export function googleAdsHeaders(settings: GoogleAdsSettings): Record<string, string> {
  return {
    Authorization: `Bearer ${settings.access_token}`,
    'developer-token': settings.developer_token,
    ...(settings.login_customer_id !== undefined && { 'login-customer-id': settings.login_customer_id }),
  };
}
