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

const SECONDS = Number(process.env.WEFT_BENCH_SECONDS ?? 20);
const RATE = 1_000;
const BATCH = 100;
const PROFILES = 10_000;

const progress = (m) => process.stderr.write(`[triggers] ${m}\n`);
const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { startEmulator } = await dist('src/sandbox/index.js');
const { webhookEmulator } = await dist('destinations/webhook/emulator.js');
const { slackEmulator } = await dist('destinations/slack/emulator.js');
const { loadProject } = await dist('src/config/project.js');
const { openWarehouse } = await dist('src/warehouse/registry.js');
const { startTriggers } = await dist('src/realtime/triggers/index.js');

const sleep = (t) => new Promise((r) => setTimeout(r, t));
const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (n) => `${n.toFixed(1)} ms`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// Arrival time per message id, observed inside the emulators once they accepted the message.
const arrivals = new Map();
const viaSlack = new Set();
function observed(definition, idOf) {
  return {
    ...definition,
    create(options) {
      const app = definition.create(options);
      return {
        ...app,
        async handle(request, tools) {
          const response = await app.handle(request, tools);
          if (response.status === 200)
            for (const id of idOf(request)) {
              arrivals.set(id, performance.now());
              if (definition.name === 'slack') viaSlack.add(id);
            }
          return response;
        },
      };
    },
  };
}
const webhook = await startEmulator(
  observed(webhookEmulator, (req) => (req.json()?.rows ?? []).map((row) => row.data?.message_id)),
  { options: { store: 'digest' } },
);
const slack = await startEmulator(
  observed(slackEmulator, (req) => [/\[(\S+)\]$/.exec(req.json()?.text ?? '')?.[1]]),
  { options: { rateLimit: null } },
);

// The project: 9 webhook rules over page/track events and one Slack rule (Slack takes ~1
// message/s per webhook, a limit the destination declares: its rule fires about every 2 s).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-triggers-'));
const write = (rel, text) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
write(
  'weft.yml',
  `name: bench
warehouse: { type: duckdb, path: trigger_state.duckdb }
connections:
  sales_slack: { type: slack, webhook_url: "${slack.settings.webhook_url}" }
  support: { type: webhook, url: "${webhook.settings.url}", secret: weft-sandbox-secret, concurrency: 8 }
`,
);
write('models/sources.yml', 'sources:\n  crm:\n    schema: raw\n    tables: [contacts]\n');
write(
  'models/profiles.yml',
  `profiles:
  traits:
    email: { from: crm.contacts, column: email }
    plan: { from: crm.contacts, column: plan }
    lifetime_value: { from: crm.contacts, expr: "sum(ltv)" }
    account_manager: { from: crm.contacts, column: am }
`,
);
write('models/audiences/vip.yml', 'name: vip\nwhere: { trait: lifetime_value, op: gte, value: 5000 }\n');
const hook = (name, on, where) =>
  write(
    `models/triggers/${name}.yml`,
    `on: ${on}
${where ? `where: ${where}\n` : ''}send:
  connection: support
  template: "${name}: {{event.event}}{{event.name}} by {{profile.traits.email}}"
  fields: { message_id: "{{event.messageId}}", plan: "{{profile.traits.plan}}" }
  include: [profile]
`,
  );
hook('checkout_failed', '{ event: Checkout Failed }');
hook('enterprise_pricing', '{ type: page, name: Pricing }', '{ trait: plan, op: eq, value: enterprise }');
hook('big_cart', '{ event: Cart Updated, where: [{ property: total, op: gte, value: 900 }] }');
hook('meter_fault', '{ event: meter_fault, source: mqtt }', '{ trait: email, op: is_not_null }');
hook('vip_signup', '{ type: identify }', '{ audience: vip }');
hook('docs_search', '{ event: Docs Searched, where: [{ property: query, op: contains, value: sso }] }');
hook('churn_risk', '{ event: Subscription Cancelled }', '{ not: { trait: plan, op: eq, value: free } }');
hook('capped_pricing', '{ type: page, name: Pricing }', '{ audience: vip }');
hook('never', '{ event: Never Sent }');
write(
  'models/triggers/vip_demo.yml',
  `on: { event: Demo Requested }
where: { audience: vip }
send:
  connection: sales_slack
  template: "{{profile.traits.email}} asked for a demo. {{profile.traits.account_manager}}? [{{event.messageId}}]"
`,
);
// A cap on one rule, so the cap path (a trigger_runs read per new person) is exercised too.
fs.appendFileSync(path.join(dir, 'models/triggers/capped_pricing.yml'), 'once_per: 24h\n');

const { project, issues } = await loadProject(dir, { env: {} });
if (!project) throw new Error(issues.map((i) => `${i.file}:${i.line} ${i.message}`).join('\n'));

const profiles = new Map();
for (let i = 0; i < PROFILES; i++) {
  const ltv = (i * 7919) % 10_000;
  profiles.set(`u${i}`, {
    profileId: `p${i}`,
    identifiers: [{ type: 'user_id', value: `u${i}` }],
    traits: {
      email: `user${i}@example.org`,
      plan: ['free', 'pro', 'enterprise'][i % 3],
      lifetime_value: ltv,
      account_manager: 'Grace',
    },
    audiences: ltv >= 5000 ? ['vip'] : [],
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

// The mix: ~15% of events fire a webhook rule; one 'Demo Requested' (Slack) every 2,000 events.
const KINDS = [
  ['track', 'Product Viewed', {}],
  ['track', 'Product Viewed', {}],
  ['page', 'Docs', {}],
  ['track', 'Cart Updated', { total: 120 }],
  ['track', 'Cart Updated', { total: 950 }],
  ['page', 'Pricing', {}],
  ['track', 'Docs Searched', { query: 'how to sso' }],
  ['track', 'Docs Searched', { query: 'billing' }],
  ['track', 'Checkout Failed', {}],
  ['track', 'Product Viewed', {}],
  ['identify', undefined, {}],
  ['track', 'Subscription Cancelled', {}],
];
let seq = 0;
function event(i) {
  const id = `e${i}`;
  const now = new Date().toISOString();
  const base = {
    messageId: id,
    source: 'web',
    userId: `u${(i * 31) % (PROFILES * 2)}`,
    timestamp: now,
    receivedAt: now,
  };
  if (i % 2000 === 1999)
    return { ...base, type: 'track', event: 'Demo Requested', userId: `u${(seq++ * 2 + 1) % PROFILES}` };
  if (i % 97 === 0)
    return { ...base, type: 'track', source: 'mqtt', event: 'meter_fault', properties: { code: 'E42' } };
  const pick = (i * 13) % (KINDS.length * 3);
  const [type, name, properties] = KINDS[pick] ?? ['track', 'Product Viewed', {}];
  return type === 'page'
    ? { ...base, type, name, properties }
    : { ...base, type, ...(name && { event: name }), properties };
}

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
const floor = [];
const floorCount = Math.min(stats.delivered, 3000);
const floorStart = performance.now();
const inflight = [];
for (let i = 0; i < floorCount; i++) {
  const due = floorStart + (i / firingRate) * 1000;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const t = performance.now();
  inflight.push(
    fetch(webhook.settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: `f${i}`,
        sync: 'floor',
        rows: [{ op: 'upsert', key: `f${i}`, idempotency_key: `f${i}`, data: { message_id: `f${i}` } }],
      }),
    }).then(async (r) => {
      await r.arrayBuffer();
      floor.push(performance.now() - t);
    }),
  );
}
await Promise.all(inflight);
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
