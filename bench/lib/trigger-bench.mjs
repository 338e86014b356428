/**
 * What the two trigger benches share (bench/triggers.mjs drives the engine directly,
 * bench/triggers-serve.mjs goes through `weft serve`): the emulators that note when each message
 * arrived, the project (10 rules: 9 → webhook, 1 → Slack) and the event mix.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dist = (p) => import(new URL(`../../dist/${p}`, import.meta.url).href);

/** Profiles the benches know (user ids u0 … u9999). */
export const PROFILES = 10_000;

/** p-th percentile of `values` (NaN when empty). */
export const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
export const ms = (n) => `${n.toFixed(1)} ms`;
export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/**
 * Starts the webhook and Slack emulators; `arrivals` maps each message id to when an emulator
 * accepted it, `viaSlack` holds the ids that went to Slack.
 */
export async function startObservedEmulators() {
  const { startEmulator } = await dist('src/sandbox/index.js');
  const { webhookEmulator } = await dist('destinations/webhook/emulator.js');
  const { slackEmulator } = await dist('destinations/slack/emulator.js');
  const arrivals = new Map();
  const viaSlack = new Set();
  const observed = (definition, idOf) => ({
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
  });
  const webhook = await startEmulator(
    observed(webhookEmulator, (req) => (req.json()?.rows ?? []).map((row) => row.data?.message_id)),
    { options: { store: 'digest' } },
  );
  const slack = await startEmulator(
    observed(slackEmulator, (req) => [/\[(\S+)\]$/.exec(req.json()?.text ?? '')?.[1]]),
    { options: { rateLimit: null } },
  );
  return { webhook, slack, arrivals, viaSlack };
}

/**
 * Writes the bench project into `dir`: 9 webhook rules over page/track events and one Slack rule
 * (Slack takes ~1 message/s per webhook, a limit the destination declares: its rule fires about
 * every 2 s). `weftYmlExtra` is appended to weft.yml; `identityYml`, when given, is written too.
 */
export function writeTriggerProject(dir, { webhookUrl, slackUrl, weftYmlExtra = '', identityYml }) {
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write(
    'weft.yml',
    `name: bench
warehouse: { type: duckdb, path: trigger_state.duckdb }
connections:
  sales_slack: { type: slack, webhook_url: "${slackUrl}" }
  support: { type: webhook, url: "${webhookUrl}", secret: weft-sandbox-secret, concurrency: 8 }
${weftYmlExtra}`,
  );
  write('models/sources.yml', 'sources:\n  crm:\n    schema: raw\n    tables: [contacts]\n');
  if (identityYml) write('models/identity.yml', identityYml);
  write(
    'models/profiles.yml',
    `profiles:
  traits:
    email: { from: crm.contacts, column: email, pick: most_frequent }
    plan: { from: crm.contacts, column: plan, pick: most_frequent }
    lifetime_value: { from: crm.contacts, expr: "sum(ltv)" }
    account_manager: { from: crm.contacts, column: am, pick: most_frequent }
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
}

/** Profile `i` of the bench (traits as the project's profiles.yml declares them). */
export function benchProfile(i) {
  const ltv = (i * 7919) % 10_000;
  return {
    userId: `u${i}`,
    email: `user${i}@example.org`,
    plan: ['free', 'pro', 'enterprise'][i % 3],
    lifetime_value: ltv,
    account_manager: 'Grace',
    vip: ltv >= 5000,
  };
}

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

/** Event `i` of the mix (half the user ids are unknown to the profiles); `prefix` makes ids unique per run. */
export function benchEvent(i, prefix = 'e') {
  const id = `${prefix}${i}`;
  const now = new Date().toISOString();
  const base = { messageId: id, userId: `u${(i * 31) % (PROFILES * 2)}`, timestamp: now };
  if (i % 2000 === 1999)
    return {
      ...base,
      type: 'track',
      event: 'Demo Requested',
      userId: `u${((i - 1999) / 1000 + 1) % PROFILES}`,
    };
  if (i % 97 === 0)
    return { ...base, type: 'track', source: 'mqtt', event: 'meter_fault', properties: { code: 'E42' } };
  const pick = (i * 13) % (KINDS.length * 3);
  const [type, name, properties] = KINDS[pick] ?? ['track', 'Product Viewed', {}];
  return type === 'page'
    ? { ...base, type, name, properties }
    : { ...base, type, ...(name && { event: name }), properties };
}

/**
 * The floor: `count` messages POSTed straight to the webhook emulator at `rate` per second, one
 * per request, signed as weft signs them (the emulator answers 401 to an unsigned one, sooner),
 * no engine or warehouse. Answers each request's latency (ms).
 */
export async function webhookFloor(url, count, rate) {
  const sleep = (t) => new Promise((r) => setTimeout(r, t));
  const latencies = [];
  const started = performance.now();
  const inflight = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i / rate) * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    const body = JSON.stringify({
      batch_id: `f${i}`,
      sync: 'floor',
      rows: [{ op: 'upsert', key: `f${i}`, idempotency_key: `f${i}`, data: { message_id: `f${i}` } }],
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${createHmac('sha256', 'weft-sandbox-secret').update(`${timestamp}.${body}`).digest('hex')}`;
    const t = performance.now();
    inflight.push(
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-weft-timestamp': timestamp,
          'x-weft-signature': signature,
        },
        body,
      }).then(async (r) => {
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`the webhook emulator answered ${r.status} to the floor`);
        latencies.push(performance.now() - t);
      }),
    );
  }
  await Promise.all(inflight);
  return latencies;
}
