#!/usr/bin/env node
// `npm run demo`: seed → build (models, identity, profiles, audiences) → audiences → plan → sync
// to the sandbox (webhook, HubSpot contacts + list, Salesforce Contacts) → what the emulators hold
// → the scheduler's --once pass (nothing changed, nothing to send) → a burst of events through
// Segment's client library into `weft serve`, landed in the warehouse → the three real-time cases
// through `weft serve` on this project (scripts/demo-realtime.mjs: a VIP on the pricing page →
// Slack, personalization for an enterprise visitor, a smart-meter fault over MQTT → the support
// webhook); on the embedded DuckDB. Each step is the real CLI, so what you see here is what
// `weft <command>` prints.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runRealtimeCases } from './demo-realtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/src/cli/main.js');
if (!existsSync(cli)) {
  console.error('weft is not compiled yet: run `npm install` (it compiles to dist/) and try again.');
  process.exit(1);
}
const people = process.env.WEFT_DEMO_PEOPLE ?? '10000';
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/**
 * Runs one weft command in the foreground; stops the demo if it fails. With `partialOk`, a run
 * that ended partial (a destination refused some rows: recorded in sync_rejections and retried by
 * the next run, as the delivery contract says) is reported and the demo goes on; a failed one
 * still stops it.
 */
function step(args, what, env = {}, { partialOk = false } = {}) {
  console.log(`━━ weft ${args.join(' ')}   (${what})`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, [cli, ...args, '--project', root], {
    stdio: partialOk ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (partialOk) {
    process.stdout.write(res.stdout ?? '');
    process.stderr.write(res.stderr ?? '');
  }
  const text = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  const onlyPartial = partialOk && res.status === 1 && /\bpartial\b/.test(text) && !/\bfailed\b/.test(text);
  if (onlyPartial)
    console.log(
      '   (a partial run: the refused rows and their reasons are in `weft runs`, and the next run retries them)',
    );
  else if (res.status !== 0) {
    console.error(`\n✗ demo stopped: \`weft ${args[0]}\` exited ${res.status}.`);
    sandbox?.kill('SIGTERM');
    process.exit(res.status ?? 1);
  }
  console.log(`   took ${seconds(t0)}\n`);
}

/** Emulators the demo's syncs write to (`weft sandbox` serves them on local ports). */
const EMULATORS = ['webhook', 'hubspot', 'salesforce', 'meta', 'google_ads', 'slack'];

/** Starts `weft sandbox` on free ports and resolves with each emulator's base URL by name. */
function startSandbox() {
  const child = spawn(
    process.execPath,
    [cli, 'sandbox', '--only', EMULATORS.join(','), '--port-base', '0', '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = {};
  const settings = {};
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const info = JSON.parse(line);
      urls[info.sandbox] = info.url;
      settings[info.sandbox] = info.settings;
      if (EMULATORS.every((name) => urls[name])) resolve({ child, urls, settings });
    });
    child.on('exit', (code) => reject(new Error(`weft sandbox exited ${code} before it was ready`)));
  });
}

const n = (value) => Number(value).toLocaleString('en-US');

/** Prints what the sandbox destinations hold after the syncs. */
async function showDestinations(urls) {
  const hubspot = await emulatorState(urls.hubspot);
  const salesforce = await emulatorState(urls.salesforce);
  const meta = await emulatorState(urls.meta);
  const google = await emulatorState(urls.google_ads);
  const slack = await emulatorState(urls.slack);
  const vipList = Object.values(hubspot.lists ?? {})[0];
  console.log('━━ what the sandbox destinations hold now');
  console.log(
    `   HubSpot:    ${n(hubspot.counts.contacts)} contacts, ${n(vipList?.members.length ?? 0)} in list "${vipList?.name}"`,
  );
  console.log(
    `   Salesforce: ${n(salesforce.counts.Contact)} Contacts (by External_Id__c), ${n(salesforce.apiUsage.used)} of ${n(salesforce.apiUsage.max)} daily API calls used`,
  );
  for (const [id, audience] of Object.entries(meta.audiences ?? {}))
    console.log(
      `   Meta:       custom audience ${id}: ${n(memberCount(audience))} hashed members, ${n(meta.sessions.length)} upload session(s)`,
    );
  for (const [id, list] of Object.entries(google.lists ?? {}))
    console.log(
      `   Google Ads: user list ${id}: ${n(memberCount(list))} hashed members, ${n(google.jobs.length)} offline job(s)`,
    );
  console.log(`   Slack:      ${n(slack.messages.length)} message(s)`);
  for (const message of slack.messages.slice(0, 5))
    console.log(`     ${message.text ?? JSON.stringify(message)}`);
  console.log('');
}

/** Members of an emulated audience or list, whatever shape the emulator keeps them in. */
function memberCount(holder) {
  const members = holder?.members ?? holder?.size ?? holder;
  if (typeof members === 'number') return members;
  if (Array.isArray(members)) return members.length;
  return Object.keys(members ?? {}).length;
}

/** What an emulator holds now (its admin API), without the records themselves. */
async function emulatorState(url) {
  const response = await fetch(`${url}/__sandbox/state?records=false`);
  return (await response.json()).state;
}

let sandbox;
console.log(`weft demo — project ${root}\n`);
step(
  ['seed', '--people', people],
  'generate customers, orders, CRM contacts, web/app events, tickets, signups',
);
step(
  ['build', '--full-refresh'],
  'models in dependency order, then the identity graph, profiles and audiences, inside DuckDB',
);

step(['audience', 'list'], 'the demo audiences: marketing asks as condition trees, built as views');
step(
  ['audience', 'preview', 'high_value_recent', '--limit', '5'],
  'one audience: size, a sample, overlap with the others',
);

const started_sandbox = await startSandbox();
sandbox = started_sandbox.child;
const { urls } = started_sandbox;
const env = {
  WEFT_WEBHOOK_URL: `${urls.webhook}/hooks/weft`,
  WEFT_SUPPORT_WEBHOOK_URL: `${urls.webhook}/hooks/support`,
  WEFT_ALERT_URL: `${urls.webhook}/hooks/alerts`,
  WEFT_SANDBOX_HUBSPOT_URL: urls.hubspot,
  WEFT_SANDBOX_SALESFORCE_URL: urls.salesforce,
  WEFT_SANDBOX_META_URL: urls.meta,
  WEFT_SANDBOX_GOOGLE_ADS_URL: urls.google_ads,
  WEFT_SLACK_WEBHOOK_URL: started_sandbox.settings.slack.webhook_url,
};
console.log(
  `━━ weft sandbox   (local emulators of ${EMULATORS.join(', ')} on ${Object.values(urls)
    .map((u) => u.replace('http://127.0.0.1:', ':'))
    .join(' ')})\n`,
);
step(['plan'], 'diff each sync against what was last delivered, without sending', env);
step(
  ['sync', '--all'],
  'push only the changes; rows are marked synced once the receiver acknowledged them',
  env,
  { partialOk: true },
);
await showDestinations(urls);
step(
  ['schedule', '--once'],
  'the scheduler, once: syncs whose cron slot is due run, after rebuilding only what changed since the last build',
  env,
  { partialOk: true },
);

// Real time: a burst of events through Segment's own client library into `weft serve` (in a
// throwaway project, so the demo's warehouse stays as built), landed in the warehouse in seconds.
console.log(
  "━━ weft serve   (events from the SDKs teams already ship: Segment's analytics-node → the warehouse)",
);
const events = spawnSync(process.execPath, [path.join(root, 'scripts/demo-events.mjs'), '1000'], {
  stdio: 'inherit',
});
if (events.status !== 0) {
  console.error(`\n✗ demo stopped: the events demo exited ${events.status}.`);
  sandbox.kill('SIGTERM');
  process.exit(events.status ?? 1);
}
console.log('');

// The three moments batch syncs cannot serve, through `weft serve` on this project: its triggers
// (models/triggers/), the serving store the build loaded, MQTT, and the sandbox emulators above.
console.log('━━ weft serve   (real time on the demo project: triggers, personalization, MQTT devices)');
const realtimeStarted = Date.now();
let realtimeOk;
try {
  realtimeOk = await runRealtimeCases({ cli, root, urls, env });
} catch (error) {
  console.error(`\n✗ demo stopped: ${error.message}`);
  sandbox.kill('SIGTERM');
  process.exit(1);
}
sandbox.kill('SIGTERM');
console.log(`   took ${seconds(realtimeStarted)}\n`);
if (!realtimeOk) {
  console.error('✗ demo stopped: a real-time case did not do what it says (above).');
  process.exit(1);
}

console.log(`✓ demo finished in ${seconds(started)}.`);
console.log(`  The warehouse is ${path.join(root, '.weft/warehouse.duckdb')}:`);
console.log(
  '    raw.* sources · truth.* ground truth · weft.* models, identity_map, profiles · weft_state.* sync state',
);
console.log(
  '  Next: `npx weft profile email:<someone>` · `npx weft runs` · `npx weft audience preview churn_risk` · `npx weft --help`',
);
