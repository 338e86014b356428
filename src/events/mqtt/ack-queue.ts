/**
 * Appends MQTT messages to the event log in small batches and acknowledges (PUBACK) each to the
 * broker only once its batch is durable. Messages arrive one at a time; those that arrive while
 * a batch is being appended form the next batch (the broker bounds them by its in-flight limit).
 */
import type { MqttTopicConfig } from '../../config/schemas/mqtt.js';
import type { CollectedEvent, EventLog } from '../types.js';
import { mapMessage, type ReceivedMessage } from './map-message.js';

/** A message waiting for its batch, with how to acknowledge it. */
export interface QueuedMessage extends ReceivedMessage {
  mapping: MqttTopicConfig;
  /** Sends the PUBACK (QoS 1); undefined for QoS 0. */
  ack?: () => void;
  /** The connection it came on: a PUBACK for a dropped connection's message is never sent. */
  connection: number;
}

/** What the queue reports. */
export interface AckQueueHooks {
  /** A message that cannot be an event: logged, acknowledged, dropped. */
  onRejected(message: ReceivedMessage, reason: string): void;
  /** The log refused a batch: none of it was acknowledged; the broker must redeliver it. */
  onAppendFailed(error: Error, connection: number): void;
}

/** The batching queue in front of the log. */
export class AckQueue {
  private waiting: QueuedMessage[] = [];
  private flushing?: Promise<void>;
  appended = 0;
  rejected = 0;

  constructor(
    private readonly log: EventLog,
    private readonly hooks: AckQueueHooks,
  ) {}

  push(message: QueuedMessage): void {
    this.waiting.push(message);
    this.flushing ??= this.flushAll();
  }

  /** Drops messages of a connection that is gone (the broker sends them again). */
  dropConnection(connection: number): void {
    this.waiting = this.waiting.filter((m) => m.connection !== connection);
  }

  /** Resolves once nothing is waiting or being appended. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        await this.flush(batch);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async flush(batch: QueuedMessage[]): Promise<void> {
    const events: CollectedEvent[] = [];
    const rejected: Array<[QueuedMessage, string]> = [];
    for (const message of batch) {
      const mapped = mapMessage(message.mapping, message);
      if ('event' in mapped) events.push(mapped.event);
      else rejected.push([message, mapped.rejected]);
    }
    if (events.length > 0) {
      try {
        await this.log.append(events);
      } catch (error) {
        // Not durable: no PUBACK, so the broker still owes us these messages.
        const failedOn = new Set(batch.map((m) => m.connection));
        for (const connection of failedOn) this.hooks.onAppendFailed(asError(error), connection);
        return;
      }
    }
    for (const [message, reason] of rejected) this.hooks.onRejected(message, reason);
    this.appended += events.length;
    this.rejected += rejected.length;
    for (const message of batch) message.ack?.();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
