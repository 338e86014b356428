/** weft.yml `events:`: the collector's sources, its durable log and landing. Owned by the collector work. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';
import { mqttSchema } from './mqtt.js';

/** One source that sends events (a website, an app, a backend), with its own write key. */
export const eventSourceSchema = strictObject({
  write_key: text.describe("The source's write key, from the environment: \"{{env 'WEB_WRITE_KEY'}}\""),
  cors_origins: z.array(text).optional().describe('Browser origins allowed to send (default: any)'),
});

/** `events.nats:` the JetStream stream behind `log: nats://…`. */
export const natsLogSchema = strictObject({
  stream: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, _ and -')
    .optional()
    .describe(
      'JetStream stream name (default WEFT_EVENTS); projects sharing a NATS server each need their own. Its subjects are weft.<stream, lower-case>.<source>',
    ),
  ack_wait_ms: z
    .number()
    .int()
    .min(1000)
    .optional()
    .describe(
      'How long a batch read by a serve process that died waits before another lands it (default 300000, 5 minutes)',
    ),
});

/** The `events:` block. */
export const eventsSchema = strictObject({
  schema: identifier.default('events').describe('Where collected events land (tracks, identifies, pages, …)'),
  sources: z.record(identifier, eventSourceSchema).default({}),
  log: text
    .default('embedded')
    .describe("The durable event log: 'embedded' (files under log_dir) or a NATS URL (nats://host:4222)"),
  log_dir: text.default('.weft/events').describe('Embedded log folder, relative to the project'),
  landing_interval_ms: z
    .number()
    .int()
    .min(50)
    .default(1000)
    .describe('How often events land in the warehouse'),
  nats: natsLogSchema.optional().describe('The JetStream stream when log is a nats:// URL'),
  mqtt: mqttSchema.optional(),
});

/** A validated `events:` block. */
export type EventsConfig = z.output<typeof eventsSchema>;
