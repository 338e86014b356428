#!/usr/bin/env node
// Benchmark: the live-event paths of issue 14 this machine can run without the collector:
// the NATS JetStream event log (append with durable PubAcks in 100-event batches, p99 append
// latency at a fixed 5,000 events/s, read→ack throughput) and MQTT ingestion (messages/s from
// Mosquitto into the log), each beside its floor (the same work with the bare client library).
// Prints a markdown section on stdout (progress on stderr). Needs `npm run build`, NATS on
// WEFT_TEST_NATS_URL (default nats://127.0.0.1:4222), Mosquitto on WEFT_TEST_MQTT_URL
// (default mqtt://127.0.0.1:1883). WEFT_BENCH_EVENTS sets the event count (default 50,000).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import mqtt from 'mqtt';

const NATS_URL = process.env.WEFT_TEST_NATS_URL || 'nats://127.0.0.1:4222';
const MQTT_URL = process.env.WEFT_TEST_MQTT_URL || 'mqtt://127.0.0.1:1883';
const EVENTS = Number(process.env.WEFT_BENCH_EVENTS ?? 50_000);
const BATCH = 100;
const IN_FLIGHT = 8; // concurrent appends, as concurrent /v1/batch requests would be
const RATE = 5_000;
const LOW_RATE = 1_000; // what a loaded 2-core machine sustains, for comparison
const RATE_SECONDS = 10;
const MQTT_MESSAGES = Math.min(EVENTS, 20_000);
const MQTT_AHEAD = 500; // below Mosquitto's default max_queued_messages (1000), which drops beyond

const progress = (m) => process.stderr.write(`[live-events] ${m}\n`);
const { openNatsLog } = await import(new URL('../dist/src/events/nats/index.js', import.meta.url).href);
const { startMqttIngest } = await import(new URL('../dist/src/events/mqtt/index.js', import.meta.url).href);

const event = (i, source = 'web') => ({
  messageId: `bench-${i}-${randomBytes(4).toString('hex')}`,
  type: 'track',
  source,
  anonymousId: `anon-${i % 1000}`,
  event: 'Product Viewed',
  properties: { product_id: `p-${i % 500}`, price: 19.99, currency: 'EUR', position: i % 20 },
  context: { library: { name: 'analytics-node', version: '2.1.0' }, ip: '10.0.0.1' },
  timestamp: '2026-01-01T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.010Z',
});
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => `${n.toFixed(1)} ms`;
const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const sleep = (t) => new Promise((r) => setTimeout(r, t));

async function withStream(body) {
  const id = randomBytes(4).toString('hex');
  const options = { stream: `WEFT_BENCH_${id}`, subjectPrefix: `weft_bench.${id}`, consumer: 'lander' };
  try {
    return await body(options);
  } finally {
    const nc = await connect({ servers: NATS_URL });
    await (await jetstreamManager(nc)).streams.delete(options.stream).catch(() => undefined);
    await nc.close();
  }
}

/** Appends `events` in batches of 100 with IN_FLIGHT appends at a time; events/s. */
async function appendThroughput(log, events) {
  const batches = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches.length) await log.append(batches[next++]);
    }),
  );
  return events.length / ((performance.now() - t0) / 1000);
}

/** The floor: the same messages published with nats.js directly, all in flight, PubAcks awaited. */
async function rawPublishThroughput(events) {
  return withStream(async (options) => {
    const log = await openNatsLog(NATS_URL, options); // creates the stream
    await log.close();
    const nc = await connect({ servers: NATS_URL });
    const js = jetstream(nc);
    const encoder = new TextEncoder();
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += BATCH * IN_FLIGHT) {
      const slice = events.slice(i, i + BATCH * IN_FLIGHT);
      await Promise.all(
        slice.map((e) =>
          js.publish(`${options.subjectPrefix}.web`, encoder.encode(JSON.stringify(e)), {
            msgID: e.messageId,
          }),
        ),
      );
    }
    const rate = events.length / ((performance.now() - t0) / 1000);
    await nc.close();
    return rate;
  });
}

/** One 100-event append every 20 ms for RATE_SECONDS (open loop); append latencies. */
async function latencyAtRate(log, rate = RATE) {
  const RATE_HERE = rate;
  const latencies = [];
  const pending = [];
  let refused = 0; // appends that timed out (not acknowledged within 5 s): the rate was not sustained
  const interval = (1000 * BATCH) / RATE_HERE;
  const start = performance.now();
  for (let k = 0; k < (RATE_HERE * RATE_SECONDS) / BATCH; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const batch = Array.from({ length: BATCH }, (_, j) => event(k * BATCH + j));
    const t0 = performance.now();
    pending.push(
      log.append(batch).then(
        () => latencies.push(performance.now() - t0),
        () => refused++,
      ),
    );
  }
  await Promise.all(pending);
  const achieved = (latencies.length * BATCH) / ((performance.now() - start) / 1000);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), achieved, refused };
}

/** Reads (1,000 at a time) and acks until `count` events were consumed; events/s. */
async function readAckThroughput(log, count) {
  let seen = 0;
  const t0 = performance.now();
  while (seen < count) {
    const batch = await log.read(1000, 1000);
    if (batch.events.length === 0) break;
    seen += batch.events.length;
    await batch.ack();
  }
  return { rate: seen / ((performance.now() - t0) / 1000), seen };
}

async function natsSection() {
  progress('NATS: warm-up');
  await withStream(async (options) => {
    const log = await openNatsLog(NATS_URL, options);
    await appendThroughput(
      log,
      Array.from({ length: 2000 }, (_, i) => event(i)),
    );
    await log.close();
  });
  const events = Array.from({ length: EVENTS }, (_, i) => event(i, i % 2 ? 'web' : 'app'));
  progress(`NATS: appending ${fmt(EVENTS)} events`);
  const appended = await withStream(async (options) => {
    const log = await openNatsLog(NATS_URL, options);
    const rate = await appendThroughput(log, events);
    progress(`NATS: reading back`);
    const read = await readAckThroughput(log, EVENTS);
    await log.close();
    return { rate, read };
  });
  progress('NATS: floor (bare nats.js publish)');
  const floor = await rawPublishThroughput(events);
  progress(`NATS: ${RATE} events/s for ${RATE_SECONDS} s`);
  const latency = await withStream(async (options) => {
    const log = await openNatsLog(NATS_URL, options);
    const result = await latencyAtRate(log);
    await log.close();
    return result;
  });
  progress(`NATS: ${LOW_RATE} events/s for ${RATE_SECONDS} s`);
  const lowLatency = await withStream(async (options) => {
    const log = await openNatsLog(NATS_URL, options);
    const result = await latencyAtRate(log, LOW_RATE);
    await log.close();
    return result;
  });
  return { appended, floor, latency, lowLatency };
}

class CountingLog {
  count = 0;
  async append(events) {
    this.count += events.length;
  }
  async read() {
    return { count: 0, events: [], payloads: [], ack: async () => {} };
  }
  async stats() {
    return { pending: 0 };
  }
  async close() {}
}

/** Publishes `total` QoS 1 messages, staying at most MQTT_AHEAD ahead of `received()`; msgs/s. */
async function publishPaced(topicRoot, total, received) {
  const publisher = await mqtt.connectAsync(MQTT_URL, { reconnectPeriod: 0 });
  const t0 = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    while (i - received() >= MQTT_AHEAD) await sleep(1);
    inFlight.push(
      publisher.publishAsync(`${topicRoot}/m-${i % 100}/reading`, JSON.stringify({ seq: i, kwh: 1.25 }), {
        qos: 1,
      }),
    );
    if (inFlight.length >= 100) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const giveUp = performance.now() + 60_000;
  while (received() < total && performance.now() < giveUp) await sleep(5);
  const seconds = (performance.now() - t0) / 1000;
  await publisher.endAsync();
  return { rate: received() / seconds, received: received() };
}

async function mqttIngestRun(log) {
  const id = randomBytes(4).toString('hex');
  const root = `weft-bench/${id}`;
  const config = {
    url: MQTT_URL,
    client_id: `weft-bench-${id}`,
    topics: [
      {
        topic: `${root}/+/reading`,
        device_id: 'topic:3',
        event: 'Meter Reading',
        device_id_as: 'anonymous_id',
      },
    ],
  };
  const ingest = await startMqttIngest(config, log);
  const result = await publishPaced(root, MQTT_MESSAGES, () => ingest.received);
  await ingest.close();
  const cleanup = await mqtt.connectAsync(MQTT_URL, {
    clientId: config.client_id,
    clean: true,
    reconnectPeriod: 0,
  });
  await cleanup.endAsync();
  return result;
}

/** The floor: a bare mqtt.js QoS 1 subscriber (auto PUBACK, nothing stored). */
async function mqttFloor() {
  const root = `weft-bench/${randomBytes(4).toString('hex')}`;
  const subscriber = await mqtt.connectAsync(MQTT_URL, { reconnectPeriod: 0 });
  let count = 0;
  subscriber.on('message', () => {
    count++;
  });
  await subscriber.subscribeAsync(`${root}/+/reading`, { qos: 1 });
  const result = await publishPaced(root, MQTT_MESSAGES, () => count);
  await subscriber.endAsync();
  return result;
}

async function mqttSection() {
  progress(`MQTT: ${fmt(MQTT_MESSAGES)} messages into a counting log`);
  const memory = await mqttIngestRun(new CountingLog());
  progress('MQTT: into the NATS JetStream log');
  const durable = await withStream(async (options) => {
    const log = await openNatsLog(NATS_URL, options);
    try {
      return await mqttIngestRun(log);
    } finally {
      await log.close();
    }
  });
  progress('MQTT: floor (bare subscriber)');
  const floor = await mqttFloor();
  return { memory, durable, floor };
}

const nats = await natsSection();
const mq = await mqttSection();
const cpus = os.cpus();
const miss = (ok) => (ok ? 'met' : '**missed**');
const lines = [
  '## Live events: NATS JetStream log and MQTT ingestion',
  '',
  `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; ` +
    `NATS and Mosquitto on the same machine (${new Date().toISOString().slice(0, 10)}). \`node bench/live-events.mjs\`.`,
  '',
  `NATS JetStream log (\`src/events/nats\`): a file-stored work-queue stream, each event published with`,
  `\`Nats-Msg-Id\` and its PubAck awaited; ${fmt(EVENTS)} events of ~400 bytes, batches of ${BATCH}, ${IN_FLIGHT} appends in flight.`,
  '',
  '| measure | weft | floor | target |',
  '|---|---:|---:|---|',
  `| append, durable acks (events/s) | ${fmt(nats.appended.rate)} | ${fmt(nats.floor)} (bare nats.js publish, all in flight) | 20,000 (embedded-log target; none set for NATS): ${miss(nats.appended.rate >= 20_000)} |`,
  `| append latency at ${fmt(RATE)} events/s (${BATCH}-event appends) | p50 ${ms(nats.latency.p50)}, p99 ${ms(nats.latency.p99)} (acknowledged ${fmt(nats.latency.achieved)}/s${nats.latency.refused ? `, ${nats.latency.refused} appends refused` : ''}) | | p99 < 25 ms: ${miss(nats.latency.p99 < 25)} |`,
  `| append latency at ${fmt(LOW_RATE)} events/s | p50 ${ms(nats.lowLatency.p50)}, p99 ${ms(nats.lowLatency.p99)} (acknowledged ${fmt(nats.lowLatency.achieved)}/s${nats.lowLatency.refused ? `, ${nats.lowLatency.refused} appends refused` : ''}) | | |`,
  `| read→ack, one durable consumer (events/s) | ${fmt(nats.appended.read.rate)} (${fmt(nats.appended.read.seen)} read) | | |`,
  '',
  `MQTT ingestion (\`src/events/mqtt\`): ${fmt(MQTT_MESSAGES)} QoS 1 messages from one publisher kept ≤ ${MQTT_AHEAD} ahead`,
  "(Mosquitto's default `max_queued_messages` is 1,000: a broker drops QoS 1 messages beyond it for a slow or absent subscriber).",
  '',
  '| path | msgs/s | received |',
  '|---|---:|---:|',
  `| weft ingest → in-memory log (mapping, batching, PUBACK after append) | ${fmt(mq.memory.rate)} | ${fmt(mq.memory.received)} |`,
  `| weft ingest → NATS JetStream log (durable before PUBACK) | ${fmt(mq.durable.rate)} | ${fmt(mq.durable.received)} |`,
  `| floor: bare mqtt.js QoS 1 subscriber, nothing stored | ${fmt(mq.floor.rate)} | ${fmt(mq.floor.received)} |`,
  '',
  `Load average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.`,
  '',
  "Not measured here: acknowledged → queryable (p99 < 10 s) for both modes needs the collector's",
  'lander, which is built in parallel; its bench should run it over `openNatsLog` and MQTT.',
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
