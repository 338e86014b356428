#!/usr/bin/env node
// Live identity: how soon an `identify` is visible in the profile API after its ack. A `weft
// serve` collector (in this process: embedded log, DuckDB lander) over the embedded store, then
// over Redis (127.0.0.1:6379, skipped when unreachable); for each of N visitors (default 1,000;
// LIVE_BENCH_N) a page view, then an identify (anonymous id + user id + email), one visitor at
// a time, at most RATE/s (default 50; LIVE_BENCH_RATE); after each identify's 200, GET /v1/profiles/user_id:<id> is
// polled every 5 ms until it answers the stitched profile (the anonymous id among its
// identifiers). Prints one markdown section with p50 / p99 / max. Not in the default suite
// (`node bench/live-identity.mjs`). Needs `npm run build`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../dist/src/config/project.js';
import { startCollector } from '../dist/src/serve/collector.js';

const N = Number(process.env.LIVE_BENCH_N ?? 1000);
const RATE = Number(process.env.LIVE_BENCH_RATE ?? 50);
const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POLL_MS = 5;
const VIEWER = 'bench-viewer-key-live-000';
const WRITE_KEY = 'bench-write-key-live-0000';
const log = (line) => process.stderr.write(`${line}\n`);

function writeProject(dir, store) {
  writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: live_bench
schema: weft
warehouse:
  type: duckdb
  path: wh.duckdb
events:
  schema: events
  landing_interval_ms: 500
  sources:
    web: { write_key: ${WRITE_KEY} }
serve:
  viewer_key: ${VIEWER}
  store: "${store}"
  store_prefix: "weft-bench:live-${process.pid}"
`,
  );
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  writeFileSync(
    path.join(dir, 'models', 'sources.yml'),
    'sources:\n  events:\n    schema: events\n    tables: [pages, identifies]\n',
  );
  writeFileSync(
    path.join(dir, 'models', 'identity.yml'),
    `identity:
  id_types:
    user_id: {}
    email: { normalize: email }
    anonymous_id: {}
  sources:
    - from: events.identifies
      key: id
      ids: { user_id: user_id, anonymous_id: anonymous_id, email: email }
      timestamp: timestamp
`,
  );
}

const auth = { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}` };

async function post(url, kind, body) {
  const response = await fetch(`${url}/v1/${kind}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${kind} answered ${response.status}`);
  await response.arrayBuffer();
}

async function visibleAfterAck(url, i) {
  const anonymousId = `anon-${process.pid}-${i}`;
  const userId = `user-${process.pid}-${i}`;
  await post(url, 'page', { anonymousId, name: 'Pricing' });
  await post(url, 'identify', { anonymousId, userId, traits: { email: `person${i}@corp.example.io` } });
  const acked = performance.now();
  for (;;) {
    const response = await fetch(`${url}/v1/profiles/user_id:${userId}`, {
      headers: { authorization: `Bearer ${VIEWER}` },
    });
    if (response.status === 200) {
      const body = await response.json();
      if (body.identifiers.some((id) => id.type === 'anonymous_id')) {
        const visible = performance.now() - acked;
        // The floor, side by side: the same GET once the profile is stored (no stitching to wait for).
        const t0 = performance.now();
        const again = await fetch(`${url}/v1/profiles/user_id:${userId}`, {
          headers: { authorization: `Bearer ${VIEWER}` },
        });
        await again.arrayBuffer();
        if (again.status !== 200) throw new Error(`stored profile ${i} answered ${again.status}`);
        return { visible, floor: performance.now() - t0 };
      }
    } else await response.arrayBuffer();
    if (performance.now() - acked > 10_000) throw new Error(`identify ${i} not visible after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(name, store) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-live-bench-'));
  try {
    writeProject(dir, store);
    const { project, issues } = await loadProject(dir);
    if (!project) throw new Error(JSON.stringify(issues));
    const collector = await startCollector(project, { port: 0, say: log });
    const latencies = [];
    const floors = [];
    try {
      // closed loop (one visitor at a time, at most RATE/s): pollers never pile up on the cores
      const started = performance.now();
      for (let i = 0; i < N; i++) {
        const wait = started + (i * 1000) / RATE - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const { visible, floor } = await visibleAfterAck(collector.url, i);
        latencies.push(visible);
        floors.push(floor);
      }
    } finally {
      if (name === 'redis') {
        const prefix = `weft-bench:live-${process.pid}:live:`;
        const { Redis } = await import('ioredis');
        const redis = new Redis(REDIS_URL);
        for (;;) {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length === 0) break;
          await redis.del(...keys.slice(0, 1000));
        }
        redis.disconnect();
      }
      await collector.close();
    }
    latencies.sort((a, b) => a - b);
    floors.sort((a, b) => a - b);
    return {
      name,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      floor: { p50: percentile(floors, 50), p99: percentile(floors, 99), max: floors.at(-1) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function redisReachable() {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const loadBefore = os
  .loadavg()
  .map((v) => v.toFixed(2))
  .join(', ');
const rows = [];
log(`live identity: ${N} visitors, identifies at ${RATE}/s`);
rows.push(await run('embedded', 'embedded'));
if (await redisReachable()) rows.push(await run('redis', REDIS_URL));
else log(`Redis at ${REDIS_URL} unreachable: skipped`);
const ms = (v) => `${v.toFixed(1)} ms`;
const loadAfter = os
  .loadavg()
  .map((v) => v.toFixed(2))
  .join(', ');
console.log(`## Live identity: an identify visible in the profile API

\`node bench/live-identity.mjs\`, ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, Node ${process.version}; load average ${loadBefore} before, ${loadAfter} after.
${N} visitors one after the other (a page view, then an identify with a user id and an email), at most ${RATE}/s;
time from the identify's 200 to GET /v1/profiles/user_id:… answering the stitched profile
(polled every ${POLL_MS} ms, so figures include up to ${POLL_MS} ms of polling). Floor, side by side: the
same GET once that profile is stored (what the answer costs with no stitching to wait for).

| store | p50 | p99 | max | floor: GET of the stored profile p50 / p99 / max |
|---|---|---|---|---|
${rows.map((r) => `| ${r.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.floor.p50)} / ${ms(r.floor.p99)} / ${ms(r.floor.max)} |`).join('\n')}
`);
