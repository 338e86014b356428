/**
 * The live NATS JetStream server of the NATS log tests (WEFT_TEST_NATS_URL, default
 * nats://127.0.0.1:4222). Unreachable: the tests skip with a printed reason, unless
 * WEFT_REQUIRE_NATS=1, which makes it a failure. Each test uses its own stream, subjects and
 * consumer (`uniqueLog`) and deletes the stream afterwards.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsLogOptions } from '../../src/events/nats/index.js';
import type { CollectedEvent } from '../../src/events/types.js';

export const natsUrl = process.env.WEFT_TEST_NATS_URL || 'nats://127.0.0.1:4222';

async function probe(): Promise<string | undefined> {
  try {
    const connection = await connect({ servers: natsUrl, timeout: 3000 });
    try {
      await (await jetstreamManager(connection)).getAccountInfo();
    } finally {
      await connection.close();
    }
    return undefined;
  } catch (error) {
    return `NATS JetStream at ${natsUrl} is not reachable (${(error as Error).message})`;
  }
}

const unreachable = await probe();
if (unreachable) {
  if (process.env.WEFT_REQUIRE_NATS === '1') throw new Error(`WEFT_REQUIRE_NATS=1 but ${unreachable}`);
  console.warn(`Skipping the NATS cases: ${unreachable}`);
}

/** True when the live server answers. */
export const natsAvailable = unreachable === undefined;

/** Options naming a stream, subject prefix and consumer no other test uses. */
export function uniqueLog(
  extra: NatsLogOptions = {},
): Required<Pick<NatsLogOptions, 'stream' | 'subjectPrefix'>> & NatsLogOptions {
  const id = randomBytes(4).toString('hex');
  return { stream: `WEFT_TEST_${id}`, subjectPrefix: `weft_test.${id}`, consumer: 'lander', ...extra };
}

/** Deletes a test stream (and its consumers). */
export async function deleteStream(stream: string): Promise<void> {
  const connection = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(connection);
    await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await connection.close();
  }
}

/** A track event with fixed times. */
export function trackEvent(
  messageId: string,
  source = 'web',
  properties: Record<string, unknown> = {},
): CollectedEvent {
  return {
    messageId,
    type: 'track',
    source,
    anonymousId: 'anon-1',
    event: 'Viewed',
    properties,
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.100Z',
  };
}
