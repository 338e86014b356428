/** Braze REST API connection settings: the workspace's REST key and its instance host. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { secret } from '../../src/destination-kit/index.js';

/** `/users/track` takes at most 75 attribute objects per request. */
export const BRAZE_TRACK_BATCH = 75;

/** `/users/delete` takes at most 50 external ids per request. */
export const BRAZE_DELETE_BATCH = 50;

/** `/users/track` allows 3,000 requests per 3 seconds per workspace. */
export const BRAZE_RATE_LIMIT = { requests: 3_000, perMs: 3_000 };

/** weft.yml `connections.<name>` with `type: braze`. */
export const brazeSettings = z.object({
  api_key: secret(
    z.string().min(1).describe('REST API key with users.track and users.delete (sent as Bearer)'),
  ),
  base_url: z
    .url({ protocol: /^https?$/ })
    .describe(
      "The workspace's REST endpoint, per instance: e.g. https://rest.iad-01.braze.com (US-01), https://rest.fra-01.braze.eu (EU-01)",
    ),
  concurrency: z.number().int().min(1).max(32).default(8),
  timeout_ms: z.number().int().positive().default(30_000),
});

/** Parsed Braze settings. */
export type BrazeSettings = z.output<typeof brazeSettings>;

/** Rate limits are per workspace, which the key belongs to: the host plus a digest of the key. */
export function brazeAccount(settings: BrazeSettings): string {
  const digest = createHash('sha256').update(settings.api_key).digest('hex').slice(0, 12);
  return `${new URL(settings.base_url).origin}#key-${digest}`;
}
