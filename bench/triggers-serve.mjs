#!/usr/bin/env node
// Benchmark: event → trigger delivered, through `weft serve` as in production: events POSTed to
// the collector's /v1/batch (100 per request, 1,000/s, open loop), made durable in the embedded
// log, stitched by live identity into the serving store, offered to the 10 trigger rules of
// bench/lib/trigger-bench.mjs (9 → webhook emulator, 1 → Slack emulator), which read each person
// from the serving store (10,000 profiles built by `weft build` from a crm.contacts table and
// loaded at start) and record every firing in trigger_runs (DuckDB file) before sending; the
// lander lands the events in the same DuckDB file meanwhile. Latency: the POST is sent → the
// emulator accepted the message. The floor beside it: the same messages POSTed straight to the
// webhook emulator at the same rate. bench/triggers.mjs measures the engine alone.
// Prints a markdown section on stdout (progress on stderr). Needs `npm run build`.
// WEFT_BENCH_SECONDS sets the duration (default 20).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  benchEvent,
  benchProfile,
  fmt,
  ms,
  PROFILES,
  percentile,
  startObservedEmulators,
  webhookFloor,
  writeTriggerProject,
} from './lib/trigger-bench.mjs';

const SECONDS = Number(process.env.WEFT_BENCH_SECONDS ?? 20);
const RATE = 1_000;
const BATCH = 100;
const WRITE_KEY = 'bench-write-key-triggers-0';

const progress = (m) => process.stderr.write(`[triggers-serve] ${m}\n`);
const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { loadProject } = await dist('src/config/project.js');
const { openWarehouse } = await dist('src/warehouse/registry.js');
const { buildProject } = await dist('src/build/index.js');
const { startCollector } = await dist('src/serve/collector.js');
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const loadBefore = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');

const { webhook, slack, arrivals, viaSlack } = await startObservedEmulators();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-triggers-serve-'));
writeTriggerProject(dir, {
  webhookUrl: webhook.settings.url,
  slackUrl: slack.settings.webhook_url,
  weftYmlExtra: `events:
  schema: events
  sources:
    web: { write_key: ${WRITE_KEY} }
serve:
  viewer_key: bench-viewer-key-triggers-0
  store: embedded
`,
  identityYml: `identity:
  id_types:
    user_id: {}
    email: { normalize: email }
  sources:
    - from: crm.contacts
      ids: { user_id: id, email: email }
`,
});
const { project, issues } = await loadProject(dir, { env: {} });
if (!project) throw new Error(issues.map((i) => `${i.file}:${i.line} ${i.message}`).join('\n'));

// The people: a crm.contacts table, built into identity, profiles and the vip audience.
const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
const values = Array.from({ length: PROFILES }, (_, i) => {
  const p = benchProfile(i);
  return `('${p.userId}', '${p.email}', '${p.plan}', ${p.lifetime_value}, '${p.account_manager}')`;
});
await warehouse.execute(`CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE raw.contacts (id VARCHAR, email VARCHAR, plan VARCHAR, ltv INTEGER, am VARCHAR);
INSERT INTO raw.contacts VALUES ${values.join(',\n')}`);
progress(`building ${fmt(PROFILES)} profiles…`);
const built = await buildProject(project, warehouse, {});
// A failed stage would leave every profile empty: the rules over traits and audiences never fire.
if (built.status !== 'success')
  throw new Error(
    `weft build failed: ${['identity', 'profiles', 'audiences'].map((s) => `${s} ${built[s]?.status} ${built[s]?.error ?? ''}`).join('; ')}`,
  );
await warehouse.close();

const collector = await startCollector(project, { port: 0, say: progress });
const loaded = await collector.storeLoaded;
progress(`serving store loaded (${fmt(loaded?.written ?? 0)} profiles); ${RATE} events/s for ${SECONDS} s`);

// How long the serve process's event loop (the bench runs it in this process) was blocked.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const cpuBefore = process.cpuUsage();
const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
const sentAt = new Map();
const acks = [];
let failedPosts = 0;
let behind = 0;
const total = RATE * SECONDS;
const started = performance.now();
const posts = [];
for (let sent = 0; sent < total; sent += BATCH) {
  const due = started + (sent / RATE) * 1000;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  else behind = Math.max(behind, -wait);
  const batch = Array.from({ length: BATCH }, (_, k) => {
    const { source: _source, ...event } = benchEvent(sent + k);
    return event;
  });
  const t = performance.now();
  for (const e of batch) sentAt.set(e.messageId, t);
  posts.push(
    fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    }).then(async (r) => {
      await r.arrayBuffer();
      if (r.status === 200) acks.push(performance.now() - t);
      else failedPosts++;
    }),
  );
  if (sent % (RATE * 5) === 0) progress(`${fmt(sent)} sent`);
}
await Promise.all(posts);
const sentFor = (performance.now() - started) / 1000;
// Wait until the engine has nothing in flight (firings sent, retries done).
await collector.triggers?.engine.idle();
loopDelay.disable();
const cpu = process.cpuUsage(cpuBefore);
const busyFor = (performance.now() - started) / 1000;
if (process.env.WEFT_BENCH_DEBUG && globalThis.__tl)
  for (const [k, v] of Object.entries(globalThis.__tl))
    progress(
      `${k}: n=${v.length} p50=${percentile(v, 50)?.toFixed(1)} p99=${percentile(v, 99)?.toFixed(1)} max=${Math.max(...v).toFixed(1)} sum=${v.reduce((a, b) => a + b, 0).toFixed(0)}`,
    );
const stats = collector.triggers?.engine.stats() ?? { delivered: 0, failed: 0 };
await collector.close();
const latencies = [];
for (const [id, at] of arrivals) {
  const from = sentAt.get(id);
  if (from !== undefined) latencies.push(at - from);
}
const counts = await openWarehouse(project.config.warehouse, { projectDir: dir });
const [runs] = await counts.query(
  "SELECT count(*) AS n, count(*) FILTER (WHERE status = 'delivered') AS delivered FROM weft_state.trigger_runs",
);
const [landed] = await counts.query('SELECT count(*) AS n FROM events.tracks');
const byRule = await counts.query(
  'SELECT trigger_name, status, count(*) AS n FROM weft_state.trigger_runs GROUP BY ALL ORDER BY ALL',
);
progress(`trigger_runs: ${byRule.map((r) => `${r.trigger_name} ${r.status} ${r.n}`).join(', ')}`);
await counts.close();
progress(`delivered ${fmt(stats.delivered)}, failed ${stats.failed}; measuring the floor`);

// The floor: the same number of messages POSTed straight to the webhook emulator, one per
// request, at the firing rate observed above, no collector, engine or warehouse.
const firingRate = stats.delivered / sentFor;
const floor = await webhookFloor(webhook.settings.url, Math.min(stats.delivered, 3000), firingRate);
await webhook.close();
await slack.close();
fs.rmSync(dir, { recursive: true, force: true });

const cpus = os.cpus();
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');
console.log(`## Triggers through \`weft serve\`: event POSTed → delivered (bench/triggers-serve.mjs)

${fmt(total)} events POSTed to /v1/batch at ${fmt(RATE)}/s in ${BATCH}-event requests for ${SECONDS} s;
the embedded log, live identity over the embedded serving store (${fmt(PROFILES)} profiles built by
\`weft build\` and loaded at start), 10 trigger rules (9 → webhook emulator, 1 → Slack emulator;
the MQTT-only rule does not match events that come over HTTP), trigger_runs and the landed events
in one DuckDB file. Latency: the POST sent → the emulator accepting the message. Machine:
${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${os.type()} ${os.release()}, Node ${process.version};
${new Date().toISOString()}; load average ${loadBefore} before, ${load} at the end.

| measure | value |
|---|---:|
| firings delivered | ${fmt(stats.delivered)} (${firingRate.toFixed(0)}/s), failed ${stats.failed} |
| of which Slack (1 message/s per webhook) | ${fmt(viaSlack.size)} |
| trigger_runs rows (delivered) | ${fmt(Number(runs.n))} (${fmt(Number(runs.delivered))}) |
| events landed in events.tracks | ${fmt(Number(landed.n))} |
| POST /v1/batch acknowledged p50 / p99 (failed: ${failedPosts}) | ${ms(percentile(acks, 50))} / ${ms(percentile(acks, 99))} |
| event POSTed → delivered p50 | ${ms(percentile(latencies, 50))} |
| event POSTed → delivered p99 | ${ms(percentile(latencies, 99))} |
| event POSTed → delivered max | ${ms(Math.max(...latencies))} |
| event loop delay p50 / p99 / max (serve and the sender share this process) | ${ms(loopDelay.percentile(50) / 1e6)} / ${ms(loopDelay.percentile(99) / 1e6)} / ${ms(loopDelay.max / 1e6)} |
| CPU of this process (all threads) while sending and delivering | ${fmt((cpu.user + cpu.system) / 1000)} ms over ${busyFor.toFixed(1)} s |
| send loop fell behind schedule by at most | ${ms(behind)} |
| floor: bare POST to the webhook emulator p50 / p99 | ${ms(percentile(floor, 50))} / ${ms(percentile(floor, 99))} |
`);
process.exit(0);
