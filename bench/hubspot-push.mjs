#!/usr/bin/env node
// Benchmark: `runSync` of WEFT_BENCH_ROWS new contacts (default 100,000) to the HubSpot emulator at
// an account tier's limits (WEFT_BENCH_TIER, default professional: 190 requests per rolling 10 s,
// 100 inputs per batch), in one process. Reports rows/s against the theoretical maximum
// (requests per second × 100 records per request): over the whole run (plan, property
// discovery, merge included) and over the sending span (first to last request the emulator
// received), plus the 429s the emulator answered. Markdown on stdout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dist, requireBuild } from './lib/dist.mjs';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 100_000);
const TIER = process.env.WEFT_BENCH_TIER ?? 'professional';
const progress = (message) => process.stderr.write(`[hubspot-push] ${message}\n`);

requireBuild('src/sync/index.js');
const { openWarehouse } = await import(dist('src/warehouse/registry.js'));
const { runSync } = await import(dist('src/sync/run-sync.js'));
const { startEmulator } = await import(dist('src/sandbox/server.js'));
const { hubspotEmulator } = await import(dist('destinations/hubspot/emulator.js'));
const { TIER_LIMITS, HUBSPOT_BATCH } = await import(dist('destinations/hubspot/settings.js'));

const tier = TIER_LIMITS[TIER];
if (!tier) throw new Error(`unknown tier ${TIER} (${Object.keys(TIER_LIMITS).join(', ')})`);
const intervalMs = 10_000;
// The emulator enforces exactly the tier's rolling window (the daily allowance is not the subject here).
const emulator = await startEmulator(hubspotEmulator, {
  options: { limits: { max: tier.perTenSeconds, intervalMs, daily: tier.daily } },
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-hubspot-'));
const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
try {
  await warehouse.execute('CREATE SCHEMA app');
  await warehouse.execute(
    `CREATE TABLE app.people AS SELECT 'person' || i || '@example.com' AS email, 'Person ' || i AS name, round(i * 1.37, 2) AS ltv FROM range(${ROWS}) t(i)`,
  );
  const sync = {
    name: 'bench_hubspot',
    from: 'app.people',
    connection: 'hub',
    object: 'contacts',
    mode: 'upsert',
    key: 'email',
    match_on: 'email',
    mappings: { email: 'email', firstname: 'name', lifetime_value: 'ltv' },
  };
  const project = {
    dir,
    config: {
      name: 'bench',
      schema: 'app',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb', path: ':memory:' },
      connections: { hub: { ...emulator.settings, tier: TIER } },
      vars: {},
    },
    sources: [{ name: 'app', schema: 'app', tables: [{ name: 'people', identifier: 'people' }] }],
    models: [],
    audiences: [],
    syncs: [{ path: 'syncs/bench_hubspot.yml', value: sync }],
    secrets: [],
  };
  progress(`${ROWS.toLocaleString()} rows at ${TIER} (${tier.perTenSeconds} per 10 s)…`);
  const started = performance.now();
  const { summary } = await runSync(project, warehouse, sync);
  const ms = performance.now() - started;
  const { state } = emulator.snapshot();
  const upserts = state.requests.filter((r) => r.path.endsWith('/batch/upsert') && r.status < 300);
  const first = state.requests[0]?.at ?? 0;
  const last = state.requests.at(-1)?.at ?? 0;
  const requests = state.requests.length;
  // The sustained maximum of a rolling window: `max` requests per interval (a run shorter than one
  // window could burst faster; weft paces evenly instead, so long runs are what this measures).
  const maxRowsPerSecond = (tier.perTenSeconds / (intervalMs / 1000)) * HUBSPOT_BATCH;
  const overall = summary.succeeded / (ms / 1000);
  // Over the sending span: the requests after the first arrived in (last - first) ms.
  const spanRate = ((requests - 1) / Math.max(1, last - first)) * 1000 * HUBSPOT_BATCH;
  const share = (overall / maxRowsPerSecond) * 100;
  const spanShare = (spanRate / maxRowsPerSecond) * 100;
  const rejected429 = state.rateLimited.TEN_SECONDLY_ROLLING + state.rateLimited.DAILY;
  process.stdout.write(`## HubSpot push: emulator at the ${TIER} tier

\`runSync\` of ${ROWS.toLocaleString()} new contacts (upsert by email, 3 properties) to the HubSpot emulator enforcing ${tier.perTenSeconds} requests per rolling 10 s, ${HUBSPOT_BATCH} inputs per batch, in one process; ${os.cpus().length} cores. Theoretical maximum: ${tier.perTenSeconds / 10} requests/s × ${HUBSPOT_BATCH} = **${maxRowsPerSecond.toLocaleString()} rows/s**.

| run | rows | requests | time | rows/s | of the maximum |
|---|---|---|---|---|---|
| whole run (plan, discovery, send, merge) | ${summary.succeeded.toLocaleString()} | ${requests} (${upserts.length} upserts) | ${(ms / 1000).toFixed(1)} s | ${Math.round(overall).toLocaleString()} | **${share.toFixed(1)}%** |
| sending span (first to last request) | | | ${((last - first) / 1000).toFixed(1)} s | ${Math.round(spanRate).toLocaleString()} | ${spanShare.toFixed(1)}% |

- run status ${summary.status}; 429 responses: **${rejected429}**; busiest rolling window held ${state.peakWindow} of ${tier.perTenSeconds} requests
- target ≥ 95% of the maximum over the whole run: ${share >= 95 ? 'met' : 'NOT met'}
`);
} finally {
  await warehouse.close();
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
