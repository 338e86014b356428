/** One MQTT message → one CollectedEvent, by its topic mapping (weft.yml `events.mqtt.topics`). */
import { createHash } from 'node:crypto';
import type { MqttTopicConfig } from '../../config/schemas/mqtt.js';
import type { CollectedEvent } from '../types.js';
import { fieldValue, parsePayload } from './payload.js';

/** A message as received. */
export interface ReceivedMessage {
  topic: string;
  payload: Uint8Array;
  /** The MQTT packet identifier (QoS 1): a broker redelivery carries the same one. */
  packetId?: number;
  receivedAt: Date;
}

/** The event, or why the message cannot be one (it is logged and dropped). */
export type MappedMessage = { event: CollectedEvent } | { rejected: string };

/** Default events source of MQTT messages. */
export const DEFAULT_MQTT_SOURCE = 'mqtt';

/**
 * Maps a message: type `track`; `event` from the mapping (default the topic); properties from
 * the payload; `device:<id>` as anonymousId (or userId) and `context.device.id`; `timestamp`
 * from the payload field or the receive time; a deterministic messageId (see `messageIdOf`).
 */
export function mapMessage(mapping: MqttTopicConfig, message: ReceivedMessage): MappedMessage {
  const parsed = parsePayload(message.payload);
  if ('rejected' in parsed) return parsed;
  const { properties } = parsed;
  const deviceId = mapping.device_id ? readRef(mapping.device_id, message.topic, properties) : message.topic;
  if (deviceId === undefined)
    return { rejected: `no device id: ${describeRef(mapping.device_id as string)} is missing or empty` };
  const eventName = mapping.event ? eventNameOf(mapping.event, message.topic) : message.topic;
  if (eventName === undefined)
    return { rejected: `no event name: ${describeRef(mapping.event as string)} is missing` };
  const receivedAt = message.receivedAt.toISOString();
  let timestamp = receivedAt;
  if (mapping.timestamp) {
    const parsedTime = timeOf(fieldValue(properties, mapping.timestamp));
    if (!parsedTime)
      return { rejected: `payload field '${mapping.timestamp}' is not a time (ISO 8601 or epoch)` };
    timestamp = parsedTime;
  }
  const messageId = messageIdOf(mapping, message, properties);
  if (messageId === undefined)
    return { rejected: `payload field '${mapping.message_id}' (message id) is missing` };
  const id = `device:${deviceId}`;
  const event: CollectedEvent = {
    messageId,
    type: 'track',
    source: mapping.source ?? DEFAULT_MQTT_SOURCE,
    ...(mapping.device_id_as === 'user_id' ? { userId: id } : { anonymousId: id }),
    event: eventName,
    properties,
    context: { device: { id: deviceId }, mqtt: { topic: message.topic } },
    timestamp,
    ...(mapping.timestamp ? { originalTimestamp: timestamp } : {}),
    receivedAt,
  };
  return { event };
}

/**
 * The payload's own id (`message_id` field) when mapped; else a hash of the topic and payload
 * when the payload carries its time (a reading is unique by device and time); else a hash of
 * topic, payload, MQTT packet id and the UTC day: a broker redelivery (same packet id) gets the
 * same messageId, a later identical reading gets another (its packet id differs within a day).
 */
function messageIdOf(
  mapping: MqttTopicConfig,
  message: ReceivedMessage,
  properties: Record<string, unknown>,
): string | undefined {
  const hash = createHash('sha256').update(message.topic).update('\0');
  if (mapping.message_id) {
    const own = fieldValue(properties, mapping.message_id);
    if (own === undefined || own === null || own === '') return undefined;
    return `mqtt-${hash.update(String(own)).digest('hex').slice(0, 32)}`;
  }
  hash.update(message.payload);
  if (!mapping.timestamp)
    hash.update(`\0${message.packetId ?? 'qos0'}\0${message.receivedAt.toISOString().slice(0, 10)}`);
  return `mqtt-${hash.digest('hex').slice(0, 32)}`;
}

function readRef(ref: string, topic: string, properties: Record<string, unknown>): string | undefined {
  const level = topicLevel(ref, topic);
  const value = level !== null ? level : fieldValue(properties, ref);
  if (value === undefined || value === null || value === '' || typeof value === 'object') return undefined;
  return String(value);
}

function eventNameOf(spec: string, topic: string): string | undefined {
  const level = topicLevel(spec, topic);
  return level !== null ? level || undefined : spec;
}

/** The level named by `topic:N`; null when `ref` is not such a reference. */
function topicLevel(ref: string, topic: string): string | undefined | null {
  const match = /^topic:([1-9][0-9]*)$/.exec(ref);
  if (!match) return null;
  return topic.split('/')[Number(match[1]) - 1];
}

function describeRef(ref: string): string {
  return ref.startsWith('topic:') ? `topic level ${ref.slice(6)}` : `payload field '${ref}'`;
}

/** ISO text or epoch seconds/milliseconds → ISO instant; undefined when not a time. */
function timeOf(value: unknown): string | undefined {
  let date: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value))
    date = new Date(value < 1e11 ? value * 1000 : value);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}
