/** HubSpot connection settings and the account tier's limits. */
import { z } from 'zod';
import { type DestinationLimits, secret } from '../../src/destination-kit/index.js';

/** Account tiers with different API limits (HubSpot's "API usage guidelines"). */
export const HUBSPOT_TIERS = ['free', 'starter', 'professional', 'enterprise', 'capacity_pack'] as const;

/** A tier's limits: requests per rolling 10 s and per day, for the whole account. */
export interface TierLimits {
  perTenSeconds: number;
  daily: number;
}

/** Free/Starter 100 per 10 s and 250k a day; Professional/Enterprise 190 and 650k; the API limit increase (capacity pack) 250 and 1M. */
export const TIER_LIMITS: Record<(typeof HUBSPOT_TIERS)[number], TierLimits> = {
  free: { perTenSeconds: 100, daily: 250_000 },
  starter: { perTenSeconds: 100, daily: 250_000 },
  professional: { perTenSeconds: 190, daily: 650_000 },
  enterprise: { perTenSeconds: 190, daily: 650_000 },
  capacity_pack: { perTenSeconds: 250, daily: 1_000_000 },
};

/** HubSpot allows at most 100 inputs per batch request. */
export const HUBSPOT_BATCH = 100;

/** weft.yml `connections.<name>` with `type: hubspot`. */
export const hubspotSettings = z.object({
  access_token: secret(z.string().min(1).describe('Private app access token (sent as Bearer)')),
  base_url: z
    .url({ protocol: /^https?$/ })
    .default('https://api.hubapi.com')
    .describe('API host'),
  portal_id: z
    .union([z.string().min(1), z.number().int().positive()])
    .optional()
    .describe('HubSpot account (portal) id: connections with the same one share its rate limits'),
  tier: z
    .enum(HUBSPOT_TIERS)
    .default('free')
    .describe(
      'Account tier, for its rate limits (free/starter 100, professional/enterprise 190, capacity_pack 250 per 10 s)',
    ),
  concurrency: z.number().int().min(1).max(16).default(4),
  timeout_ms: z.number().int().positive().default(30_000),
});

/** Parsed HubSpot settings. */
export type HubspotSettings = z.output<typeof hubspotSettings>;

/** The runner's limits for these settings: the tier's rolling window and daily allowance. */
export function hubspotLimits(settings: HubspotSettings): Partial<DestinationLimits> {
  const tier = TIER_LIMITS[settings.tier];
  return {
    rateLimit: { requests: tier.perTenSeconds, perMs: 10_000 },
    dailyQuota: tier.daily,
    concurrency: settings.concurrency,
  };
}

/** The account the settings write to: the host plus the portal id when given (never the token). */
export function hubspotAccount(settings: HubspotSettings): string {
  const origin = new URL(settings.base_url).origin;
  return settings.portal_id === undefined ? origin : `${origin}#portal-${settings.portal_id}`;
}
