#!/usr/bin/env node
// The collector (weft serve, embedded log, DuckDB): sustained /v1/batch throughput with durable
// acks (100 events per request), p99 ack latency at 5,000 events/s, acknowledged → landed in
// DuckDB (committed, queryable) p99 at 5,000 events/s, and the process's peak RSS. The floor: the
// same requests answered by a bare node:http server that parses the JSON and fsyncs nothing.
// Prints one markdown section. Needs `npm run build`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../dist/src/config/project.js';
import { startCollector } from '../dist/src/serve/collector.js';

const KEY = 'bench-write-key-0000';
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-collector-'));
writeFileSync(
  path.join(dir, 'weft.yml'),
  `name: bench\nwarehouse:\n  type: duckdb\n  path: wh.duckdb\nevents:\n  landing_interval_ms: 1000\n  sources:\n    bench:\n      write_key: "${KEY}"\n`,
);
const { project } = await loadProject(dir);
const ackedAt = new Map();
const landedLatency = [];
const collector = await startCollector(project, {
  port: 0,
  lander: {
    onLanded: (events) => {
      const now = performance.now();
      for (const e of events) {
        const at = ackedAt.get(e.messageId);
        if (at !== undefined) {
          landedLatency.push(now - at);
          ackedAt.delete(e.messageId);
        }
      }
    },
  },
});
let peakRss = 0;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const auth = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
let seq = 0;

function body(track) {
  const batch = [];
  for (let i = 0; i < 100; i++) {
    const messageId = `b-${seq++}`;
    batch.push({
      type: 'track',
      userId: `u${seq % 1000}`,
      event: 'Bench Event',
      messageId,
      properties: { n: seq, plan: 'pro' },
    });
  }
  return { text: JSON.stringify({ batch }), ids: track ? batch.map((b) => b.messageId) : [] };
}

function post(url, text) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/v1/batch`,
      { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function sustained(url, seconds, concurrency) {
  const until = performance.now() + seconds * 1000;
  let events = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const status = await post(url, body(false).text);
        if (status === 200) events += 100;
        else refused++;
      }
    }),
  );
  return { rate: events / ((performance.now() - started) / 1000), refused };
}

async function paced(url, seconds, eventsPerSecond) {
  const requests = Math.round((seconds * eventsPerSecond) / 100);
  const gap = 1000 / (eventsPerSecond / 100);
  const latencies = [];
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < requests; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const { text, ids } = body(true);
    const t0 = performance.now();
    inflight.push(
      post(url, text).then((status) => {
        const t1 = performance.now();
        latencies.push(t1 - t0);
        if (status === 200) for (const id of ids) ackedAt.set(id, t1);
      }),
    );
  }
  await Promise.all(inflight);
  return latencies;
}

const p = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

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
const floorUrl = `http://127.0.0.1:${floor.address().port}`;
process.stderr.write('floor…\n');
const floorRun = await sustained(floorUrl, 5, 16);
floor.close();

process.stderr.write('sustained…\n');
const run = await sustained(collector.url, 10, 16);
// Let the lander catch up before the paced run.
for (let i = 0; i < 600 && (await collector.log.stats()).pending > 0; i++)
  await new Promise((r) => setTimeout(r, 100));
process.stderr.write('paced 5,000 events/s…\n');
const acks = await paced(collector.url, 15, 5000);
for (let i = 0; i < 600 && ackedAt.size > 0; i++) await new Promise((r) => setTimeout(r, 100));
clearInterval(rssTimer);
await collector.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => `${n.toFixed(1)} ms`;
const goal = (ok) => (ok ? 'met' : '**MISSED**');
console.log(`## Collector: weft serve, embedded log → DuckDB

\`node bench/collector.mjs\` (in-process server and client on the same machine; 100 events per /v1/batch request, fdatasync group commit on every ack).

| measure | weft serve | floor (node:http, JSON.parse, no log) | goal |
|---|---|---|---|
| sustained, 16 concurrent requests, 10 s | ${fmt(run.rate)} events/s (${run.refused} refused) | ${fmt(floorRun.rate)} events/s | ≥ 20,000 events/s: ${goal(run.rate >= 20000)} |
| ack latency at 5,000 events/s (15 s) | p50 ${ms(p(acks, 0.5))}, p99 ${ms(p(acks, 0.99))} | – | p99 < 25 ms: ${goal(p(acks, 0.99) < 25)} |
| acknowledged → landed in DuckDB at 5,000 events/s | p50 ${ms(p(landedLatency, 0.5))}, p99 ${ms(p(landedLatency, 0.99))} (${fmt(landedLatency.length)} events) | – | p99 < 10 s: ${goal(p(landedLatency, 0.99) < 10000)} |
| peak RSS of the process (server + lander + client) | ${fmt(peakRss / 2 ** 20)} MiB | – | bounded |
`);
