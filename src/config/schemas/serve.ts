/** weft.yml `serve:`: the HTTP server of `weft serve`. Owned by the collector work. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';

/** `serve.public`: what the publishable key may read. Nothing unless listed. */
const publicSchema = strictObject({
  traits: z.array(identifier).default([]).describe('Traits the personalization endpoint returns'),
  audiences: z
    .array(identifier)
    .default([])
    .describe('Audiences the personalization endpoint reports membership of'),
});

/** `serve.personalize`: the browser endpoint's limits and headers. */
const personalizeSchema = strictObject({
  rate_limit_per_second: z.coerce
    .number()
    .positive()
    .default(200)
    .describe('Requests per second per publishable key (bursts up to twice that)'),
  max_age_seconds: z.coerce
    .number()
    .int()
    .min(0)
    .default(60)
    .describe('Cache-Control max-age of answers (private: browsers only, never shared caches)'),
  cors_origins: z
    .array(text)
    .optional()
    .describe("Origins allowed to call it from a browser (default: any); e.g. ['https://shop.example']"),
  anonymous_id_type: identifier
    .default('anonymous_id')
    .describe("identity.yml's id type holding analytics.js anonymous ids"),
  allow_user_id: z
    .boolean()
    .default(false)
    .describe('Also look visitors up by ?userId= (only if user ids cannot be guessed)'),
  user_id_type: identifier.default('user_id').describe("identity.yml's id type holding user ids"),
});

/** The `serve:` block. */
export const serveSchema = strictObject({
  port: z.coerce.number().int().min(1).max(65535).default(8080),
  bind: text.default('127.0.0.1').describe("Address to listen on; '0.0.0.0' for every interface"),
  admin_key: z.string().optional().describe('Secret key for admin endpoints (a secret)'),
  viewer_key: z.string().optional().describe('Secret key for read-only endpoints (a secret)'),
  editor_key: z
    .string()
    .optional()
    .describe(
      "Secret key of the console's editors: save audiences, plan and sync now (a secret; admin_key also signs in as editor)",
    ),
  publishable_key: z.string().optional().describe('Key browsers may hold: public traits and audiences only'),
  publishable_keys: z
    .array(z.string().min(1))
    .optional()
    .describe('More publishable keys (e.g. while rotating one); each has its own rate limit'),
  public: publicSchema.default({ traits: [], audiences: [] }),
  personalize: personalizeSchema.default({
    rate_limit_per_second: 200,
    max_age_seconds: 60,
    anonymous_id_type: 'anonymous_id',
    allow_user_id: false,
    user_id_type: 'user_id',
  }),
  store: text
    .default('embedded')
    .describe("Serving store: 'embedded' (an LMDB file under target/serving) or a redis:// URL (a secret)"),
  store_prefix: text
    .optional()
    .describe('Redis key prefix of the serving store (default weft:<project name>)'),
});

/** A validated `serve:` block. */
export type ServeConfig = z.output<typeof serveSchema>;
