/**
 * Erasure: `POST /api/data-privacy-deletion-jobs` for one profile, by email, phone number or
 * (otherwise) Klaviyo profile id. Klaviyo deletes asynchronously; a 202 means it accepted.
 */
import type { KlaviyoContext } from './api.js';
import { normalizeIdentifier } from './api.js';

/** The `deletePerson` hook. */
export async function erasePerson(ctx: KlaviyoContext, identifier: string): Promise<void> {
  const email = identifier.includes('@') ? normalizeIdentifier(ctx, 'email', identifier) : null;
  const phone = identifier.trim().startsWith('+')
    ? normalizeIdentifier(ctx, 'phone_number', identifier)
    : null;
  const profile = email
    ? { type: 'profile', attributes: { email } }
    : phone
      ? { type: 'profile', attributes: { phone_number: phone } }
      : { type: 'profile', id: identifier };
  await ctx.http.send({
    method: 'POST',
    path: 'api/data-privacy-deletion-jobs',
    json: { data: { type: 'data-privacy-deletion-job', attributes: { profile: { data: profile } } } },
    timeoutMs: ctx.settings.timeout_ms,
  });
}
