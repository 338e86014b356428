#!/usr/bin/env node
// Benchmark: event → trigger delivered to the webhook / Slack emulators, at a fixed 1,000
// events/s offered in 100-event batches (as `weft serve` hands over what its log made durable),
// with 10 trigger rules loaded, an in-memory ProfileReader of 10,000 profiles, and trigger_runs
// in a DuckDB file (every firing recorded before `offer` resolves). Latency is from the `offer`
// call to the emulator receiving the message. Beside it, the floor: the same messages POSTed
// straight to the webhook emulator at the same rate, no engine. Prints a markdown section on
// stdout (progress on stderr). Needs `npm run build`. WEFT_BENCH_SECONDS sets the duration (default 20).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

const progress = (m) => process.stderr.write(`[triggers] ${m}\n`);
const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { loadProject } = await dist('src/config/project.js');
const { openWarehouse } = await dist('src/warehouse/registry.js');
const { startTriggers } = await dist('src/realtime/triggers/index.js');

const sleep = (t) => new Promise((r) => setTimeout(r, t));
const { webhook, slack, arrivals, viaSlack } = await startObservedEmulators();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-triggers-'));
writeTriggerProject(dir, { webhookUrl: webhook.settings.url, slackUrl: slack.settings.webhook_url });

const { project, issues } = await loadProject(dir, { env: {} });
if (!project) throw new Error(issues.map((i) => `${i.file}:${i.line} ${i.message}`).join('\n'));

const profiles = new Map();
for (let i = 0; i < PROFILES; i++) {
  const p = benchProfile(i);
  profiles.set(p.userId, {
    profileId: `p${i}`,
    identifiers: [{ type: 'user_id', value: p.userId }],
    traits: {
      email: p.email,
      plan: p.plan,
      lifetime_value: p.lifetime_value,
      account_manager: p.account_manager,
    },
    audiences: p.vip ? ['vip'] : [],
  });
}
const reader = {
  async byIdentifier(type, value) {
    return type === 'user_id' ? profiles.get(value) : undefined;
  },
  async byProfileId() {
    return undefined;
  },
};
// As `weft serve` hands events over: with the collector's source and receipt time.
const event = (i) => {
  const e = benchEvent(i);
  return { source: 'web', receivedAt: e.timestamp, ...e };
};

const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
const engine = await startTriggers(project, reader, { warehouse });
progress(`10 rules, ${fmt(PROFILES)} profiles; ${RATE} events/s for ${SECONDS}s`);

const offeredAt = new Map();
const offerLatency = [];
const total = RATE * SECONDS;
const started = performance.now();
let behind = 0;
const pendingOffers = [];
for (let sent = 0; sent < total; sent += BATCH) {
  const due = started + (sent / RATE) * 1000;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  else behind = Math.max(behind, -wait);
  const batch = Array.from({ length: BATCH }, (_, k) => event(sent + k));
  const t = performance.now();
  for (const e of batch) offeredAt.set(e.messageId, t);
  pendingOffers.push(engine.offer(batch).then(() => offerLatency.push(performance.now() - t)));
  if (sent % (RATE * 5) === 0) progress(`${fmt(sent)} offered`);
}
await Promise.all(pendingOffers);
const offeredFor = (performance.now() - started) / 1000;
await engine.idle();
await engine.close();
const stats = engine.stats();
const latencies = [];
for (const [id, at] of arrivals) {
  const from = offeredAt.get(id);
  if (from !== undefined) latencies.push(at - from);
}
const [rows] = await warehouse.query(
  "SELECT count(*) AS n, count(*) FILTER (WHERE status = 'delivered') AS delivered FROM weft_state.trigger_runs",
);
await warehouse.close();
progress(`delivered ${fmt(stats.delivered)}, failed ${stats.failed}; measuring the floor`);

// The floor: the same number of messages POSTed straight to the webhook emulator, one per
// request, at the firing rate observed above, no engine and no warehouse.
const firingRate = stats.delivered / offeredFor;
const floor = await webhookFloor(webhook.settings.url, Math.min(stats.delivered, 3000), firingRate);
await webhook.close();
await slack.close();
fs.rmSync(dir, { recursive: true, force: true });

const cpus = os.cpus();
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');
console.log(`## Triggers: event → delivered (bench/triggers.mjs)

${fmt(total)} events offered at ${fmt(RATE)}/s in ${BATCH}-event batches for ${SECONDS} s, 10 trigger rules
(9 → webhook emulator, 1 → Slack emulator), ${fmt(PROFILES)} profiles in an in-memory
ProfileReader, trigger_runs in a DuckDB file. Latency: the \`offer\` call → the emulator accepting
the message. Machine: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${os.type()} ${os.release()},
Node ${process.version}; ${new Date().toISOString()}; load average at the end ${load} (shared machine).

| measure | value |
|---|---:|
| firings delivered | ${fmt(stats.delivered)} (${firingRate.toFixed(0)}/s), failed ${stats.failed} |
| of which Slack (1 message/s per webhook) | ${fmt(viaSlack.size)} |
| trigger_runs rows (delivered) | ${fmt(Number(rows.n))} (${fmt(Number(rows.delivered))}) |
| event → delivered p50 | ${ms(percentile(latencies, 50))} |
| event → delivered p99 | ${ms(percentile(latencies, 99))} |
| event → delivered max | ${ms(Math.max(...latencies))} |
| \`offer\` resolved (firings durably recorded) p99 | ${ms(percentile(offerLatency, 99))} |
| offer loop fell behind schedule by at most | ${ms(behind)} |
| floor: bare POST to the webhook emulator p50 / p99 | ${ms(percentile(floor, 50))} / ${ms(percentile(floor, 99))} |
`);
