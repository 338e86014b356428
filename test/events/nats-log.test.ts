/**
 * The NATS JetStream event log against the real server: appends acknowledged by JetStream,
 * dedupe by messageId, redelivery of a batch that was never acked, several producers, order,
 * and back-pressure when the stream is full. Skips unless NATS answers (WEFT_REQUIRE_NATS=1: fails).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openNatsLog } from '../../src/events/nats/index.js';
import { type CollectedEvent, type EventLog, type LogBatch, LogFullError } from '../../src/events/types.js';
import { deleteStream, natsAvailable, natsUrl, trackEvent, uniqueLog } from './nats-support.js';

const opened: EventLog[] = [];
const streams: string[] = [];

async function open(options: ReturnType<typeof uniqueLog>): Promise<EventLog> {
  if (!streams.includes(options.stream)) streams.push(options.stream);
  const log = await openNatsLog(natsUrl, options);
  opened.push(log);
  return log;
}

/** Reads until `count` events came or a read came back empty. */
async function readAll(log: EventLog, count: number) {
  const events: CollectedEvent[] = [];
  const batches: LogBatch[] = [];
  while (events.length < count) {
    const batch = await log.read(count - events.length, 1000);
    if (batch.events.length === 0) break;
    events.push(...batch.events);
    batches.push(batch);
  }
  return { events, ackAll: () => Promise.all(batches.map((b) => b.ack())) };
}

afterEach(async () => {
  for (const log of opened.splice(0)) await log.close();
  for (const stream of streams.splice(0)) await deleteStream(stream);
});

describe('openNatsLog', () => {
  it('names the server it cannot reach', async () => {
    const failure = await openNatsLog('nats://127.0.0.1:1', uniqueLog()).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/Cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
  });
});

describe.runIf(natsAvailable)('NATS JetStream event log', () => {
  it('reads back what was appended, whole, and forgets it once acked', async () => {
    const log = await open(uniqueLog());
    const event = {
      ...trackEvent('m-1', 'web', { amount: 12.5, tags: ['a'], nested: { ok: true } }),
      userId: 'u1',
    };
    await log.append([event, trackEvent('m-2')]);
    expect(await log.stats()).toMatchObject({ pending: 2 });
    const batch = await log.read(10, 1000);
    expect(batch.events).toEqual([event, trackEvent('m-2')]);
    await batch.ack();
    await batch.ack(); // idempotent
    expect((await log.stats()).pending).toBe(0);
    expect((await log.read(10, 1000)).events).toEqual([]);
  });

  it('stores a repeated messageId once (a client retry)', async () => {
    const log = await open(uniqueLog());
    await log.append([trackEvent('same'), trackEvent('other')]);
    await log.append([trackEvent('same', 'web', { retried: true })]);
    const { events } = await readAll(log, 3);
    expect(events.map((e) => e.messageId)).toEqual(['same', 'other']);
    expect(events[0]?.properties).toEqual({});
  });

  it('hands a batch that was read but never acked to the next reader when the first closes', async () => {
    const options = uniqueLog();
    const first = await open(options);
    await first.append([trackEvent('a'), trackEvent('b')]);
    expect((await first.read(10, 1000)).events).toHaveLength(2);
    await first.close(); // the lander stopped before landing the batch
    const second = await open(options);
    const { events, ackAll } = await readAll(second, 2);
    expect(events.map((e) => e.messageId)).toEqual(['a', 'b']);
    await ackAll();
    expect((await second.stats()).pending).toBe(0);
  });

  it('redelivers a batch whose reader went silent (died) once the ack wait passes', async () => {
    const options = uniqueLog({ ackWaitMs: 1000 });
    const silent = await open(options);
    await silent.append([trackEvent('x'), trackEvent('y')]);
    expect((await silent.read(10, 1000)).events).toHaveLength(2); // never acked, never closed
    const survivor = await open(options);
    const { events } = await readAll(survivor, 2);
    expect(events.map((e) => e.messageId).sort()).toEqual(['x', 'y']);
  });

  it('takes appends from two producers into one consumer, in order within each source', async () => {
    const options = uniqueLog();
    const [one, two, lander] = [await open(options), await open(options), await open(options)];
    const ids = (p: string) => Array.from({ length: 20 }, (_, i) => `${p}-${String(i).padStart(2, '0')}`);
    await Promise.all([
      (async () => {
        for (const id of ids('web')) await one.append([trackEvent(id, 'web')]);
      })(),
      two.append(ids('app').map((id) => trackEvent(id, 'app'))),
    ]);
    const { events, ackAll } = await readAll(lander, 40);
    expect(events.filter((e) => e.source === 'web').map((e) => e.messageId)).toEqual(ids('web'));
    expect(events.filter((e) => e.source === 'app').map((e) => e.messageId)).toEqual(ids('app'));
    await ackAll();
    expect((await lander.stats()).pending).toBe(0);
  });

  it('refuses appends with LogFullError once the stream is full, and takes them again after landing', async () => {
    const log = await open(uniqueLog({ maxBytes: 4096 }));
    const big = (id: string) => trackEvent(id, 'web', { text: 'x'.repeat(900) });
    let refused: unknown;
    const stored: string[] = [];
    for (let i = 0; i < 10 && !refused; i++) {
      try {
        await log.append([big(`e${i}`)]);
        stored.push(`e${i}`);
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toBeInstanceOf(LogFullError);
    expect((refused as Error).message).toMatch(/stream is full/);
    const { events, ackAll } = await readAll(log, stored.length);
    expect(events.map((e) => e.messageId)).toEqual(stored);
    await ackAll();
    await log.append([big('after')]);
    expect((await log.read(5, 1000)).events.map((e) => e.messageId)).toEqual(['after']);
  });

  it('refuses appends with LogFullError when the stream is gone, with the server reason', async () => {
    const options = uniqueLog();
    const log = await open(options);
    await deleteStream(options.stream);
    const refused = await log.append([trackEvent('lost')]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LogFullError);
    // NATS 2.9 answers "jetstream is not enabled" for a subject no stream takes any more.
    expect((refused as Error).message).toMatch(
      /^NATS JetStream refused the events \(JetStream did not acknowledge: stream WEFT_TEST_\w+: \S.*\); retry later$/,
    );
  });
});
