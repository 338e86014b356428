#!/usr/bin/env node
import { fork } from 'node:child_process';
// The collector (weft serve, embedded log, DuckDB): sustained /v1/batch throughput with durable
// acks (100 events per request), p99 ack latency at 5,000 events/s, acknowledged → landed in
// DuckDB (committed, queryable) p99 at 5,000 events/s, and the process's peak RSS. The floor: the
// same requests answered by a bare node:http server that parses the JSON and fsyncs nothing.
// Prints one markdown section. Needs `npm run build`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../dist/src/config/project.js';
import { startCollector } from '../dist/src/serve/collector.js';

const KEY = 'bench-write-key-0000';
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-collector-'));
writeFileSync(
  path.join(dir, 'weft.yml'),
  `name: bench\nwarehouse:\n  type: duckdb\n  path: wh.duckdb\nevents:\n  landing_interval_ms: 1000\n  sources:\n    bench:\n      write_key: "${KEY}"\n`,
);
const { project } = await loadProject(dir);
// Landed batches as they come ([messageIds, at]); matched to acks after the run, so the bench's
// own bookkeeping costs the collector's thread as little as possible.
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
const auth = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;

// The load generator runs in a process of its own (bench/lib/collector-client.mjs).
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
landedBatches.length = 0;
process.stderr.write('paced 5,000 events/s…\n');
// How long the collector's event loop was blocked: separates our own stalls from the disk's fsync.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const commitsBefore = collector.log.commits;
recordCommits = true;
const pacedRun = await paced(collector.url, 15, 5000);
loopDelay.disable();
recordCommits = false;
const commits = collector.log.commits - commitsBefore;
const acks = pacedRun.latencies;
const landedLatency = [];
const landedAt = new Map();
let matched = 0;
for (let i = 0; i < 600; i++) {
  for (const [ids, at] of landedBatches.splice(0)) for (const id of ids) landedAt.set(id, at);
  matched = pacedRun.acked.filter(([id]) => landedAt.has(id)).length;
  if (matched === pacedRun.acked.length) break;
  await new Promise((r) => setTimeout(r, 100));
}
for (const [id, at] of pacedRun.acked) {
  const landed = landedAt.get(id);
  if (landed !== undefined) landedLatency.push(landed - at);
}
const notLanded = pacedRun.acked.length - landedLatency.length;
clearInterval(rssTimer);
client.kill();
await collector.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => `${n.toFixed(1)} ms`;
const goal = (ok) => (ok ? 'met' : '**MISSED**');
console.log(`## Collector: weft serve, embedded log → DuckDB

\`node bench/collector.mjs\` (the collector in one process, landing in its worker thread; the load generator in another process on the same machine, load average ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')} at the end; 100 events per /v1/batch request, fdatasync group commit on every ack).

| measure | weft serve | floor (node:http, JSON.parse, no log) | goal |
|---|---|---|---|
| sustained, 16 concurrent requests, 10 s | ${fmt(run.rate)} events/s (${run.refused} refused) | ${fmt(floorRun.rate)} events/s | ≥ 20,000 events/s: ${goal(run.rate >= 20000)} |
| ack latency at 5,000 events/s (15 s) | p50 ${ms(p(acks, 0.5))}, p99 ${ms(p(acks, 0.99))} (${pacedRun.refused} requests refused) | – | p99 < 25 ms: ${goal(p(acks, 0.99) < 25)} |
| collector event-loop delay during that run | p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)} | – | – |
| group commit (write + fdatasync) during that run | p50 ${ms(p(commitMs, 0.5))}, p99 ${ms(p(commitMs, 0.99))}, max ${ms(Math.max(...commitMs))} (${fmt(commits)} commits for ${fmt(pacedRun.latencies.length)} requests) | – | – |
| acknowledged → landed in DuckDB at 5,000 events/s | p50 ${ms(p(landedLatency, 0.5))}, p99 ${ms(p(landedLatency, 0.99))} (${fmt(landedLatency.length)} events${notLanded ? `, ${fmt(notLanded)} not landed within 60 s` : ''}) | – | p99 < 10 s: ${goal(notLanded === 0 && p(landedLatency, 0.99) < 10000)} |
| peak RSS of the collector process (server + landing worker thread) | ${fmt(peakRss / 2 ** 20)} MiB | – | bounded |
`);
