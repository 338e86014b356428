#!/usr/bin/env node
// Benchmark: event → trigger delivered, through `weft serve` as in production: events POSTed to
// the collector's /v1/batch (100 per request, 1,000/s, open loop), made durable in the embedded
// log, stitched by live identity into the serving store, offered to the 10 trigger rules of
// bench/lib/trigger-bench.mjs (9 → webhook emulator, 1 → Slack emulator), which read each person
// from the serving store (10,000 profiles built by `weft build` from a crm.contacts table and
// loaded at start) and record every firing in trigger_runs (DuckDB file) before sending; the
// lander lands the events in the same DuckDB file meanwhile. Latency: the POST is sent → the
// emulator accepted the message (per message id: the last of its firings). Floors, in the same
// run: end to end, the same events at the same rate to a bare node:http server that matches the
// same rules in plain JS and forwards each match to the same emulators (lib/trigger-floor.mjs);
// the last hop, the same messages POSTed straight to the webhook emulator at the firing rate.
// bench/triggers.mjs measures the engine alone.
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
import { startTriggerFloor } from './lib/trigger-floor.mjs';

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
const total = RATE * SECONDS;

/**
 * Sends `total` events (ids `prefix`0 …) to `url`/v1/batch at RATE/s in BATCH-event requests,
 * open loop. Answers when each was sent, the acknowledgement latencies and how far behind the
 * schedule the loop fell.
 */
async function sendEvents(url, prefix) {
  const sentAt = new Map();
  const acks = [];
  const sending = { sentAt, acks, failedPosts: 0, behind: 0 };
  const started = performance.now();
  const posts = [];
  for (let sent = 0; sent < total; sent += BATCH) {
    const due = started + (sent / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else sending.behind = Math.max(sending.behind, -wait);
    const batch = Array.from({ length: BATCH }, (_, k) => {
      const { source: _source, ...event } = benchEvent(sent + k, prefix);
      return event;
    });
    const t = performance.now();
    for (const e of batch) sentAt.set(e.messageId, t);
    posts.push(
      fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      }).then(async (r) => {
        await r.arrayBuffer();
        if (r.status === 200) acks.push(performance.now() - t);
        else sending.failedPosts++;
      }),
    );
    if (sent % (RATE * 5) === 0) progress(`${fmt(sent)} sent`);
  }
  await Promise.all(posts);
  return sending;
}

/** Event POSTed → accepted by an emulator, per message of `sentAt` that arrived (Slack's apart). */
function latenciesOf(sentAt) {
  const all = [];
  const webhookOnly = [];
  for (const [id, from] of sentAt) {
    const at = arrivals.get(id);
    if (at === undefined) continue;
    all.push(at - from);
    if (!viaSlack.has(id)) webhookOnly.push(at - from);
  }
  return { all, webhookOnly };
}

const started = performance.now();
const { sentAt, acks, failedPosts, behind } = await sendEvents(collector.url, 'e');
const sentFor = (performance.now() - started) / 1000;
// Every POST is acknowledged once its events are durable, but the fast path offers them to the
// engine only after live identity stitched them: wait until every event was offered (else
// idle() may resolve before the last offers are queued, and their firings go uncounted), then
// until the engine has nothing in flight (firings sent, retries done).
const engine = collector.triggers?.engine;
const offeredBy = performance.now() + 60_000;
while (engine && engine.stats().offered < total && performance.now() < offeredBy) await sleep(20);
await engine?.idle();
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
const { all: latencies, webhookOnly } = latenciesOf(sentAt);
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
progress(`delivered ${fmt(stats.delivered)}, failed ${stats.failed}; the end-to-end floor…`);

// The end-to-end floor: the same events at the same rate to a bare node:http server that matches
// the same rules in plain JS and forwards each match to the same emulators (lib/trigger-floor.mjs).
const floorServer = await startTriggerFloor(webhook.settings.url, slack.settings.webhook_url);
const floorSending = await sendEvents(floorServer.url, 'n');
await floorServer.close();
const e2eFloor = latenciesOf(floorSending.sentAt);
progress(
  `floor: forwarded ${fmt(floorServer.counts.forwarded)}, failed ${floorServer.counts.failed}; the last hop…`,
);

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
| of which Slack (1 message/s per webhook) | ${fmt([...sentAt.keys()].filter((id) => viaSlack.has(id)).length)} |
| trigger_runs rows (delivered) | ${fmt(Number(runs.n))} (${fmt(Number(runs.delivered))}) |
| events landed in events.tracks | ${fmt(Number(landed.n))} |
| POST /v1/batch acknowledged p50 / p99 (failed: ${failedPosts}) | ${ms(percentile(acks, 50))} / ${ms(percentile(acks, 99))} |
| event POSTed → delivered p50 | ${ms(percentile(latencies, 50))} |
| event POSTed → delivered p99 | ${ms(percentile(latencies, 99))} |
| event POSTed → delivered max | ${ms(Math.max(...latencies))} |
| event POSTed → delivered p50 / p99, webhook rules only | ${ms(percentile(webhookOnly, 50))} / ${ms(percentile(webhookOnly, 99))} |
| end-to-end floor (bare node:http, rules in plain JS, forwarded at once; nothing durable): firings delivered | ${fmt(floorServer.counts.forwarded)} (of which Slack ${fmt(e2eFloor.all.length - e2eFloor.webhookOnly.length)}), failed ${floorServer.counts.failed} |
| end-to-end floor: event POSTed → delivered p50 / p99, webhook rules only | ${ms(percentile(e2eFloor.webhookOnly, 50))} / ${ms(percentile(e2eFloor.webhookOnly, 99))} |
| end-to-end floor: POST /v1/batch acknowledged p50 / p99 | ${ms(percentile(floorSending.acks, 50))} / ${ms(percentile(floorSending.acks, 99))} |
| event loop delay p50 / p99 / max (serve and the sender share this process) | ${ms(loopDelay.percentile(50) / 1e6)} / ${ms(loopDelay.percentile(99) / 1e6)} / ${ms(loopDelay.max / 1e6)} |
| CPU of this process (all threads) while sending and delivering | ${fmt((cpu.user + cpu.system) / 1000)} ms over ${busyFor.toFixed(1)} s |
| send loop fell behind schedule by at most | ${ms(behind)} |
| last-hop floor: bare POST to the webhook emulator p50 / p99 | ${ms(percentile(floor, 50))} / ${ms(percentile(floor, 99))} |
`);
process.exit(0);
