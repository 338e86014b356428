#!/usr/bin/env node
// Benchmark: WEFT_BENCH_PEOPLE erasure requests (default 10,000), one person each, against the
// sandbox emulators enforcing each vendor's documented rate limit. The people were first synced to
// HubSpot (contacts by email; GDPR delete is one request per person, 190 per rolling 10 s at the
// professional tier), Salesforce (Contacts by external id; delete 200 ids per request, paced by the
// connection's rate_limit of 20/s), Braze (users by external_id; /users/delete 50 per request,
// 3,000 requests per 3 s), Mailchimp (members by email; permanent delete one per request, 10
// connections at once) and a webhook (delete ops, 500 per batch). Then `createErasureRequests`
// files every request (suppression + ledger) and `runPendingSteps` erases them everywhere. Reports
// the time of each phase and, per destination, the requests made, the time its erasure took and
// the share of its rate limit used over that time, plus the 429s the emulators answered.
// Klaviyo's deletion endpoint allows 60 requests a minute, one person each: 10,000 take ≥ 167
// minutes whatever the client does, so it is reported from its limit, not run. Markdown on stdout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dist, requireBuild } from './lib/dist.mjs';

const PEOPLE = Number(process.env.WEFT_BENCH_PEOPLE ?? 10_000);
const progress = (message) => process.stderr.write(`[privacy-erasure] ${message}\n`);
requireBuild('src/privacy/requests.js');
const { openWarehouse } = await import(dist('src/warehouse/registry.js'));
const { runSync } = await import(dist('src/sync/run-sync.js'));
const { startSandbox } = await import(dist('src/sandbox/start.js'));
const { createErasureRequests, runPendingSteps } = await import(dist('src/privacy/requests.js'));
const { TIER_LIMITS } = await import(dist('destinations/hubspot/settings.js'));

const hubspotTier = TIER_LIMITS.professional;
const limits = {
  hubspot: { requests: hubspotTier.perTenSeconds, perMs: 10_000 },
  salesforce: { requests: 20, perMs: 1_000 },
  braze: { requests: 3_000, perMs: 3_000 },
  webhook: { requests: 50, perMs: 1_000 },
};
const sandbox = await startSandbox({
  destinations: ['hubspot', 'salesforce', 'braze', 'mailchimp', 'webhook'],
  options: {
    hubspot: { limits: { max: hubspotTier.perTenSeconds, intervalMs: 10_000, daily: hubspotTier.daily } },
  },
  // The sandbox's sliding window, a little above the paced rate for the unpaced token/describe calls.
  rateLimits: {
    salesforce: { requests: limits.salesforce.requests + 2, perMs: 1_000 },
    braze: limits.braze,
    webhook: limits.webhook,
  },
});
const em = sandbox.emulators;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-privacy-'));
const warehouse = await openWarehouse(
  { type: 'duckdb', path: path.join(dir, 'w.duckdb') },
  { projectDir: dir },
);
const syncs = [
  {
    name: 'hubspot_contacts',
    from: 'app.people',
    connection: 'hub',
    object: 'contacts',
    mode: 'upsert',
    key: 'email',
    match_on: 'email',
    mappings: { email: 'email', firstname: 'name' },
  },
  {
    name: 'salesforce_contacts',
    from: 'app.people',
    connection: 'sf',
    object: 'Contact',
    mode: 'upsert',
    key: 'user_id',
    match_on: 'External_Id__c',
    mappings: { External_Id__c: 'user_id', LastName: 'name', Email: 'email' },
  },
  {
    name: 'braze_users',
    from: 'app.people',
    connection: 'braze',
    mode: 'upsert',
    key: 'user_id',
    mappings: { external_id: 'user_id', email: 'email' },
  },
  {
    name: 'mailchimp_members',
    from: 'app.people',
    connection: 'mc',
    mode: 'upsert',
    key: 'email',
    mappings: { email: 'email' },
  },
  {
    name: 'webhook_people',
    from: 'app.people',
    connection: 'hook',
    mode: 'upsert',
    key: 'email',
    mappings: { email: 'email', name: 'name' },
  },
];
const project = {
  dir,
  config: {
    name: 'bench',
    schema: 'app',
    state_schema: 'weft_state',
    warehouse: { type: 'duckdb', path: 'w.duckdb' },
    connections: {
      hub: { ...em.hubspot.settings, type: 'hubspot', tier: 'professional' },
      sf: { ...em.salesforce.settings, type: 'salesforce', rate_limit: { requests: 20, per_seconds: 1 } },
      braze: { ...em.braze.settings, type: 'braze' },
      mc: { ...em.mailchimp.settings, type: 'mailchimp' },
      hook: {
        ...em.webhook.settings,
        type: 'webhook',
        batch_size: 500,
        rate_limit: { requests: 50, per_seconds: 1 },
      },
    },
    vars: {},
  },
  sources: [{ name: 'app', schema: 'app', tables: [{ name: 'people', identifier: 'people' }] }],
  models: [],
  audiences: [],
  syncs: syncs.map((value) => ({ path: `syncs/${value.name}.yml`, value })),
  secrets: [],
};
const num = (n) => Math.round(n).toLocaleString('en-US');
const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
try {
  await warehouse.execute('CREATE SCHEMA app');
  await warehouse.execute(
    `CREATE TABLE app.people AS SELECT 'person' || i || '@acme.io' AS email, 'u' || i AS user_id, 'Person ' || i AS name FROM range(${PEOPLE}) t(i)`,
  );
  progress(`syncing ${num(PEOPLE)} people to 5 destinations…`);
  for (const sync of syncs) {
    const { summary } = await runSync(project, warehouse, sync);
    if (summary.succeeded !== PEOPLE) throw new Error(`${sync.name}: ${JSON.stringify(summary)}`);
  }
} catch (error) {
  await sandbox.close();
  throw error;
}
const before = Object.fromEntries(Object.entries(em).map(([name, e]) => [name, e.snapshot().stats]));
const people = Array.from({ length: PEOPLE }, (_, i) => [`email:person${i}@acme.io`, `user_id:u${i}`]);
progress(`filing ${num(PEOPLE)} requests…`);
let started = performance.now();
const filed = await createErasureRequests(project, warehouse, people);
const fileMs = performance.now() - started;
progress(`erasing (hubspot alone needs ≥ ${num(PEOPLE / (limits.hubspot.requests / 10))} s at its limit)…`);
started = performance.now();
const report = await runPendingSteps(project, warehouse, {
  openWarehouse: () =>
    openWarehouse({ type: 'duckdb', path: path.join(dir, 'w.duckdb') }, { projectDir: dir }),
});
const runMs = performance.now() - started;
const [ledger] = await warehouse.query(
  "SELECT count(*) FILTER (WHERE status = 'acknowledged') AS acked, count(*) AS steps, count(DISTINCT request_id) AS requests FROM weft_state.privacy_steps WHERE step LIKE 'sync:%'",
);
const [open] = await warehouse.query(
  "SELECT count(*) AS n FROM weft_state.privacy_requests WHERE status <> 'completed'",
);
const left = {};
for (const sync of syncs) {
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM weft_state.snapshot_${sync.name}`);
  left[sync.name] = Number(row.n);
}
const typeOf = {
  hubspot_contacts: 'hubspot',
  salesforce_contacts: 'salesforce',
  braze_users: 'braze',
  mailchimp_members: 'mailchimp',
  webhook_people: 'webhook',
};
const lines = [];
const out = (line = '') => lines.push(line);
out('## Privacy: 10,000 erasure requests against the sandbox');
out();
out(
  `${num(PEOPLE)} people, each synced to HubSpot, Salesforce, Braze, Mailchimp and a webhook, then one erasure request per person (\`createErasureRequests\`: suppression hashes, request rows, the ledger) and one \`runPendingSteps\` erasing them everywhere, each emulator enforcing the vendor's documented limit. DuckDB file, one process, 2 cores; load average before the run: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}.`,
);
out();
out(`| phase | time |`);
out(`|---|---:|`);
out(
  `| file ${num(filed.length)} requests (suppress, plan ${num(Number(ledger.steps))} destination steps) | ${sec(fileMs)} |`,
);
out(`| erase everywhere (weft tables and 5 destinations) | ${sec(runMs)} |`);
out();
out(
  '| destination | records | API requests | records / request | erasure time | rate limit | share of the limit used | 429s | left in snapshot |',
);
out('|---|---:|---:|---:|---:|---|---:|---:|---:|');
for (const e of report.erasures) {
  const type = typeOf[e.sync];
  const stats = em[type].snapshot().stats;
  const requests = stats.requests - before[type].requests;
  const limit = limits[type];
  const allowed = limit ? (limit.requests / limit.perMs) * e.ms : undefined;
  out(
    `| ${type} | ${num(e.records)} | ${num(requests)} | ${(e.records / Math.max(1, e.requests)).toFixed(0)} | ${sec(e.ms)} | ${limit ? `${num(limit.requests)} / ${limit.perMs / 1000} s` : '10 connections'} | ${allowed ? `${((requests / allowed) * 100).toFixed(1)}%` : 'n/a'} | ${stats.rateLimited - before[type].rateLimited} | ${left[e.sync]} |`,
  );
}
out();
out(
  `- ledger: ${num(Number(ledger.acked))} of ${num(Number(ledger.steps))} destination steps acknowledged for ${num(Number(ledger.requests))} requests; requests not completed: ${num(Number(open.n))}`,
);
out(
  `- Klaviyo (not run): its data-privacy deletion endpoint takes one person per request at 60 requests/min steady (3/s burst), so ${num(PEOPLE)} people take at least ${num(PEOPLE / 60)} minutes whatever the client; weft paces it at 1/s.`,
);
console.log(lines.join('\n'));
await warehouse.close();
await sandbox.close();
fs.rmSync(dir, { recursive: true, force: true });
