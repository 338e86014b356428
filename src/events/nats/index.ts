/**
 * NATS JetStream as the shared event log of several `weft serve` processes.
 * CONTRACT STUB: filled in by the MQTT/NATS work (issue 14, item 5).
 */
import type { EventLog } from '../types.js';

/** Options of the JetStream log. */
export interface NatsLogOptions {
  /** Stream name (default `WEFT_EVENTS`). */
  stream?: string;
  /** Durable consumer name of the lander (default `weft_lander`). */
  consumer?: string;
}

/** Connects to `url` (nats://host:port) and returns the JetStream-backed event log. */
export async function openNatsLog(_url: string, _options: NatsLogOptions = {}): Promise<EventLog> {
  throw new Error('the NATS JetStream event log is not implemented yet');
}
