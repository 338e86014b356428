/** Mailchimp Marketing API connection settings: API key, audience, host and delete mode. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type DestinationLimits, secret } from '../../src/destination-kit/index.js';

/** Mailchimp allows at most 500 members per batch subscribe (`POST /lists/{list_id}`). */
export const MAILCHIMP_BATCH = 500;

/** Each Mailchimp user may hold at most 10 simultaneous connections; past that it answers 429. */
export const MAILCHIMP_MAX_CONNECTIONS = 10;

/** weft.yml `connections.<name>` with `type: mailchimp`. */
export const mailchimpSettings = z
  .object({
    api_key: secret(
      z
        .string()
        .min(1)
        .describe(
          'Marketing API key, e.g. 0123…cdef-us6 (sent as Basic auth; the -us6 suffix names the host)',
        ),
    ),
    list_id: z.string().min(1).describe('Audience (list) id the syncs write to'),
    base_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('API root; default https://<dc>.api.mailchimp.com/3.0 from the key suffix'),
    status_if_new: z
      .enum(['subscribed', 'pending', 'unsubscribed', 'cleaned', 'transactional'])
      .default('subscribed')
      .describe('Status of members the sync creates (existing members keep theirs)'),
    delete_mode: z
      .enum(['archive', 'permanent'])
      .default('archive')
      .describe(
        'Mirror deletes: archive the member (default) or delete it permanently (cannot be re-imported)',
      ),
    concurrency: z
      .number()
      .int()
      .min(1)
      .default(MAILCHIMP_MAX_CONNECTIONS)
      .describe(`Requests in flight; capped at Mailchimp's ${MAILCHIMP_MAX_CONNECTIONS} connections`),
    timeout_ms: z.number().int().positive().default(30_000),
  })
  .refine((s) => s.base_url !== undefined || dataCentre(s.api_key) !== undefined, {
    message: 'api_key has no data centre suffix (like -us6): use the full key or set base_url',
    path: ['api_key'],
  });

/** Parsed Mailchimp settings. */
export type MailchimpSettings = z.output<typeof mailchimpSettings>;

/** The data centre of a key (`…-us6` → `us6`), or undefined when the key has no suffix. */
export function dataCentre(apiKey: string): string | undefined {
  const match = /-([a-z]+\d+)$/i.exec(apiKey.trim());
  return match?.[1]?.toLowerCase();
}

/** The API root: base_url, else the key's data centre host. */
export function mailchimpBaseUrl(settings: MailchimpSettings): string {
  if (settings.base_url) return settings.base_url;
  return `https://${dataCentre(settings.api_key) ?? 'us1'}.api.mailchimp.com/3.0`;
}

/** Basic auth with any user name and the key as password, as Mailchimp documents. */
export function mailchimpHeaders(settings: MailchimpSettings): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`weft:${settings.api_key}`).toString('base64')}` };
}

/**
 * The connection limit is per Mailchimp user, so the account is the host plus a digest of the key
 * (never the key): connections sharing a key share the 10 connections.
 */
export function mailchimpAccount(settings: MailchimpSettings): string {
  const digest = createHash('sha256').update(settings.api_key).digest('hex').slice(0, 12);
  return `${new URL(mailchimpBaseUrl(settings)).origin}#key-${digest}`;
}

/** A higher `concurrency` setting cannot lift the connection cap. */
export function mailchimpLimits(settings: MailchimpSettings): Partial<DestinationLimits> {
  return { concurrency: Math.min(settings.concurrency, MAILCHIMP_MAX_CONNECTIONS) };
}
