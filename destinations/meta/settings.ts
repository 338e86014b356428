/** Meta (Custom Audiences) connection settings, the batch limit and the account the settings write to. */
import { z } from 'zod';
import { secret } from '../../src/destination-kit/index.js';

/** Meta takes at most 10,000 rows per `/{audience_id}/users` request. */
export const META_BATCH = 10_000;

/** weft.yml `connections.<name>` with `type: meta`. */
export const metaSettings = z.object({
  access_token: secret(z.string().min(1).describe('System-user or user access token (ads_management)')),
  app_secret: secret(
    z.string().min(1).optional().describe('App secret: when set, every call carries appsecret_proof'),
  ),
  ad_account_id: z
    .union([z.string().min(1), z.number().int().positive()])
    .optional()
    .describe('Ad account (act_…) owning the audiences: connections with the same one share its budget'),
  base_url: z
    .url({ protocol: /^https?$/ })
    .default('https://graph.facebook.com')
    .describe('Graph API host'),
  api_version: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v21.0')
    .describe('Graph API version'),
  default_calling_code: z
    .string()
    .regex(/^\d{1,3}$/)
    .default('1')
    .describe('Calling code for phones written without one (1 = US/Canada)'),
  throttle_wait_ms: z
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe('Wait after a throttling error that names no time to regain access'),
  timeout_ms: z.number().int().positive().default(60_000),
});

/** Parsed Meta settings. */
export type MetaSettings = z.output<typeof metaSettings>;

/** The account: the host plus the ad account when given (never the token). */
export function metaAccount(settings: MetaSettings): string {
  const origin = new URL(settings.base_url).origin;
  if (settings.ad_account_id === undefined) return origin;
  return `${origin}#act_${String(settings.ad_account_id).replace(/^act_/, '')}`;
}
