/** models/identity.yml: identifier types and the sources that link them. */
import { z } from 'zod';
import { identifier, relationRef, strictObject, text } from './common.js';

const idType = strictObject({
  normalize: z.enum(['email', 'phone']).optional().describe('Normalization applied before matching'),
  max_per_profile: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('At most this many values of the type per profile'),
  default_country_code: z
    .union([z.string().regex(/^\d{1,4}$/, 'must be 1 to 4 digits'), z.number().int().min(1).max(9999)])
    .transform(String)
    .optional()
    .describe('phone: country code for numbers without one'),
  hub_threshold: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'A value linked to more than this many distinct higher-priority ids is a hub (overrides the global one)',
    ),
  shared_threshold: z
    .number()
    .int()
    .min(2)
    .optional()
    .describe(
      "A value whose rows carry this many people's distinct evidence is shared: kept, never merged on (overrides the global one)",
    ),
});

const identitySource = strictObject({
  from: relationRef.describe("A model name or 'source.table'"),
  ids: z.record(identifier, text).describe('id type → column holding it'),
  timestamp: text.optional().describe('Column telling when the row was observed'),
  key: text
    .optional()
    .describe("Column identifying a source row (default: a hash of the row's id columns and timestamp)"),
  names: z
    .array(text)
    .min(1)
    .optional()
    .describe(
      'Columns naming the person on a row (e.g. [first_name, last_name]): a value whose rows carry distinct names is evidence it is shared; never matched on',
    ),
});

/** The `identity:` mapping. */
export const identitySchema = strictObject({
  id_types: z
    // `anonymous_id:` with nothing after it means the same as `anonymous_id: {}`.
    .record(identifier, z.union([idType, z.null().transform((): z.output<typeof idType> => ({}))]))
    .describe('Identifier types in priority order, highest first'),
  blocklist: z
    .record(identifier, z.array(z.string()))
    .default({})
    .describe('id type → exact values or globs ignored after normalization'),
  sources: z.array(identitySource).min(1),
  hub_threshold: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe(
      'A value linked to more than this many distinct values of a higher-priority type is a hub: kept as evidence, not merged on',
    ),
  shared_threshold: z
    .number()
    .int()
    .min(2)
    .default(3)
    .describe(
      "A value whose rows carry this many distinct people's evidence (partners that never co-occur otherwise) is shared: attached to their profiles, never merged on",
    ),
  shared_names_threshold: z
    .number()
    .int()
    .min(2)
    .default(2)
    .describe(
      'A value whose rows (sources with `names`) carry this many distinct names, with partners that never co-occur, is shared',
    ),
  role_mailbox_threshold: z
    .number()
    .int()
    .min(2)
    .default(2)
    .describe(
      'shared_threshold for organisation lines: emails with a role local part (info@, sales@, contact@, office@…) and toll-free phones; one on a row carrying no other identifier is shared',
    ),
  giant_component_size: z
    .number()
    .int()
    .min(2)
    .optional()
    .describe('Report profiles with more identifiers than this (with their top hubs)'),
  fail_on_giant_component: z
    .boolean()
    .default(false)
    .describe('Fail the build when a profile exceeds giant_component_size'),
});

/** models/identity.yml. */
export const identityFileSchema = strictObject({ identity: identitySchema });

/** The validated `identity:` mapping. */
export type IdentityConfig = z.output<typeof identitySchema>;
