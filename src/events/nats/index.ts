/**
 * NATS JetStream as the shared event log of several `weft serve` processes (weft.yml
 * `events.log: nats://host:4222`): every process appends to one durable stream, JetStream's
 * `Nats-Msg-Id` duplicate window dedupes client retries, and one durable pull consumer feeds
 * the lander. See docs/events.md.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventLog } from '../types.js';
import { NatsEventLog } from './nats-log.js';
import { ensureConsumer, ensureStream, type LogLayout } from './setup.js';
import { DEFAULT_CONSUMER, DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX } from './subjects.js';

/** Options of the JetStream log. Stream settings apply when weft creates the stream. */
export interface NatsLogOptions {
  /** Stream name (default `WEFT_EVENTS`). */
  stream?: string;
  /** Durable consumer name of the lander (default `weft_lander`). */
  consumer?: string;
  /** Subjects are `<prefix>.<source>` (default `weft.events`). */
  subjectPrefix?: string;
  /** Stream size limit; appends beyond it get LogFullError (default 1 GiB). */
  maxBytes?: number;
  /** How long a read, unacknowledged batch waits before redelivery (default 5 minutes). */
  ackWaitMs?: number;
  /** How long JetStream remembers a messageId to drop a repeat (default 2 minutes). */
  duplicateWindowMs?: number;
}

/** Connects to `url` (nats://host:port) and returns the JetStream-backed event log. */
export async function openNatsLog(url: string, options: NatsLogOptions = {}): Promise<EventLog> {
  const layout: LogLayout = {
    stream: options.stream ?? DEFAULT_STREAM,
    consumer: options.consumer ?? DEFAULT_CONSUMER,
    subjectPrefix: options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX,
    maxBytes: options.maxBytes ?? 1024 ** 3,
    ackWaitMs: options.ackWaitMs ?? 5 * 60_000,
    duplicateWindowMs: options.duplicateWindowMs ?? 2 * 60_000,
  };
  const shown = url.replace(/\/\/[^@/]*@/, '//');
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await connect({
      servers: url,
      name: 'weft',
      maxReconnectAttempts: -1,
      // Otherwise every publish captures a stack trace up front (two Error objects): at
      // thousands of events a second that alone saturated the collector's event loop.
      noAsyncTraces: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect to NATS at ${shown}: ${reason}`, { cause: error });
  }
  try {
    const jsm = await jetstreamManager(connection);
    await ensureStream(jsm, layout);
    await ensureConsumer(jsm, layout);
    return new NatsEventLog(connection, jetstream(connection), jsm, layout);
  } catch (error) {
    await connection.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`NATS at ${shown} has no usable JetStream stream ${layout.stream}: ${reason}`, {
      cause: error,
    });
  }
}
