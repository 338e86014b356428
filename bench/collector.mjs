#!/usr/bin/env node
// The collector (weft serve → DuckDB), on its embedded log and on NATS JetStream: sustained
// /v1/batch throughput with durable acks (100 events per request), ack latency at 5,000
// events/s, acknowledged → landed in DuckDB (committed, queryable) at 5,000 events/s, and the
// collector's peak RSS. The floor: the same requests answered by a bare node:http server that
// parses the JSON and stores nothing. The load generator is a process of its own
// (bench/lib/collector-client.mjs). Prints one markdown section. Needs `npm run build`;
// the NATS rows need a JetStream server (WEFT_BENCH_NATS_URL, default nats://127.0.0.1:4222).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { loadProject } from '../dist/src/config/project.js';
import { startCollector } from '../dist/src/serve/collector.js';

const KEY = 'bench-write-key-0000';
const auth = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
const natsUrl = process.env.WEFT_BENCH_NATS_URL || 'nats://127.0.0.1:4222';

// The load generator runs in a process of its own.
const client = fork(fileURLToPath(new URL('./lib/collector-client.mjs', import.meta.url)));
const ask = (task) =>
  new Promise((resolve) => {
    client.once('message', resolve);
    client.send(task);
  });
const sustained = (url, seconds, concurrency) => ask({ kind: 'sustained', url, auth, seconds, concurrency });
const paced = (url, seconds, eventsPerSecond) => ask({ kind: 'paced', url, auth, seconds, eventsPerSecond });
const p = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/**
 * Waits (up to 60 s) until every acknowledged [messageId, at] has landed, then answers each
 * landed one's acknowledged → landed milliseconds. `landedBatches` fills as batches land.
 */
async function landedLatencies(acked, landedBatches) {
  const landedAt = new Map();
  for (let i = 0; i < 600; i++) {
    for (const [ids, at] of landedBatches.splice(0)) for (const id of ids) landedAt.set(id, at);
    if (acked.every(([id]) => landedAt.has(id))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const latencies = [];
  for (const [id, at] of acked) {
    const landed = landedAt.get(id);
    if (landed !== undefined) latencies.push(landed - at);
  }
  return latencies;
}

/** Runs the sustained and paced measures against a collector on `log` ('embedded' or a NATS stream). */
async function measure(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-collector-'));
  const stream = `BENCH_${process.pid}`;
  const logLines = log === 'nats' ? `  log: "${natsUrl}"\n  nats:\n    stream: ${stream}\n` : '';
  writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: bench\nwarehouse:\n  type: duckdb\n  path: wh.duckdb\nevents:\n${logLines}  landing_interval_ms: 1000\n  sources:\n    bench:\n      write_key: "${KEY}"\n`,
  );
  const { project } = await loadProject(dir);
  // Landed batches as they come ([messageIds, at]); matched to acks after the run, so the
  // bench's own bookkeeping costs the collector's thread as little as possible.
  const landedBatches = [];
  const commitMs = [];
  let recordCommits = false;
  const collector = await startCollector(project, {
    port: 0,
    log: {
      onCommit: (_events, ms) => {
        if (recordCommits) commitMs.push(ms);
      },
    },
    lander: {
      reportMessageIds: true,
      onLanded: ({ messageIds }) => {
        landedBatches.push([messageIds ?? [], performance.timeOrigin + performance.now()]);
      },
    },
  });
  let peakRss = 0;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);

  process.stderr.write(`${log}: sustained…\n`);
  const run = await sustained(collector.url, 10, 16);
  // Let the lander catch up before the paced run.
  for (let i = 0; i < 600 && (await collector.log.stats()).pending > 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  landedBatches.length = 0;
  process.stderr.write(`${log}: paced 5,000 events/s…\n`);
  // How long the collector's event loop was blocked: separates our own stalls from fsync's.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const commitsBefore = collector.log.commits ?? 0;
  recordCommits = true;
  const pacedRun = await paced(collector.url, 15, 5000);
  loopDelay.disable();
  recordCommits = false;
  const commits = (collector.log.commits ?? 0) - commitsBefore;
  const landedLatency = await landedLatencies(pacedRun.acked, landedBatches);
  clearInterval(rssTimer);
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
  if (log === 'nats') {
    const nc = await connect({ servers: natsUrl });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
  return {
    run,
    pacedRun,
    acks: pacedRun.latencies,
    loopDelay,
    commitMs,
    commits,
    landedLatency,
    notLanded: pacedRun.acked.length - landedLatency.length,
    peakRss,
  };
}

const mqttUrl = process.env.WEFT_TEST_MQTT_URL || 'mqtt://127.0.0.1:1883';
const MQTT_RATE = 2000;

/** MQTT devices → weft (embedded log) → DuckDB: publish → landed at MQTT_RATE readings a second. */
async function measureMqtt() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-mqtt-'));
  const root = `weftbench${process.pid}`;
  writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: bench\nwarehouse:\n  type: duckdb\n  path: wh.duckdb\nevents:\n  landing_interval_ms: 1000\n  sources:\n    bench:\n      write_key: "${KEY}"\n  mqtt:\n    url: ${mqttUrl}\n    topics:\n      - topic: ${root}/+/reading\n        source: meters\n        event: Meter Reading\n        device_id: topic:2\n        timestamp: ts\n        message_id: id\n`,
  );
  const { project } = await loadProject(dir);
  const landedBatches = [];
  const collector = await startCollector(project, {
    port: 0,
    lander: {
      reportMessageIds: true,
      onLanded: ({ messageIds }) => {
        landedBatches.push([messageIds ?? [], performance.timeOrigin + performance.now()]);
      },
    },
  });
  process.stderr.write(`mqtt: ${MQTT_RATE} readings/s…\n`);
  const run = await ask({ kind: 'mqtt', mqttUrl, root, seconds: 15, rate: MQTT_RATE });
  const landedLatency = await landedLatencies(run.acked, landedBatches);
  const received = collector.mqtt?.received ?? 0;
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
  return { ...run, received, landedLatency, notLanded: run.acked.length - landedLatency.length };
}

async function mqttReachable() {
  try {
    const { default: mqtt } = await import('mqtt');
    const probe = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0, connectTimeout: 2000 });
    await probe.endAsync();
    return true;
  } catch {
    return false;
  }
}

async function natsReachable() {
  try {
    const nc = await connect({ servers: natsUrl, timeout: 2000 });
    await (await jetstreamManager(nc)).getAccountInfo();
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

// The floor: parse and answer, no log, no fsync.
const floor = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.end('{"success":true}');
  });
});
await new Promise((r) => floor.listen(0, '127.0.0.1', r));
process.stderr.write('floor…\n');
const floorRun = await sustained(`http://127.0.0.1:${floor.address().port}`, 5, 16);
floor.close();

// WEFT_BENCH_LOGS=nats (or embedded, mqtt) measures some only (for profiling one of them).
const logs = (process.env.WEFT_BENCH_LOGS || 'embedded,nats,mqtt').split(',');
const embedded = logs.includes('embedded') ? await measure('embedded') : undefined;
const nats = logs.includes('nats') && (await natsReachable()) ? await measure('nats') : undefined;
const mqttRun = logs.includes('mqtt') && (await mqttReachable()) ? await measureMqtt() : undefined;
client.kill();

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => `${n.toFixed(1)} ms`;
const goal = (ok) => (ok ? 'met' : '**MISSED**');
const cell = (m, f) => (m ? f(m) : 'not run');
const rows = [
  [
    'sustained, 16 concurrent requests, 10 s (events/s acknowledged)',
    (m) => `${fmt(m.run.rate)} (${m.run.refused} requests refused)`,
    `${fmt(floorRun.rate)}`,
    (m) => `≥ 20,000: ${goal(m.run.rate >= 20000)}`,
  ],
  [
    'ack latency at 5,000 events/s (15 s)',
    (m) => `p50 ${ms(p(m.acks, 0.5))}, p99 ${ms(p(m.acks, 0.99))} (${m.pacedRun.refused} requests refused)`,
    '–',
    (m) => `p99 < 25 ms: ${goal(p(m.acks, 0.99) < 25 && m.pacedRun.refused === 0)}`,
  ],
  [
    'collector event-loop delay during that run',
    (m) => `p99 ${ms(m.loopDelay.percentile(99) / 1e6)}, max ${ms(m.loopDelay.max / 1e6)}`,
    '–',
    () => '–',
  ],
  [
    'group commit (write + fdatasync) during that run',
    (m) =>
      m.commitMs.length
        ? `p50 ${ms(p(m.commitMs, 0.5))}, p99 ${ms(p(m.commitMs, 0.99))}, max ${ms(Math.max(...m.commitMs))} (${fmt(m.commits)} commits for ${fmt(m.pacedRun.latencies.length)} requests)`
        : '– (JetStream stores each event: one PubAck each)',
    '–',
    () => '–',
  ],
  [
    'acknowledged → landed in DuckDB at 5,000 events/s',
    (m) =>
      `p50 ${ms(p(m.landedLatency, 0.5))}, p99 ${ms(p(m.landedLatency, 0.99))} (${fmt(m.landedLatency.length)} events${m.notLanded ? `, ${fmt(m.notLanded)} not landed within 60 s` : ''})`,
    '–',
    (m) => `p99 < 10 s: ${goal(m.notLanded === 0 && p(m.landedLatency, 0.99) < 10000)}`,
  ],
  [
    'peak RSS of the collector process (server + landing worker thread)',
    (m) => `${fmt(m.peakRss / 2 ** 20)} MiB`,
    '–',
    () => 'bounded',
  ],
];
console.log(`## Collector: weft serve → DuckDB, embedded log and NATS JetStream

\`node bench/collector.mjs\`: the collector in one process (landing in its worker thread), the load generator in another, on the same machine; 100 events per /v1/batch request; every ack waits for durability (embedded: the group-committed fdatasync; NATS: every event's PubAck). Load average ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')} at the end.

| measure | embedded log | NATS JetStream | floor (node:http, JSON.parse, nothing stored) | goal |
|---|---|---|---|---|
${rows.map(([name, value, floorCell, target]) => `| ${name} | ${cell(embedded, value)} | ${cell(nats, value)} | ${floorCell} | embedded ${cell(embedded, target)}; NATS ${cell(nats, target)} |`).join('\n')}
`);

if (mqttRun) {
  const rate = mqttRun.acked.length / mqttRun.seconds;
  const notLandedNote = mqttRun.notLanded ? `, ${fmt(mqttRun.notLanded)} not landed within 60 s` : '';
  console.log(`MQTT devices → weft serve (embedded log) → DuckDB: one publisher sends ${fmt(MQTT_RATE)} QoS 1 readings a second for 15 s over 500 device topics; weft PUBACKs each only once it is durable in the log (Mosquitto keeps 20 unacknowledged QoS 1 messages in flight per subscriber).

| measure | value | goal |
|---|---|---|
| readings acknowledged by the broker to the publisher | ${fmt(mqttRun.acked.length)} (${fmt(rate)}/s, ${mqttRun.failed} failed) | – |
| readings weft received and stored durably | ${fmt(mqttRun.received)}${mqttRun.received < mqttRun.acked.length ? ` (the broker dropped ${fmt(mqttRun.acked.length - mqttRun.received)}: its queue for a subscriber that falls behind holds 1,000 QoS 1 messages by default, \`max_queued_messages\`)` : ''} | all |
| published → landed in DuckDB | p50 ${ms(p(mqttRun.landedLatency, 0.5))}, p99 ${ms(p(mqttRun.landedLatency, 0.99))} (${fmt(mqttRun.landedLatency.length)} readings${notLandedNote}) | p99 < 10 s: ${goal(mqttRun.notLanded === 0 && p(mqttRun.landedLatency, 0.99) < 10000)} |
`);
}
