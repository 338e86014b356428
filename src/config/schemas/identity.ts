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
});

const identitySource = strictObject({
  from: relationRef.describe("A model name or 'source.table'"),
  ids: z.record(identifier, text).describe('id type → column holding it'),
  timestamp: text.optional().describe('Column telling when the row was observed'),
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
});

/** models/identity.yml. */
export const identityFileSchema = strictObject({ identity: identitySchema });

/** The validated `identity:` mapping. */
export type IdentityConfig = z.output<typeof identitySchema>;
