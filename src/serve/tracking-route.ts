/**
 * Segment's HTTP Tracking API: `POST /v1/track|identify|page|screen|group|alias` (one call) and
 * `/v1/batch` (alias `/v1/b`). The write key is the Basic-auth username or `writeKey` in the body.
 * Good events are appended to the log and the answer waits for their fsync; each refused item
 * of a batch is named by its index with the reason, the others are kept.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from '../events/collect/limits.js';
import { isRefusal, type MessageEnvelope, validateMessage } from '../events/collect/validate.js';
import type { EventSource, WriteKeys } from '../events/collect/write-keys.js';
import { LogUnavailableError } from '../events/log/errors.js';
import { type CollectedEvent, type EventLog, type EventType, LogFullError } from '../events/types.js';
import { BodyError, readBody } from './body.js';
import { corsHeaders, originAllowed } from './cors.js';
import type { Metrics } from './metrics.js';
import { sendError, sendJson } from './respond.js';

/** What the tracking routes need. */
export interface TrackingDeps {
  log: EventLog;
  keys: WriteKeys;
  metrics: Metrics;
  /** Called with events once they are durable (the live tail). */
  onDurable?: (events: CollectedEvent[]) => void;
  /** The server clock (tests pin it). */
  now?: () => Date;
}

/** One refused item of a batch. */
export interface RefusedItem {
  index: number;
  messageId?: string;
  status: number;
  reason: string;
}

/** Handles one tracking call; `kind` is the path's last segment (`batch` for /v1/b too). */
export async function handleTracking(
  request: IncomingMessage,
  response: ServerResponse,
  kind: EventType | 'batch',
  deps: TrackingDeps,
): Promise<void> {
  const origin = request.headers.origin;
  let known: EventSource | undefined;
  const fail = (status: number, reason: string, headers: Record<string, string> = {}) => {
    deps.metrics.count('weft_requests_refused_total', 'Tracking requests refused whole', {
      status: String(status),
    });
    sendError(response, status, reason, { ...corsHeaders(origin, known), ...headers });
  };
  let body: unknown;
  let bodyBytes = 0;
  try {
    const bytes = await readBody(request, MAX_BATCH_BYTES);
    bodyBytes = bytes.length;
    body = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof BodyError) return fail(error.status, error.message);
    return fail(400, `malformed JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail(400, 'the body must be a JSON object');
  const fields = body as Record<string, unknown>;
  const key = basicUsername(request.headers.authorization) ?? stringOrUndefined(fields.writeKey);
  const source = deps.keys.lookup(key);
  known = source;
  if (!source)
    return fail(
      401,
      key ? 'unknown write key' : 'missing write key (Basic auth username, or writeKey in the body)',
      {
        'www-authenticate': 'Basic realm="weft"',
      },
    );
  if (origin && !originAllowed(source, origin))
    return fail(403, `origin ${origin} may not send to source ${source.name}`);

  const envelope: MessageEnvelope = {
    source: source.name,
    receivedAt: deps.now?.() ?? new Date(),
    bodyBytes,
  };
  let items: unknown[];
  if (kind === 'batch') {
    if (!Array.isArray(fields.batch)) return fail(400, '`batch` must be an array of events');
    if (fields.batch.length > MAX_BATCH_EVENTS)
      return fail(413, `the batch has ${fields.batch.length} events, over the limit of ${MAX_BATCH_EVENTS}`);
    items = fields.batch;
    envelope.context = objectOrUndefined(fields.context);
    envelope.integrations = objectOrUndefined(fields.integrations);
    envelope.sentAt = fields.sentAt;
  } else {
    items = [fields];
    envelope.type = kind;
  }

  const accepted: CollectedEvent[] = [];
  const refused: RefusedItem[] = [];
  items.forEach((item, index) => {
    const result = validateMessage(item, envelope);
    if (isRefusal(result)) {
      const messageId = (item as { messageId?: unknown } | null)?.messageId;
      refused.push({ index, ...(typeof messageId === 'string' ? { messageId } : {}), ...result });
    } else accepted.push(result);
  });
  for (const item of refused)
    deps.metrics.count('weft_events_refused_total', 'Events refused by validation', {
      source: source.name,
      status: String(item.status),
    });

  if (accepted.length > 0) {
    try {
      await deps.log.append(accepted);
    } catch (error) {
      const status = error instanceof LogUnavailableError || !(error instanceof LogFullError) ? 503 : 429;
      const retryAfter = error instanceof LogFullError ? error.retryAfterSeconds : 5;
      return fail(status, `not stored, retry later: ${(error as Error).message}`, {
        'retry-after': String(retryAfter),
      });
    }
    deps.metrics.count(
      'weft_events_accepted_total',
      'Events acknowledged durable',
      { source: source.name },
      accepted.length,
    );
    deps.onDurable?.(accepted);
  }

  const headers = corsHeaders(origin, source);
  if (kind !== 'batch') {
    const [refusal] = refused;
    if (refusal) return sendError(response, refusal.status, refusal.reason, headers);
    return sendJson(response, 200, { success: true, messageId: accepted[0]?.messageId }, headers);
  }
  const status = accepted.length === 0 && refused.length > 0 ? 400 : 200;
  sendJson(
    response,
    status,
    { success: accepted.length > 0 || refused.length === 0, accepted: accepted.length, rejected: refused },
    headers,
  );
}

function basicUsername(header: string | undefined): string | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
  return user.length > 0 ? user : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
