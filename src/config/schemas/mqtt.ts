/** weft.yml `events.mqtt:`: devices publishing over MQTT. Owned by the MQTT/NATS work. */
import { z } from 'zod';
import { strictObject, text } from './common.js';

/** One subscribed topic filter and how its payloads become events. */
export const mqttTopicSchema = strictObject({
  topic: text.describe("MQTT topic filter, e.g. 'meters/+/fault'"),
  source: text.optional().describe('The events source name the messages count as (default: mqtt)'),
  event: text.optional().describe('Event name (default: the topic)'),
  device_id: text
    .optional()
    .describe("Where the device id is: a payload field, or 'topic:N' for the Nth topic level"),
  timestamp: text.optional().describe('The payload field holding the event time (default: receive time)'),
});

/** The `events.mqtt:` block. */
export const mqttSchema = strictObject({
  url: text.describe('Broker URL, e.g. mqtt://127.0.0.1:1883'),
  username: z.string().optional(),
  password: z.string().optional(),
  client_id: text.optional(),
  topics: z.array(mqttTopicSchema).min(1),
});

/** A validated `events.mqtt:` block. */
export type MqttConfig = z.output<typeof mqttSchema>;
