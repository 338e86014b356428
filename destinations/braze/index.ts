/**
 * Braze users by external_id: upsert through `/users/track` (75 attribute objects, per-object
 * errors by index rejected), mirror deletes and erasure through `/users/delete`. The workspace
 * allows 3,000 `/users/track` requests per 3 s (declared; the runner paces), and 429s carry
 * `X-RateLimit-Reset`. The instance host (per region) is the `base_url` setting.
 */
import { defineDestination } from '../../src/destination-kit/index.js';
import { deletePerson, deleteUsers } from './delete.js';
import { refineBrazeError } from './errors.js';
import { BRAZE_RATE_LIMIT, BRAZE_TRACK_BATCH, brazeAccount, brazeSettings } from './settings.js';
import { trackAttributes } from './track.js';

/** The Braze destination. */
export const braze = defineDestination({
  type: 'braze',
  description: 'Braze user profiles by external_id: /users/track attributes, /users/delete',
  settings: brazeSettings,
  capabilities: {
    modes: ['upsert', 'mirror'],
    identifiers: ['external_id'],
    batch: { maxRecords: BRAZE_TRACK_BATCH },
    rateLimit: BRAZE_RATE_LIMIT,
    concurrency: 8,
  },
  limits: (settings) => ({ concurrency: settings.concurrency }),
  account: brazeAccount,
  baseUrl: (settings) => settings.base_url,
  headers: (settings) => ({ Authorization: `Bearer ${settings.api_key}` }),
  refineError: refineBrazeError,
  upsert: trackAttributes,
  remove: deleteUsers,
  deletePerson,
  erase: deleteUsers,
  erasure: {
    action: 'braze.users_delete',
    effect:
      'POST /users/delete by external_id (50 per request): Braze permanently deletes the user profiles and their data',
    batch: { maxRecords: 50 },
  },
  async testConnection(ctx) {
    // An empty track call is a cheap authenticated request: 400 "valid data must be provided" means the key works.
    const response = await ctx.http.request({ method: 'POST', path: 'users/track', json: {} });
    if (response.status !== 400) {
      const error = ctx.http.classify(response);
      if (error) throw error;
    }
  },
});
