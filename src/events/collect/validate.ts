/**
 * Turns one Segment-spec message (as sent by analytics.js, analytics-node, RudderStack's SDKs…)
 * into a `CollectedEvent`, or says why it is refused. Batch-level `context`/`integrations` are
 * merged under the message's own; a missing `messageId` is generated; the server's `receivedAt`
 * is stamped and `timestamp` corrected for the client's clock skew as Segment does:
 * `timestamp = originalTimestamp + (receivedAt − sentAt)`.
 */
import { randomUUID } from 'node:crypto';
import type { CollectedEvent, EventType } from '../types.js';
import { MAX_EVENT_BYTES, MAX_FUTURE_MS } from './limits.js';

const TYPES: ReadonlySet<string> = new Set(['track', 'identify', 'page', 'screen', 'group', 'alias']);

/** What the request around a message supplies. */
export interface MessageEnvelope {
  source: string;
  /** The call's type when the path names it (`/v1/track`); batch items carry their own. */
  type?: EventType;
  /** Batch-level fields merged into each item. */
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  sentAt?: unknown;
  /** The server's receive instant. */
  receivedAt: Date;
  /** Bytes of the whole request body: when within the event limit, no event can exceed it. */
  bodyBytes?: number;
}

/** A refused message: the HTTP status it earns alone and a reason naming the field. */
export interface Refusal {
  status: number;
  reason: string;
}

/** Validates and normalizes one message. */
export function validateMessage(raw: unknown, envelope: MessageEnvelope): CollectedEvent | Refusal {
  if (!isObject(raw)) return refuse('the event is not a JSON object');
  const bytes =
    envelope.bodyBytes !== undefined && envelope.bodyBytes <= MAX_EVENT_BYTES
      ? 0
      : Buffer.byteLength(JSON.stringify(raw));
  if (bytes > MAX_EVENT_BYTES)
    return {
      status: 413,
      reason: `the event is ${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte (32 KB) limit`,
    };
  const type = envelope.type ?? raw.type;
  if (typeof type !== 'string' || !TYPES.has(type))
    return refuse(`unknown type ${JSON.stringify(type)}: expected one of ${[...TYPES].join(', ')}`);
  const userId = idText(raw.userId);
  const anonymousId = idText(raw.anonymousId);
  if (userId === undefined && anonymousId === undefined)
    return refuse('the event has no userId and no anonymousId');
  for (const field of ['properties', 'traits', 'context', 'integrations'] as const)
    if (raw[field] !== undefined && raw[field] !== null && !isObject(raw[field]))
      return refuse(`${field} must be an object`);
  if (type === 'track' && (typeof raw.event !== 'string' || raw.event.trim() === ''))
    return refuse('a track call needs an `event` name');
  if (type === 'group' && idText(raw.groupId) === undefined) return refuse('a group call needs a `groupId`');
  if (type === 'alias' && idText(raw.previousId) === undefined)
    return refuse('an alias call needs a `previousId`');
  if (raw.messageId !== undefined && raw.messageId !== null && idText(raw.messageId) === undefined)
    return refuse('messageId must be a non-empty string');

  const receivedAt = envelope.receivedAt;
  const original = instant(raw.originalTimestamp ?? raw.timestamp, 'timestamp');
  if (typeof original === 'string') return refuse(original);
  const sent = instant(raw.sentAt ?? envelope.sentAt, 'sentAt');
  if (typeof sent === 'string') return refuse(sent);
  const originalTime = original ?? receivedAt;
  const corrected = sent
    ? new Date(originalTime.getTime() + (receivedAt.getTime() - sent.getTime()))
    : originalTime;
  if (corrected.getTime() - receivedAt.getTime() > MAX_FUTURE_MS)
    return refuse(`timestamp ${corrected.toISOString()} is more than a day ahead of the server's clock`);

  const context = mergeObjects(envelope.context, raw.context);
  const integrations = mergeObjects(envelope.integrations, raw.integrations);
  const event: CollectedEvent = {
    messageId: idText(raw.messageId) ?? randomUUID(),
    type: type as EventType,
    source: envelope.source,
    timestamp: corrected.toISOString(),
    receivedAt: receivedAt.toISOString(),
  };
  if (userId !== undefined) event.userId = userId;
  if (anonymousId !== undefined) event.anonymousId = anonymousId;
  if (typeof raw.event === 'string') event.event = raw.event;
  if (typeof raw.name === 'string') event.name = raw.name;
  if (isObject(raw.properties)) event.properties = raw.properties;
  if (isObject(raw.traits)) event.traits = raw.traits;
  if (context) event.context = context;
  if (integrations) event.integrations = integrations;
  const groupId = idText(raw.groupId);
  if (groupId !== undefined) event.groupId = groupId;
  const previousId = idText(raw.previousId);
  if (previousId !== undefined) event.previousId = previousId;
  if (original) event.originalTimestamp = original.toISOString();
  if (sent) event.sentAt = sent.toISOString();
  return event;
}

/** Whether a validation result is a refusal. */
export function isRefusal(result: CollectedEvent | Refusal): result is Refusal {
  return 'reason' in result && 'status' in result && !('messageId' in result);
}

function refuse(reason: string): Refusal {
  return { status: 400, reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids may be sent as numbers (Segment accepts them); they are kept as their text. */
function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function instant(value: unknown, field: string): Date | undefined | string {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    return `${field} must be an ISO 8601 date string`;
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? `${field} ${JSON.stringify(value)} is not a valid ISO 8601 date`
    : date;
}

function mergeObjects(
  outer: Record<string, unknown> | undefined,
  inner: unknown,
): Record<string, unknown> | undefined {
  if (!outer && !isObject(inner)) return undefined;
  return { ...(outer ?? {}), ...(isObject(inner) ? inner : {}) };
}
