/**
 * Slack incoming webhooks (docs/destinations/slack.md): one message per row, for "notify on added
 * rows" syncs. insert notifies about added rows; upsert also about changed ones. Slack keeps no
 * keys, so a row sent twice (a retry after a lost answer, a rerun) posts twice: delivery is
 * at-least-once.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  type DestinationContext,
  type DestinationRecord,
  defineDestination,
  type RecordResult,
  secret,
} from '../../src/destination-kit/index.js';
import { refineSlackError } from './errors.js';
import { buildMessage, templateProblem } from './message.js';

/** Slack connection settings (weft.yml `connections.<name>` with `type: slack`). */
export const slackSettings = z.object({
  webhook_url: secret(
    z
      .url({ protocol: /^https?$/ })
      .describe('Incoming webhook URL (https://hooks.slack.com/services/T…/B…/…)'),
  ),
  template: z
    .string()
    .min(1)
    .superRefine((template, ctx) => {
      const problem = templateProblem(template);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .describe(
      'Handlebars message template over the mapped fields, e.g. "New VIP: {{first_name}} ({{email}})"',
    ),
  timeout_ms: z.number().int().positive().default(10_000),
});

type SlackSettings = z.output<typeof slackSettings>;

/**
 * Posts one message per record, in order (the runner hands one record per batch). A message
 * Slack refuses is rejected; a run-stopping error (auth, config) is thrown; a retryable error
 * after some messages went out leaves the rest retryable instead of reposting the sent ones.
 */
async function post(
  ctx: DestinationContext<SlackSettings>,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (const [index, record] of records.entries()) {
    const message = buildMessage(ctx.settings.template, record.fields);
    if (typeof message === 'string') {
      results.push({ status: 'rejected', reason: message });
      continue;
    }
    const response = await ctx.http.request({
      method: 'POST',
      path: ctx.settings.webhook_url,
      json: message,
      timeoutMs: ctx.settings.timeout_ms,
    });
    const error = ctx.http.classify(response);
    if (error === undefined) results.push({ status: 'ok' });
    else if (error.kind === 'record') results.push({ status: 'rejected', reason: error.message });
    else if (index === 0 || error.isFatal) throw error;
    else {
      const retry = error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
      for (let rest = index; rest < records.length; rest++)
        results.push({ status: 'retryable', reason: error.message, ...retry });
      break;
    }
  }
  return results;
}

/** The Slack incoming-webhook destination. */
export const slack = defineDestination({
  type: 'slack',
  description: 'Slack messages from a template, one per row, through an incoming webhook',
  settings: slackSettings,
  capabilities: {
    modes: ['insert', 'upsert'],
    batch: { maxRecords: 1 },
    // Slack allows about one message per second per webhook (short bursts tolerated).
    rateLimit: { requests: 1, perMs: 1000 },
    concurrency: 1,
  },
  // One webhook, one budget. The URL is the credential, so the account is a digest of its path.
  account: (settings) => {
    const url = new URL(settings.webhook_url);
    const digest = createHash('sha256').update(url.pathname).digest('hex').slice(0, 16);
    return `slack-webhook:${url.host}:${digest}`;
  },
  refineError: refineSlackError,
  insert: post,
  upsert: post,
});
