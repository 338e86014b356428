/**
 * The generic webhook destination (weft's own format, see docs/destinations/webhook.md): signed JSON
 * batches of upsert/delete rows; per-row results when the receiver returns them.
 */
import { z } from 'zod';
import {
  type DestinationContext,
  type DestinationRecord,
  defineDestination,
  exactJson,
  type RecordResult,
  secret,
} from '../../src/destination-kit/index.js';
import { buildBatch, resultsFromAnswer, type WebhookRow } from './payload.js';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './signature.js';

/** Webhook connection settings (weft.yml `connections.<name>` with `type: webhook`). */
export const webhookSettings = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Receiver URL; batches are POSTed here'),
  secret: secret(z.string().min(8).describe('HMAC-SHA256 signing secret')),
  headers: secret(z.record(z.string(), z.string()).default({}).describe('Extra request headers')),
  batch_size: z.number().int().min(1).max(10_000).default(100),
  rate_limit: z
    .object({ requests: z.number().int().positive(), per_seconds: z.number().positive() })
    .optional()
    .describe('Receiver limit: at most `requests` per `per_seconds`'),
  daily_quota: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'Receiver quota: at most this many requests per UTC day (shared by every connection to the URL)',
    ),
  concurrency: z.number().int().min(1).max(64).default(4),
  timeout_ms: z.number().int().positive().default(30_000),
});

type WebhookSettings = z.output<typeof webhookSettings>;

/** POSTs one signed batch and maps the answer to one result per record. */
async function send(
  ctx: DestinationContext<WebhookSettings>,
  op: WebhookRow['op'],
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const body = exactJson(buildBatch(ctx.syncName, ctx.runId, op, records));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await ctx.http.send({
    method: 'POST',
    path: ctx.settings.url,
    body,
    timeoutMs: ctx.settings.timeout_ms,
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signPayload(ctx.settings.secret, timestamp, body),
    },
  });
  return resultsFromAnswer(records, response.json());
}

/** The webhook destination. */
export const webhook = defineDestination({
  type: 'webhook',
  description: 'Signed JSON batches POSTed to any HTTP endpoint',
  settings: webhookSettings,
  capabilities: {
    modes: ['upsert', 'insert', 'update', 'mirror'],
    batch: { maxRecords: 100, maxBytes: 5_000_000 },
    concurrency: 4,
  },
  limits: (settings) => ({
    batch: { maxRecords: settings.batch_size, maxBytes: 5_000_000 },
    concurrency: settings.concurrency,
    ...(settings.rate_limit && {
      rateLimit: { requests: settings.rate_limit.requests, perMs: settings.rate_limit.per_seconds * 1000 },
    }),
    ...(settings.daily_quota !== undefined && { dailyQuota: settings.daily_quota }),
  }),
  // One receiver, one budget: connections posting to the same URL (query and credentials aside) share it.
  account: (settings) => {
    const url = new URL(settings.url);
    return `${url.origin}${url.pathname}`;
  },
  headers: (settings) => settings.headers,
  upsert: (ctx, records) => send(ctx, 'upsert', records),
  insert: (ctx, records) => send(ctx, 'upsert', records),
  update: (ctx, records) => send(ctx, 'upsert', records),
  remove: (ctx, records) => send(ctx, 'delete', records),
  // The receiver gets the same signed `delete` op as a mirror removal; erasing is its job.
  erase: (ctx, records) => send(ctx, 'delete', records),
  erasure: {
    action: 'webhook.delete',
    effect: "a signed batch of `delete` ops; the receiver's 2xx (or its per-row results) acknowledges",
  },
  async testConnection(ctx) {
    // An empty signed batch: receivers accept it (2xx) or tell us what is wrong (auth, URL).
    await send(ctx, 'upsert', []);
  },
});
