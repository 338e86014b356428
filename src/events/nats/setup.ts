/** Creates the JetStream stream and the lander's durable pull consumer when missing. */
import {
  AckPolicy,
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { allSources } from './subjects.js';

/** What the stream and consumer are created with (an existing one is used as it is). */
export interface LogLayout {
  stream: string;
  consumer: string;
  subjectPrefix: string;
  /** Stream size limit in bytes (-1: none). Appends beyond it are refused (back-pressure). */
  maxBytes: number;
  /** How long a delivered, unacknowledged batch is held before it is delivered again. */
  ackWaitMs: number;
  /** JetStream's `Nats-Msg-Id` duplicate window. */
  duplicateWindowMs: number;
}

/**
 * The stream keeps only events not yet landed: work-queue retention deletes a message once the
 * lander acks it, file storage survives restarts, and `discard: new` refuses appends when it is
 * full instead of dropping old, unlanded events.
 */
export async function ensureStream(jsm: JetStreamManager, layout: LogLayout): Promise<void> {
  if (await exists(() => jsm.streams.info(layout.stream))) return;
  try {
    await jsm.streams.add({
      name: layout.stream,
      subjects: [allSources(layout.subjectPrefix)],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      discard: DiscardPolicy.New,
      max_bytes: layout.maxBytes,
      duplicate_window: nanos(layout.duplicateWindowMs),
    });
  } catch (error) {
    // Another weft process created it meanwhile.
    if (!(await exists(() => jsm.streams.info(layout.stream)))) throw error;
  }
}

/** The lander's durable consumer: explicit acks, redelivered forever until landed. */
export async function ensureConsumer(jsm: JetStreamManager, layout: LogLayout): Promise<void> {
  if (await exists(() => jsm.consumers.info(layout.stream, layout.consumer))) return;
  await jsm.consumers.add(layout.stream, {
    durable_name: layout.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(layout.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: -1,
  });
}

async function exists(info: () => Promise<unknown>): Promise<boolean> {
  try {
    await info();
    return true;
  } catch (error) {
    if (/not found/i.test(error instanceof Error ? error.message : String(error))) return false;
    throw error;
  }
}
