/** weft.yml `serve:`: the HTTP server of `weft serve`. Owned by the collector work. */
import { z } from 'zod';
import { strictObject, text } from './common.js';

/** The `serve:` block. */
export const serveSchema = strictObject({
  port: z.coerce.number().int().min(1).max(65535).default(8080),
  bind: text.default('127.0.0.1').describe("Address to listen on; '0.0.0.0' for every interface"),
  admin_key: z.string().optional().describe('Secret key for admin endpoints (a secret)'),
  viewer_key: z.string().optional().describe('Secret key for read-only endpoints (a secret)'),
  publishable_key: z.string().optional().describe('Key browsers may hold: public traits and audiences only'),
});

/** A validated `serve:` block. */
export type ServeConfig = z.output<typeof serveSchema>;
