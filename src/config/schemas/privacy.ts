/** weft.yml `privacy:`: legal deadlines of privacy requests, consent purposes, the inbound API, the schedule. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';

/** Regulations a request can be filed under; each has a deadline in days. */
export const PRIVACY_REGULATIONS = ['gdpr', 'ccpa'] as const;

/** One purpose's consent signals (any mix; an explicit refusal in any of them holds the person back). */
const consentSignalsSchema = strictObject({
  trait: identifier.optional().describe('A `profiles` trait granting the purpose'),
  events: text
    .optional()
    .describe(
      "A category of collected events' context.consent.categoryPreferences (Segment's consent shape), e.g. Advertising: the person's latest event carrying it decides",
    ),
  user_id_type: identifier
    .default('user_id')
    .describe("identity.yml's id type of events' user_id (to find the person of an event)"),
  anonymous_id_type: identifier
    .default('anonymous_id')
    .describe("identity.yml's id type of events' anonymous_id"),
  source: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, "must be 'source.table'")
    .optional()
    .describe(
      'A source table of identity.yml holding a consent column (its rows are linked to people by identity_rows)',
    ),
  column: identifier.optional().describe('The consent column of `source`'),
})
  .refine((s) => s.trait !== undefined || s.events !== undefined || s.source !== undefined, {
    message: 'a consent purpose needs a trait, events or source',
  })
  .refine((s) => (s.source === undefined) === (s.column === undefined), {
    message: 'source and column go together',
  });

/** One purpose's consent signals, validated. */
export type ConsentSignalsConfig = z.output<typeof consentSignalsSchema>;

/** `privacy.api`: the OpenDSR endpoint of `weft serve` (docs/privacy.md). */
const apiSchema = strictObject({
  callback_secret: z
    .string()
    .min(1)
    .optional()
    .describe(
      'HMAC-SHA256 key signing status callbacks and answers (X-OpenDSR-Signature header); a secret: use {{env}}',
    ),
  controller_id: text
    .optional()
    .describe("The `controller_id` answered to requests (default: the project's name)"),
  identity_types: z
    .record(text, identifier)
    .default({})
    .describe(
      'OpenDSR identity_type → an id type of identity.yml, e.g. { controller_customer_id: user_id } (an identity_type named like an id type needs no entry)',
    ),
  run_interval_seconds: z
    .number()
    .int()
    .min(0)
    .default(60)
    .describe(
      'weft serve works pending privacy steps this often, and right after each request (0: never; leave it to `weft privacy run` or privacy.schedule)',
    ),
  export_retention_days: z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Days an access/portability export stays in target/privacy/exports before it is deleted'),
});

/** A validated `privacy.api` block. */
export type PrivacyApiConfig = z.output<typeof apiSchema>;

/** The `privacy:` block. */
export const privacySchema = strictObject({
  regulation: z
    .enum(PRIVACY_REGULATIONS)
    .default('gdpr')
    .describe(
      'The regulation a request falls under unless `weft privacy delete --regulation` says otherwise',
    ),
  deadlines: strictObject({
    gdpr: z.number().int().min(1).default(30).describe('Days to answer a GDPR request (one month: 30)'),
    ccpa: z.number().int().min(1).default(45).describe('Days to answer a CCPA request (45)'),
  })
    .default({ gdpr: 30, ccpa: 45 })
    .describe('Days from receipt to the legal deadline, per regulation'),
  consent: z
    .record(identifier, z.union([text, consentSignalsSchema]))
    .optional()
    .describe(
      "Consent purposes: purpose → the `profiles` trait saying the person granted it (true, 'yes', 'granted', '1'…), e.g. { marketing: email_opt_in }, or { trait?, events?, source? + column } signals; syncs list the purposes they need in `consent:`",
    ),
  warn_days: z
    .number()
    .int()
    .min(0)
    .default(7)
    .describe('`weft privacy status` flags (and exits 1 for) open requests due within this many days'),
  api: apiSchema.optional().describe('The inbound OpenDSR API of `weft serve` (POST /v1/privacy/requests)'),
  schedule: text
    .optional()
    .describe("Cron (UTC) at which `weft schedule` runs `weft privacy run`, e.g. '*/15 * * * *'"),
});

/** A validated `privacy:` block. */
export type PrivacyConfig = z.output<typeof privacySchema>;
