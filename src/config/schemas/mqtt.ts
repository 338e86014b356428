/** weft.yml `events.mqtt:`: devices publishing over MQTT. Owned by the MQTT/NATS work. */
import { z } from 'zod';
import { strictObject, text } from './common.js';

/** `topic:N` (the Nth topic level, 1-based) or a payload field (`serial`, `meta.device`). */
const valueRef = text.regex(
  /^(topic:[1-9][0-9]*|[^:\s]+)$/,
  "must be 'topic:N' (the Nth topic level, from 1) or a payload field such as 'serial' or 'meta.id'",
);

/** One subscribed topic filter and how its payloads become events. */
export const mqttTopicSchema = strictObject({
  topic: text.describe("MQTT topic filter, e.g. 'meters/+/fault' (+ one level, # the rest)"),
  source: text.optional().describe('The events source name the messages count as (default: mqtt)'),
  event: text
    .optional()
    .describe("Event name: literal text, or 'topic:N' for the Nth topic level (default: the whole topic)"),
  device_id: valueRef
    .optional()
    .describe(
      "Where the device id is: a payload field, or 'topic:N' for the Nth topic level (default: the topic)",
    ),
  device_id_as: z
    .enum(['anonymous_id', 'user_id'])
    .default('anonymous_id')
    .describe("Which Segment id carries 'device:<id>': anonymousId (default) or userId"),
  timestamp: text
    .optional()
    .describe(
      'The payload field holding the event time, ISO 8601 or epoch seconds/milliseconds (default: receive time)',
    ),
  message_id: text
    .optional()
    .describe(
      'A payload field unique per reading, used for dedupe (default: derived from topic, payload and delivery)',
    ),
});

/** The `events.mqtt:` block. */
export const mqttSchema = strictObject({
  url: text.describe('Broker URL, e.g. mqtt://127.0.0.1:1883 (mqtts:// for TLS)'),
  username: z.string().optional(),
  password: z.string().optional().describe('From the environment: "{{env \'MQTT_PASSWORD\'}}"'),
  client_id: text
    .optional()
    .describe(
      'Stable MQTT client id: the broker keeps its session (queued QoS 1 messages) while weft is down (default: weft-<hash of url and topics>)',
    ),
  topics: z.array(mqttTopicSchema).min(1),
});

/** A validated `events.mqtt:` block. */
export type MqttConfig = z.output<typeof mqttSchema>;
/** One validated topic mapping. */
export type MqttTopicConfig = z.output<typeof mqttTopicSchema>;
