/** weft.yml `privacy:`: legal deadlines of privacy requests (and, later, consent purposes). */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';

/** Regulations a request can be filed under; each has a deadline in days. */
export const PRIVACY_REGULATIONS = ['gdpr', 'ccpa'] as const;

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
    .record(identifier, text)
    .optional()
    .describe(
      "Consent purposes: purpose → the `profiles` trait saying the person granted it (true, 'yes', 'granted', '1'…), e.g. { marketing: email_opt_in, advertising: ads_consent }; syncs list the purposes they need in `consent:`",
    ),
  warn_days: z
    .number()
    .int()
    .min(0)
    .default(7)
    .describe('`weft privacy status` flags (and exits 1 for) open requests due within this many days'),
});

/** A validated `privacy:` block. */
export type PrivacyConfig = z.output<typeof privacySchema>;
