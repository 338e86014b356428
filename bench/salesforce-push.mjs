#!/usr/bin/env node
// Benchmark: `runSync` of new Contacts to the Salesforce emulator, in one process.
// 1. sObject Collections at a configured rate (WEFT_BENCH_RATE requests/s, default 20, declared
//    as the connection's rate_limit; the emulator enforces a sliding window of that many plus
//    the 2 unpaced setup calls, token and describe):
//    WEFT_BENCH_ROWS rows (default 200,000) below bulk_threshold, 200 records per request.
//    rows/s against the theoretical maximum (rate × 200), over the whole run and over the
//    sending span (first to last collections call the emulator answered).
// 2. Bulk API 2.0 for a large run (WEFT_BENCH_BULK_ROWS, default 200,000; jobs of 50,000 rows):
//    rows/s, and API calls spent per 10,000 rows (what the bulk path saves of the daily quota).
// Markdown on stdout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dist, requireBuild } from './lib/dist.mjs';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 200_000);
const RATE = Number(process.env.WEFT_BENCH_RATE ?? 20);
const BULK_ROWS = Number(process.env.WEFT_BENCH_BULK_ROWS ?? 200_000);
const BULK_JOB = 50_000;
const BATCH = 200;
const SETUP_CALLS = 2;
const progress = (message) => process.stderr.write(`[salesforce-push] ${message}\n`);

requireBuild('src/sync/index.js');
const { openWarehouse } = await import(dist('src/warehouse/registry.js'));
const { runSync } = await import(dist('src/sync/run-sync.js'));
const { startEmulator } = await import(dist('src/sandbox/server.js'));
const { salesforceEmulator } = await import(dist('destinations/salesforce/emulator.js'));

/** One run of `rows` new contacts with extra connection settings; the emulator's state after it. */
async function run(rows, settings, rateLimit) {
  const emulator = await startEmulator(salesforceEmulator, {
    options: { dailyApiLimit: 10_000_000, bulkProcessingPolls: 2 },
    ...(rateLimit && { rateLimit }),
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-salesforce-'));
  const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
  try {
    await warehouse.execute('CREATE SCHEMA app');
    await warehouse.execute(
      `CREATE TABLE app.people AS SELECT 'p' || i AS id, 'Person ' || i AS last_name, 'person' || i || '@example.com' AS email, round(i * 1.37, 2) AS ltv FROM range(${rows}) t(i)`,
    );
    const sync = {
      name: 'bench_salesforce',
      from: 'app.people',
      connection: 'sf',
      object: 'Contact',
      mode: 'upsert',
      key: 'id',
      match_on: 'External_Id__c',
      mappings: { LastName: 'last_name', Email: 'email', Lifetime_Value__c: 'ltv' },
    };
    const project = {
      dir,
      config: {
        name: 'bench',
        schema: 'app',
        state_schema: 'weft_state',
        warehouse: { type: 'duckdb', path: ':memory:' },
        connections: { sf: { ...emulator.settings, ...settings } },
        vars: {},
      },
      sources: [{ name: 'app', schema: 'app', tables: [{ name: 'people', identifier: 'people' }] }],
      models: [],
      audiences: [],
      syncs: [{ path: 'syncs/bench_salesforce.yml', value: sync }],
      secrets: [],
    };
    const started = performance.now();
    const { summary } = await runSync(project, warehouse, sync);
    const ms = performance.now() - started;
    const snapshot = emulator.snapshot();
    if (summary.status !== 'success') throw new Error(`run ended ${summary.status}: ${summary.error ?? ''}`);
    return { summary, ms, state: snapshot.state, stats: snapshot.stats };
  } finally {
    await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (n) => `${n.toFixed(1)}%`;
const num = (n) => Math.round(n).toLocaleString('en-US');

progress(`collections: ${ROWS.toLocaleString()} rows at ${RATE} requests/s…`);
const collections = await run(
  ROWS,
  { bulk_threshold: ROWS + 1, concurrency: 8, rate_limit: { requests: RATE, per_seconds: 1 } },
  // The emulator's window also counts the OAuth token and describe calls made once before the
  // push, which the runner does not pace: it allows those two on top of the paced rate.
  { requests: RATE + SETUP_CALLS, perMs: 1000 },
);
const writes = collections.state.writes.filter((w) => w.op === 'upsert');
const maxRate = RATE * BATCH;
const overall = collections.summary.succeeded / (collections.ms / 1000);
const span = Math.max(1, (writes.at(-1)?.at ?? 0) - (writes[0]?.at ?? 0));
const spanRate = ((writes.length - 1) * BATCH * 1000) / span;

progress(`bulk: ${BULK_ROWS.toLocaleString()} rows in jobs of ${BULK_JOB.toLocaleString()}…`);
const bulk = await run(BULK_ROWS, {
  bulk_threshold: 1000,
  bulk_batch_size: BULK_JOB,
  bulk_poll_ms: 20,
  concurrency: 4,
});
const bulkRate = bulk.summary.succeeded / (bulk.ms / 1000);
const bulkCalls = bulk.state.apiUsage.used;
const collectionCalls = collections.state.apiUsage.used;

const lines = [
  '## Salesforce push (emulator)',
  '',
  `sObject Collections: ${num(ROWS)} new Contacts upserted by external id, ${BATCH} per request, at ${RATE} requests/s (the connection's rate_limit; the emulator's sliding window allows ${RATE} + ${SETUP_CALLS} per second, the 2 being the unpaced token and describe calls at the start). Theoretical maximum ${num(maxRate)} rows/s.`,
  '',
  '| path | rows | time | rows/s | of max | API calls | calls per 10k rows |',
  '|---|---|---|---|---|---|---|',
  `| collections, whole run (plan, describe, merge) | ${num(collections.summary.succeeded)} | ${(collections.ms / 1000).toFixed(1)} s | ${num(overall)} | ${pct((overall / maxRate) * 100)} | ${num(collectionCalls)} | ${(collectionCalls / (ROWS / 10_000)).toFixed(1)} |`,
  `| collections, sending span | ${num(writes.length * BATCH)} | ${(span / 1000).toFixed(1)} s | ${num(spanRate)} | ${pct((spanRate / maxRate) * 100)} | | |`,
  `| Bulk API 2.0 (${num(BULK_JOB)}-row jobs, no rate limit) | ${num(bulk.summary.succeeded)} | ${(bulk.ms / 1000).toFixed(1)} s | ${num(bulkRate)} | n/a | ${num(bulkCalls)} | ${(bulkCalls / (BULK_ROWS / 10_000)).toFixed(1)} |`,
  '',
  `429s from the emulator during the collections run: ${collections.stats.rateLimited}. Bulk jobs: ${bulk.state.bulkJobs.length} (${bulk.state.bulkJobs.map((j) => j.state).join(', ')}), each polled ${bulk.state.bulkJobs[0]?.polls ?? 0} times.`,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
