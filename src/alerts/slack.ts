/** An alert to a `type: slack` connection: an incoming-webhook message `{text}`. */
import { z } from 'zod';
import type { Alert } from './alert.js';
import { postJson } from './post.js';

/** Settings of a Slack connection as an alert target. */
const slackSettings = z.looseObject({
  webhook_url: z.url({ protocol: /^https?$/ }).describe('Slack incoming-webhook URL'),
});

/** The message: what failed, why, and the counts, in a few lines. */
export function slackText(alert: Alert): string {
  const c = alert.counts;
  return [
    `:warning: weft sync *${alert.sync}* ${alert.status} (run ${alert.run_id})`,
    `Reason: ${alert.reason}`,
    `${c.added} added, ${c.changed} changed, ${c.removed} removed; ${c.succeeded} acknowledged, ${c.rejected} rejected, ${c.unacknowledged} not acknowledged`,
  ].join('\n');
}

/** POSTs the alert's text to the connection's incoming webhook. */
export async function sendSlackAlert(connection: Record<string, unknown>, alert: Alert): Promise<void> {
  const settings = slackSettings.parse(connection);
  await postJson(settings.webhook_url, JSON.stringify({ text: slackText(alert) }), {});
}
