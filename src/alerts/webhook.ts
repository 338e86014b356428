/** An alert to a `type: webhook` connection: the alert as JSON, signed like webhook batches. */
import { webhookSettings } from '../../destinations/webhook/index.js';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from '../../destinations/webhook/signature.js';
import type { Alert } from './alert.js';
import { postJson } from './post.js';

/** POSTs `{type: 'weft.alert', ...alert}` to the connection's url with the X-Weft-Signature headers. */
export async function sendWebhookAlert(connection: Record<string, unknown>, alert: Alert): Promise<void> {
  const settings = webhookSettings.parse(connection);
  const body = JSON.stringify({ type: 'weft.alert', ...alert });
  const timestamp = String(Math.floor(Date.now() / 1000));
  await postJson(settings.url, body, {
    ...settings.headers,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: signPayload(settings.secret, timestamp, body),
  });
}
