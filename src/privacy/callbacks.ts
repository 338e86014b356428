/**
 * Signed OpenDSR status callbacks. Each change of a request's status is POSTed to every
 * `status_callback_urls` entry with the body signed by HMAC-SHA256 under
 * `privacy.api.callback_secret`: header `X-OpenDSR-Signature: sha256=<hex>` over the exact body
 * bytes. A URL is tried a few times with backoff; a round that fails is retried on the next pass
 * (up to MAX_NOTIFY_ROUNDS), and no callback ever blocks a request or the erasure.
 */
import { createHmac } from 'node:crypto';
import type { Project } from '../config/types.js';
import type { Warehouse } from '../warehouse/types.js';
import { type InboundView, inboundViews, recordNotified } from './inbound.js';

/** Passes that retry a status nobody acknowledged before giving up on it. */
export const MAX_NOTIFY_ROUNDS = 20;
/** Attempts per URL within one pass. */
const ATTEMPTS = 3;
/** How long one callback may take. */
const TIMEOUT_MS = 10_000;

/** The signature header of a body: `sha256=` and the hex HMAC-SHA256 of its bytes. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The OpenDSR status body of a request (callbacks add `status_callback_url`). */
export function statusBody(project: Project, view: InboundView, baseUrl?: string): Record<string, unknown> {
  const done = view.request_status === 'completed' && view.kind !== 'erasure';
  return {
    controller_id: project.config.privacy?.api?.controller_id ?? project.config.name,
    expected_completion_time: view.due_at.toISOString(),
    subject_request_id: view.subject_request_id,
    request_status: view.request_status,
    api_version: view.api_version,
    ...(done && baseUrl
      ? { results_url: `${baseUrl}/v1/privacy/requests/${view.subject_request_id}/export` }
      : {}),
  };
}

/** What a notification pass did. */
export interface NotifyReport {
  delivered: number;
  failed: number;
}

/**
 * Sends the callbacks of every request whose status changed since its URLs were last told.
 * `say` gets one line per failure (the URL's host only: a URL may carry a token).
 */
export async function notifyStatusChanges(
  project: Project,
  warehouse: Warehouse,
  options: {
    baseUrl?: string;
    say?: (line: string) => void;
    fetchImpl?: typeof fetch;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<NotifyReport> {
  const secret = project.config.privacy?.api?.callback_secret;
  const report: NotifyReport = { delivered: 0, failed: 0 };
  const schema = project.config.state_schema;
  const due = (await inboundViews(warehouse, schema, { unnotified: true })).filter(
    (v) => v.callback_urls.length > 0 && v.notify_attempts < MAX_NOTIFY_ROUNDS,
  );
  for (const view of due) {
    let ok = true;
    for (const url of view.callback_urls) {
      const body = JSON.stringify({
        ...statusBody(project, view, options.baseUrl),
        status_callback_url: url,
      });
      const sent = await post(url, body, secret, options);
      if (!sent) {
        ok = false;
        options.say?.(
          `privacy callback to ${new URL(url).host} for ${view.request_id} failed after ${ATTEMPTS} attempts (retried on the next pass)`,
        );
      }
    }
    await recordNotified(
      warehouse,
      schema,
      view.subject_request_id,
      ok ? { delivered: true, status: view.request_status } : { delivered: false },
    );
    if (ok) report.delivered++;
    else report.failed++;
  }
  return report;
}

async function post(
  url: string,
  body: string,
  secret: string | undefined,
  options: { fetchImpl?: typeof fetch; sleep?: (ms: number) => Promise<void> },
): Promise<boolean> {
  const send = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { 'x-opendsr-signature': signBody(secret, body) } : {}),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return true;
      if (response.status < 500 && response.status !== 429 && response.status !== 408) return false;
    } catch {
      // network error or timeout: try again
    }
    if (attempt < ATTEMPTS) await sleep(250 * 2 ** (attempt - 1));
  }
  return false;
}
