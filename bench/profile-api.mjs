#!/usr/bin/env node
// The profile API over the serving store: N profiles (default 1,000,000; PROFILE_BENCH_N to
// change) made in DuckDB as a build would leave them (identity_map with 3 identifiers each,
// profiles with 7 traits, audience_members), then for the embedded store and for Redis
// (127.0.0.1:6379): the full load, a 1% incremental load (1% of profiles changed), and the
// latency of GET /v1/profiles/email:<address> at 2,000 requests/s (open loop, 15 s) against a
// `weft serve` in its own process. Floors: the same load against a bare node:http server
// answering a fixed profile (no store), and the store's own read in-process (no HTTP).
// Where the time goes, measured inside the server process during each run (the same for the
// floor): its CPU per request, its own time per request (request parsed → answer written), its
// event-loop delay and its GC pauses; and the load generator's own event-loop delay, so a
// tail that comes from the generator or the machine is told from one that comes from the server.
// Prints one markdown section. Needs `npm run build`.
import { spawn } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../dist/src/config/project.js';
import { identitySchema } from '../dist/src/config/schemas/identity.js';
import { loadServingStore } from '../dist/src/realtime/load/loader.js';
import { openEmbeddedStore } from '../dist/src/realtime/store/embedded.js';
import { projectNormalizer } from '../dist/src/realtime/store/open.js';
import { openRedisStore } from '../dist/src/realtime/store/redis.js';
import { startCollector } from '../dist/src/serve/collector.js';
import { openWarehouse } from '../dist/src/warehouse/registry.js';
import { openLoopGet } from './lib/http-load.mjs';
import { changeProfiles, makeProfileTables } from './lib/profile-tables.mjs';

const N = Number(process.env.PROFILE_BENCH_N ?? 1_000_000);
const RATE = 2000;
const SECONDS = 15;
const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const VIEWER = 'bench-viewer-key-000000';
const log = (line) => process.stderr.write(`${line}\n`);

async function benchProject(dir) {
  writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: bench\nwarehouse:\n  type: duckdb\n  path: wh.duckdb\nserve:\n  viewer_key: ${VIEWER}\n`,
  );
  const { project } = await loadProject(dir);
  // Parsed by the real schema, so every default (blocklist, junk list, limits) is what a user gets;
  // with identity configured, `weft serve` runs live identity too, as in production.
  project.identity = identitySchema.parse({
    id_types: { user_id: {}, email: { normalize: 'email' }, anonymous_id: {} },
    hub_threshold: 50,
    sources: [{ from: 'bench.rows', ids: { user_id: 'user_id' } }],
  });
  return project;
}

/**
 * What the server process measures of itself between `reset` and `stats` (lines on its stdin;
 * `stats` answers one JSON line on stdout): CPU, its time per request, event-loop delay, GC.
 */
function serverDiagnostics() {
  const times = [];
  const started = new WeakMap();
  diagnosticsChannel.subscribe('http.server.request.start', ({ request }) =>
    started.set(request, performance.now()),
  );
  diagnosticsChannel.subscribe('http.server.response.finish', ({ request }) => {
    const t0 = started.get(request);
    if (t0 !== undefined) times.push(performance.now() - t0);
  });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  let cpu = process.cpuUsage();
  const reset = () => {
    times.length = 0;
    gcs.length = 0;
    loop.reset();
    cpu = process.cpuUsage();
  };
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'reset') return reset();
    if (line !== 'stats') return;
    const used = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    process.stdout.write(
      `${JSON.stringify({
        requests: times.length,
        cpuUsPerRequest: (used.user + used.system) / Math.max(1, times.length),
        serverP99: percentile(times, 99),
        serverMax: times.at(-1) ?? 0,
        loopDelayP99: loop.percentile(99) / 1e6,
        loopDelayMax: loop.max / 1e6,
        gcCount: gcs.length,
        gcTotal: gcs.reduce((a, b) => a + b, 0),
        gcMax: Math.max(0, ...gcs),
      })}\n`,
    );
  });
}

/** Serving: `node bench/profile-api.mjs --serve DIR STORE` prints the URL, serves until killed. */
async function serveMode(dir, where) {
  serverDiagnostics();
  const project = await benchProject(dir);
  if (where === 'floor') {
    const body = JSON.stringify({
      profile_id: 'p1',
      identifiers: [{ type: 'email', value: 'person1@example.org' }],
      traits: { first_name: 'First1' },
      audiences: ['vip'],
    });
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
    return;
  }
  const store = openStore(project, dir, where);
  const collector = await startCollector(project, { port: 0, store, loadStore: false });
  process.stdout.write(`${collector.url}\n`);
}

function openStore(project, dir, where) {
  const normalize = projectNormalizer(project);
  return where === 'embedded'
    ? openEmbeddedStore(path.join(dir, 'store'), normalize)
    : openRedisStore(REDIS_URL, 'weft-bench', normalize);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Open-loop load: RATE requests/s for SECONDS on raw keep-alive sockets (bench/lib/http-load.mjs),
 * with what the server measured of itself meanwhile (`server`).
 */
async function drive(server, paths) {
  server.ask('reset');
  const result = await openLoopGet({
    url: server.url,
    paths,
    headers: { authorization: `Bearer ${VIEWER}` },
    rate: RATE,
    seconds: SECONDS,
  });
  return { ...result, server: JSON.parse(await server.ask('stats')) };
}

function startServer(dir, where) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir, where], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('http'))
        resolve({
          url: line.trim(),
          // `stats` answers one line; `reset` none
          ask: (command) => {
            child.stdin.write(`${command}\n`);
            return command === 'stats' ? new Promise((r) => waiting.push(r)) : Promise.resolve('');
          },
          stop: () => child.kill('SIGKILL'),
        });
      else if (line.startsWith('{')) waiting.shift()?.(line);
    });
    child.once('exit', (code) => reject(new Error(`server (${where}) exited ${code}`)));
  });
}

function lookupPaths(count) {
  const paths = [];
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    // Typed as users do (upper case, spaces): the API normalizes before the lookup.
    paths.push(`/v1/profiles/email:${encodeURIComponent(` Person${x % N}@Example.org`)}`);
  }
  return paths;
}

async function inProcessReads(store) {
  const latencies = [];
  let x = 777;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const t0 = performance.now();
    const found = await store.byIdentifier('email', `person${x % N}@example.org`);
    latencies.push(performance.now() - t0);
    if (!found) throw new Error(`person${x % N} not found`);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-profiles-'));
  const project = await benchProject(dir);
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
  log(`making ${N.toLocaleString('en-US')} profiles…`);
  const madeMs = await makeProfileTables(warehouse, N);
  const rows = [];
  const paths = lookupPaths(50_000);
  try {
    for (const where of ['embedded', 'redis']) {
      const store = openStore(project, dir, where);
      log(`${where}: full load…`);
      const full = await loadServingStore(project, warehouse, store, { full: true });
      log(`${where}: full ${full.ms} ms; 1% incremental…`);
      await changeProfiles(warehouse, 1, where === 'embedded' ? 1 : 2);
      const incremental = await loadServingStore(project, warehouse, store);
      if (incremental.mode !== 'incremental')
        throw new Error(`expected an incremental load: ${incremental.reason}`);
      log(`${where}: incremental ${incremental.ms} ms (${incremental.written} written); 10%…`);
      await changeProfiles(warehouse, 10, where === 'embedded' ? 3 : 4);
      const tenth = await loadServingStore(project, warehouse, store);
      // As weft build loads it: incremental up to a quarter of the profiles changed (the embedded
      // store writes them into its delta generation).
      log(`${where}: ${tenth.mode} ${tenth.ms} ms (${tenth.written} written); reads in-process…`);
      const reads = await inProcessReads(store);
      await store.close();
      const server = await startServer(dir, where);
      log(`${where}: ${RATE} requests/s for ${SECONDS} s, twice…`);
      // First right after the load (a fresh process, pages being written back), then again.
      const first = await drive(server, paths);
      const api = await drive(server, paths);
      server.stop();
      rows.push({ where, full, incremental, tenth, reads, first, api });
    }
    const floorServer = await startServer(dir, 'floor');
    const floor = await drive(floorServer, paths);
    floorServer.stop();
    const ms = (v) => `${v.toFixed(2)} ms`;
    const s = (v) => `${(v / 1000).toFixed(1)} s`;
    // The warehouse's pass over every profile / reading and writing the rows / bookkeeping.
    const phases = (load) =>
      `warehouse ${s(load.phases.assemble_ms)}, transfer ${s(load.phases.transfer_ms)}, record ${s(load.phases.record_ms)}`;
    const load = os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(', ');
    const lines = [
      '## Profile API: serving store (embedded LMDB, Redis) at 2,000 requests/s',
      '',
      `\`node bench/profile-api.mjs\`, ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; load average at the end ${load} (a machine shared with other sessions). ${N.toLocaleString('en-US')} profiles (3 identifiers, 7 traits, 0–2 audiences each; made in DuckDB in ${s(madeMs)}). \`weft serve\` in its own process; the load generator (open loop, 64 raw keep-alive sockets: bench/lib/http-load.mjs) in this one; lookups by email typed with capitals and spaces (normalized by the API).`,
      '',
      'Load phases: "warehouse" is the SQL pass that fingerprints every profile (one aggregate over the source rows) and, for an incremental load, joins the changes out of the fingerprints, "transfer" assembles the rows the load writes (every profile for a full load, the changed ones for an incremental), streams them out of DuckDB into the store and commits, "record" makes the new fingerprints the recorded ones (a rename). bench/serving-load.mjs has the incremental loads beside the previous loader and a floor.',
      '',
      '| measure | embedded (LMDB) | Redis 127.0.0.1:6379 | floor | goal |',
      '|---|---|---|---|---|',
    ];
    const [e, r] = rows;
    const goal = (v, limit) => (v < limit ? 'met' : '**MISSED**');
    lines.push(
      `| GET /v1/profiles p99 at ${RATE}/s, the first ${SECONDS} s after the load and a fresh start | ${ms(e.first.p99)} (p50 ${ms(e.first.p50)}, ${e.first.rate}/s, ${e.first.errors} errors) | ${ms(r.first.p99)} (p50 ${ms(r.first.p50)}, ${r.first.rate}/s, ${r.first.errors} errors) | – | – |`,
      `| GET /v1/profiles p99 at ${RATE}/s, the next ${SECONDS} s | ${ms(e.api.p99)} (p50 ${ms(e.api.p50)}, ${e.api.rate}/s, ${e.api.errors} errors) | ${ms(r.api.p99)} (p50 ${ms(r.api.p50)}, ${r.api.rate}/s, ${r.api.errors} errors) | node:http fixed answer: p99 ${ms(floor.p99)} (p50 ${ms(floor.p50)}) | p99 < 5 ms (embedded): ${goal(e.api.p99, 5)} |`,
      `| store read in-process (no HTTP), p99 | ${ms(e.reads.p99)} (p50 ${ms(e.reads.p50)}) | ${ms(r.reads.p99)} (p50 ${ms(r.reads.p50)}) | – | – |`,
      `| full load of ${N.toLocaleString('en-US')} profiles | ${s(e.full.ms)} (${phases(e.full)}) | ${s(r.full.ms)} (${phases(r.full)}) | – | < 60 s: ${goal(Math.max(e.full.ms, r.full.ms), 60_000)} |`,
      `| incremental load, 1% changed | ${s(e.incremental.ms)} (${e.incremental.written.toLocaleString('en-US')} written; ${phases(e.incremental)}) | ${s(r.incremental.ms)} (${r.incremental.written.toLocaleString('en-US')} written; ${phases(r.incremental)}) | – | proportional to the change |`,
      `| load after 10% changed (as weft build makes it) | ${s(e.tenth.ms)} (${e.tenth.mode}, ${e.tenth.written.toLocaleString('en-US')} written; ${phases(e.tenth)}) | ${s(r.tenth.ms)} (${r.tenth.mode}, ${r.tenth.written.toLocaleString('en-US')} written; ${phases(r.tenth)}) | – | proportional to the change |`,
    );
    // Where the time went in the second run: inside the server, and in the generator.
    const inside = (run) =>
      `CPU ${Math.round(run.server.cpuUsPerRequest)} µs/request; its own time per request p99 ${ms(run.server.serverP99)} (max ${ms(run.server.serverMax)}); event-loop delay p99 ${ms(run.server.loopDelayP99)} (max ${ms(run.server.loopDelayMax)}); GC ${run.server.gcCount} pauses, ${ms(run.server.gcTotal)} in all, longest ${ms(run.server.gcMax)}; the generator's event-loop delay p99 ${ms(run.generator.loopDelayP99)} (max ${ms(run.generator.loopDelayMax)}), its longest GC ${ms(run.generator.gcMax)}`;
    lines.push(
      '',
      `Where the time went in "the next ${SECONDS} s" (measured inside the server process: the time from its parsing a request to its writing the answer, its event-loop delay, GC pauses; and inside the load generator):`,
      '',
      `- embedded: ${inside(e.api)}`,
      `- Redis: ${inside(r.api)}`,
      `- floor: ${inside(floor)}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
    await dropRedisKeys();
  }
}

async function dropRedisKeys() {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  for await (const keys of redis.scanStream({ match: 'weft-bench:*', count: 10_000 }))
    if (keys.length > 0) await redis.unlink(...keys);
  redis.disconnect();
}

if (process.argv[2] === '--serve') await serveMode(process.argv[3], process.argv[4]);
else {
  await main();
  process.exit(0);
}
