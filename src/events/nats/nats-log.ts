/** The EventLog over a JetStream stream (see index.ts). */
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { logBatch } from '../log/batch.js';
import type { CollectedEvent, EventLog, LogBatch, LogStats } from '../types.js';
import { AckedPublisher } from './publisher.js';
import { refusal } from './refusal.js';
import type { LogLayout } from './setup.js';
import { subjectFor } from './subjects.js';

/** JetStream's shortest pull wait (the client refuses less). */
const MIN_PULL_WAIT_MS = 1000;
/** How long a publish waits for its PubAck before the append is refused. */
const PUBLISH_TIMEOUT_MS = 5000;

const encoder = new TextEncoder();

/**
 * Producers publish each event on `<prefix>.<source>` with `Nats-Msg-Id` = messageId and wait
 * for every PubAck; the reader pulls from one durable consumer. Messages read but not acked
 * are returned to the stream (nak) by `close`, and redelivered after the ack wait when the
 * process dies instead.
 */
export class NatsEventLog implements EventLog {
  private readonly unacked = new Set<JsMsg[]>();
  private readonly publisher: AckedPublisher;
  private consumer?: Promise<Consumer>;
  private closed = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly layout: LogLayout,
  ) {
    this.publisher = new AckedPublisher(connection);
  }

  async append(events: CollectedEvent[]): Promise<void> {
    if (this.closed) throw new Error('the NATS event log is closed');
    // Published back to back on one connection, so the stream keeps their order. A duplicate
    // PubAck is a success: the event is already stored.
    const messages = events.map((event) => ({
      subject: subjectFor(this.layout.subjectPrefix, event.source),
      data: encoder.encode(JSON.stringify(event)),
      msgId: event.messageId,
    }));
    try {
      await this.publisher.publishAll(messages, PUBLISH_TIMEOUT_MS);
    } catch (error) {
      throw refusal(error, this.layout.stream);
    }
  }

  async read(max: number, waitMs: number): Promise<LogBatch> {
    if (this.closed) throw new Error('the NATS event log is closed');
    this.consumer ??= this.js.consumers.get(this.layout.stream, this.layout.consumer);
    const consumer = await this.consumer.catch((error) => {
      this.consumer = undefined; // looked up again next time
      throw error;
    });
    const messages = await consumer.fetch({
      max_messages: Math.max(1, max),
      expires: Math.max(MIN_PULL_WAIT_MS, waitMs),
    });
    const batch: JsMsg[] = [];
    for await (const message of messages) batch.push(message);
    this.unacked.add(batch);
    return logBatch(
      batch.map((m) => m.data),
      () => this.ack(batch),
    );
  }

  async stats(): Promise<LogStats> {
    const [consumer, stream] = await Promise.all([
      this.jsm.consumers.info(this.layout.stream, this.layout.consumer),
      this.jsm.streams.info(this.layout.stream),
    ]);
    // Work-queue retention: the stream holds exactly the events not landed yet.
    return { pending: consumer.num_pending + consumer.num_ack_pending, pendingBytes: stream.state.bytes };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Hand what we read but did not land back to the stream now rather than after the ack wait.
    for (const batch of this.unacked) for (const message of batch) message.nak();
    this.unacked.clear();
    this.publisher.close();
    await this.connection.drain().catch(() => this.connection.close());
  }

  private async ack(batch: JsMsg[]): Promise<void> {
    if (!this.unacked.delete(batch)) return;
    for (const message of batch) message.ack();
    // The acks are on the wire and processed by the server once it answered this ping.
    await this.connection.flush();
  }
}
