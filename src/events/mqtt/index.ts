/**
 * MQTT ingestion: subscribes to the topics of weft.yml `events.mqtt` (QoS 1) and appends each
 * message, mapped to a `CollectedEvent`, to the event log before acknowledging it to the broker.
 * CONTRACT STUB: filled in by the MQTT/NATS work (issue 14, item 4).
 */
import type { MqttConfig } from '../../config/schemas/mqtt.js';
import type { EventLog } from '../types.js';

/** A running MQTT subscription. */
export interface MqttIngest {
  /** Messages appended to the log so far. */
  readonly received: number;
  close(): Promise<void>;
}

/** Starts the subscription; resolves once subscribed. */
export async function startMqttIngest(
  _config: MqttConfig,
  _log: EventLog,
  _hooks: { onError?: (error: Error) => void } = {},
): Promise<MqttIngest> {
  throw new Error('MQTT ingestion is not implemented yet');
}
