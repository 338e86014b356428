/**
 * MQTT ingestion: subscribes to the topics of weft.yml `events.mqtt` (QoS 1) and appends each
 * message, mapped to a `CollectedEvent` (map-message.ts), to the event log before acknowledging
 * it to the broker (PUBACK). The session is persistent (clean: false, a stable client id), so
 * messages published while weft is down are delivered when it comes back; a message whose
 * append failed is never acknowledged, and weft reconnects so the broker delivers it again.
 */
import type { MqttClient } from 'mqtt';
import type { MqttConfig } from '../../config/schemas/mqtt.js';
import type { EventLog } from '../types.js';
import { clientIdOf } from './client-id.js';
import { MqttIngestion, shownUrl } from './ingest.js';

/** A running MQTT subscription. */
export interface MqttIngest {
  /** Messages appended to the log so far. */
  readonly received: number;
  /** Messages dropped because they cannot be events (each reported through `onError`). */
  readonly rejected: number;
  close(): Promise<void>;
}

/** Starts the subscription; resolves once subscribed. */
export async function startMqttIngest(
  config: MqttConfig,
  log: EventLog,
  hooks: { onError?: (error: Error) => void } = {},
): Promise<MqttIngest> {
  // Loaded on first use: only `weft serve` with MQTT needs it, every command would pay for it.
  const { default: mqtt } = await import('mqtt');
  const client = mqtt.connect(config.url, {
    clientId: clientIdOf(config),
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
  });
  const ingestion = new MqttIngestion(client, config, log, hooks);
  try {
    await connected(client);
    const grants = await client.subscribeAsync(
      Object.fromEntries(config.topics.map((t) => [t.topic, { qos: 1 as const }])),
    );
    const refused = grants.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length > 0) throw new Error(`the broker refused the subscription to ${refused.join(', ')}`);
  } catch (error) {
    await client.endAsync(true).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot subscribe at the MQTT broker ${shownUrl(config.url)}: ${reason}`, {
      cause: error,
    });
  }
  return ingestion;
}

/** Resolves on the first CONNACK, rejects on the first error (refused, bad credentials…). */
function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      client.off('connect', onConnect);
      reject(error);
    };
    const onConnect = () => {
      client.off('error', onError);
      resolve();
    };
    client.once('error', onError);
    client.once('connect', onConnect);
  });
}
