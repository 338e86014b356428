#!/usr/bin/env node
// Benchmark: one rate budget per destination account. Two syncs (WEFT_BENCH_ROWS changed rows
// each, default 50,000, from one generated source table) write to ONE webhook emulator account
// that enforces a sliding-window limit (default 190 requests per 10 s, HubSpot-like); each sync's
// connection declares that whole limit. Run concurrently in one process (`runSync`, as
// `weft schedule` runs them) with one shared `AccountBudgets` vs a private budget each: total
// rows/s, accepted requests/s as a share of the limit (target ≥ 95%) and 429s. Then a low- and a
// high-priority sync on the shared budget (the high one started once the low one is sending),
// against the same pair at normal priority: when each finishes. The emulator runs in a child
// process (its CPU is not weft's). Build first (`npm run build`). Markdown on stdout only.
// Env: WEFT_BENCH_ROWS, WEFT_BENCH_RATE (requests per window), WEFT_BENCH_RATE_WINDOW_MS (10000),
// WEFT_BENCH_BATCH (rows per request, 100).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from './lib/dist.mjs';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 50_000);
const RATE = {
  requests: Number(process.env.WEFT_BENCH_RATE ?? 190),
  perMs: Number(process.env.WEFT_BENCH_RATE_WINDOW_MS ?? 10_000),
};
const BATCH = Number(process.env.WEFT_BENCH_BATCH ?? 100);
const CONCURRENCY = 4;
const progress = (message) => process.stderr.write(`[schedule-budget] ${message}\n`);

if (process.argv[2] === 'emulator') {
  // Child: the receiver, rate-limited; keeps digests, not data. Tracks, per sync, when its first
  // and latest accepted batch arrived (20 ms resolution) and answers stats over IPC.
  const { startEmulator } = await import(dist('src/sandbox/server.js'));
  const { webhookEmulator } = await import(dist('destinations/webhook/emulator.js'));
  const emulator = await startEmulator(webhookEmulator, {
    options: { maxRows: BATCH, store: 'digest' },
    rateLimit: JSON.parse(process.argv[3]),
  });
  const countsOnly = new URLSearchParams('records=false');
  const t0 = performance.now();
  const perSync = {};
  let seen = 0;
  const sample = () => {
    const batches = emulator.snapshot(countsOnly).state.batches;
    const now = performance.now() - t0;
    for (; seen < batches.length; seen++) {
      const sync = batches[seen].sync;
      perSync[sync] ??= { accepted: 0, rows: 0, firstAt: now, lastAt: now };
      const s = perSync[sync];
      s.accepted++;
      s.rows += batches[seen].rows;
      s.lastAt = now;
    }
  };
  setInterval(sample, 20).unref();
  process.on('message', (message) => {
    if (message === 'stats') {
      sample();
      const { stats } = emulator.snapshot(countsOnly);
      process.send({ stats, perSync, now: performance.now() - t0 });
    }
    if (message === 'stop') emulator.close().then(() => process.exit(0));
  });
  process.send({ settings: emulator.settings });
} else {
  if (!fs.existsSync(new URL(dist('src/sync/budget/index.js'))))
    throw new Error('dist/ is missing: run `npm run build`');
  const { AccountBudgets } = await import(dist('src/sync/budget/index.js'));
  const { runSync } = await import(dist('src/sync/run-sync.js'));
  const { loadProjectOrThrow } = await import(dist('src/config/project.js'));
  const { openWarehouse } = await import(dist('src/warehouse/registry.js'));

  const startEmulatorProcess = () =>
    new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['emulator', JSON.stringify(RATE)], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      child.once('message', (m) => resolve({ child, settings: m.settings }));
      child.once('error', reject);
    });
  const ask = (child) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send('stats');
    });

  /**
   * A project in a temp dir: source table app.people of ROWS rows, connections hook_a/hook_b to
   * the same emulator URL (one account), each declaring the account's whole limit, and `syncs`.
   */
  async function makeProject(emulator, syncs) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-budget-'));
    const { type: _type, ...settings } = emulator.settings;
    const hook = {
      ...settings,
      batch_size: BATCH,
      concurrency: CONCURRENCY,
      rate_limit: { requests: RATE.requests, per_seconds: RATE.perMs / 1000 },
    };
    const connection = (name) =>
      `  ${name}:\n    type: webhook\n${Object.entries(hook)
        .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
        .join('\n')}\n`;
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      `name: bench\nwarehouse:\n  type: duckdb\n  path: weft.duckdb\nconnections:\n${connection('hook_a')}${connection('hook_b')}`,
    );
    fs.mkdirSync(path.join(dir, 'models'));
    fs.writeFileSync(
      path.join(dir, 'models/sources.yml'),
      'sources:\n  app:\n    schema: app\n    tables: [people]\n',
    );
    fs.mkdirSync(path.join(dir, 'syncs'));
    for (const s of syncs) {
      fs.writeFileSync(
        path.join(dir, `syncs/${s.name}.yml`),
        `name: ${s.name}\nfrom: app.people\nconnection: ${s.connection}\nmode: upsert\nkey: email\npriority: ${s.priority ?? 'normal'}\nmappings:\n  email: email\n  name: name\n  ltv: ltv\n`,
      );
    }
    const warehouse = await openWarehouse({ type: 'duckdb', path: 'weft.duckdb' }, { projectDir: dir });
    await warehouse.execute('CREATE SCHEMA app');
    await warehouse.execute(
      `CREATE TABLE app.people AS SELECT 'p' || i || '@example.com' AS email, 'Person ' || i AS name, round(i * 1.5, 2) AS ltv FROM range(${ROWS}) t(i)`,
    );
    await warehouse.close();
    return { dir, project: await loadProjectOrThrow(dir, { env: {} }) };
  }

  /**
   * Runs `syncs` concurrently against a fresh rate-limited emulator, each on its own warehouse
   * connection, with one shared budget or a private one each. `second` (optional) holds back the
   * second sync until the first has had `after` batches accepted.
   */
  async function scenario(label, syncs, { shared, staggered = false }) {
    const emulator = await startEmulatorProcess();
    const { dir, project } = await makeProject(emulator, syncs);
    const warehouses = [];
    try {
      const budget = shared ? AccountBudgets.forProject(project) : undefined;
      if (budget && budget.keys().length !== 1) throw new Error(`expected one account, got ${budget.keys()}`);
      progress(
        `${label}: ${syncs.length} × ${ROWS.toLocaleString()} rows, ${shared ? 'shared budget' : 'private budgets'}`,
      );
      const t0 = performance.now();
      const run = async (config) => {
        const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
        warehouses.push(warehouse);
        const startedAt = performance.now() - t0;
        const outcome = await runSync(project, warehouse, config, {
          ...(budget && { budget }),
          releaseMemory: false,
        });
        return { name: config.name, startedAt, endedAt: performance.now() - t0, summary: outcome.summary };
      };
      const configs = syncs.map((s) => project.syncs.find((f) => f.value.name === s.name).value);
      const runs = [run(configs[0])];
      if (staggered) {
        // Start the second once the first is sending (its next calls wait in the queue).
        for (;;) {
          const { perSync } = await ask(emulator.child);
          if ((perSync[configs[0].name]?.accepted ?? 0) >= 5) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      for (const config of configs.slice(1)) runs.push(run(config));
      const results = await Promise.all(runs);
      const ms = performance.now() - t0;
      const { stats, perSync } = await ask(emulator.child);
      for (const r of results) {
        progress(
          `  ${r.name}: ${r.summary.status}, ${r.summary.succeeded} ok, ${r.summary.rejected} rejected, ${r.summary.unacknowledged} unacknowledged, ended at ${(r.endedAt / 1000).toFixed(1)} s`,
        );
      }
      return { label, ms, stats, perSync, results };
    } finally {
      for (const w of warehouses) await w.close();
      emulator.child.send('stop');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const allowedPerSecond = (RATE.requests * 1000) / RATE.perMs;
  /** Accepted requests/s from the first accepted arrival to the last, over all syncs. */
  const acceptedRate = ({ perSync }) => {
    const s = Object.values(perSync);
    const accepted = s.reduce((n, x) => n + x.accepted, 0);
    const span = Math.max(...s.map((x) => x.lastAt)) - Math.min(...s.map((x) => x.firstAt));
    return (accepted - 1) / (span / 1000);
  };
  const pair = [
    { name: 'sync_a', connection: 'hook_a' },
    { name: 'sync_b', connection: 'hook_b' },
  ];
  const shared = await scenario('shared', pair, { shared: true });
  const alone = await scenario('private', pair, { shared: false });
  const prio = await scenario(
    'priority',
    [
      { name: 'low_sync', connection: 'hook_a', priority: 'low' },
      { name: 'high_sync', connection: 'hook_b', priority: 'high' },
    ],
    { shared: true, staggered: true },
  );
  const even = await scenario(
    'normal pair',
    [
      { name: 'first_sync', connection: 'hook_a', priority: 'normal' },
      { name: 'second_sync', connection: 'hook_b', priority: 'normal' },
    ],
    { shared: true, staggered: true },
  );

  const s = (ms) => (ms / 1000).toFixed(1);
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const rowsOk = (r) => r.results.reduce((n, x) => n + x.summary.succeeded, 0);
  const rowsFailed = (r) => r.results.reduce((n, x) => n + x.summary.rejected + x.summary.unacknowledged, 0);
  const statuses = (r) => r.results.map((x) => x.summary.status).join(' / ');
  const row = (r) => {
    const rate = acceptedRate(r);
    const share = (100 * rate) / allowedPerSecond;
    const offered = r.stats.requests / (r.ms / 1000);
    return `| ${r.label} | ${s(r.ms)} | ${fmt(rowsOk(r) / (r.ms / 1000))} | ${fmt(rowsOk(r))} / ${fmt(rowsFailed(r))} | ${rate.toFixed(2)} | **${share.toFixed(1)}%** | ${offered.toFixed(2)} | **${r.stats.rateLimited}** | ${r.stats.peakWindowRequests} | ${statuses(r)} |`;
  };
  /** The first-started (`a`) and second-started (`b`) runs of a staggered pair. */
  const timing = (r, first, second) => ({
    a: r.results.find((x) => x.name === first),
    b: r.results.find((x) => x.name === second),
  });
  const p = timing(prio, 'low_sync', 'high_sync');
  const n = timing(even, 'first_sync', 'second_sync');
  const ideal = (ROWS / BATCH / allowedPerSecond) * 1000;
  const sharedShare = (100 * acceptedRate(shared)) / allowedPerSecond;
  process.stdout.write(`## Shared rate budget: two syncs, one account

Two syncs of ${fmt(ROWS)} changed rows each (batches of ${BATCH}, concurrency ${CONCURRENCY}) to one webhook emulator account enforcing a sliding window of ${RATE.requests} requests per ${RATE.perMs} ms (${allowedPerSecond.toFixed(1)}/s); each sync's connection declares that whole limit. In one process with \`runSync\` (as \`weft schedule\` runs them), each on its own warehouse connection; the emulator in a child process. "accepted/s" counts 200s from the first accepted request to the last; "sent/s" every request (429s too) over the wall time; the busiest window is the emulator's own count.

| budgets | wall s | rows/s | rows ok / not delivered | accepted/s | of the limit | sent/s | 429s | busiest window | status |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
${row(shared)}
${row(alone)}

- shared budget: **${sharedShare.toFixed(1)}%** of the allowed rate (target ≥ 95%: ${sharedShare >= 95 ? 'met' : 'NOT met'}), **${shared.stats.rateLimited}** 429s (target 0: ${shared.stats.rateLimited === 0 ? 'met' : 'NOT met'})
- private budgets: each paces itself to the whole limit, so together they overrun the window: **${alone.stats.rateLimited}** 429s, each pausing that sync for the Retry-After (${(alone.stats.requests / (alone.ms / 1000)).toFixed(2)} requests/s sent overall); ${rowsFailed(alone) === 0 ? 'every row still delivered' : `${fmt(rowsFailed(alone))} rows NOT delivered`}; ${fmt(rowsOk(alone) / (alone.ms / 1000))} vs ${fmt(rowsOk(shared) / (shared.ms / 1000))} rows/s shared

Priorities on the shared budget: the second sync starts once the first has had 5 batches accepted. Times from the first sync's start; ${s(ideal)} s is one sync's ${fmt(ROWS / BATCH)} requests alone at the full rate.

| pair | second sync started | second sync finished (took) | first sync finished |
|---|---:|---:|---:|
| low first, then high | ${s(p.b.startedAt)} s | **${s(p.b.endedAt)} s** (${s(p.b.endedAt - p.b.startedAt)} s) | ${s(p.a.endedAt)} s |
| normal, then normal | ${s(n.b.startedAt)} s | ${s(n.b.endedAt)} s (${s(n.b.endedAt - n.b.startedAt)} s) | ${s(n.a.endedAt)} s |

- the high-priority sync finished **${s(p.a.endedAt - p.b.endedAt)} s before** the low one (${(((p.b.endedAt - p.b.startedAt) / ideal) * 100).toFixed(0)}% of the alone-at-full-rate time); at equal priority the later one finished ${s(n.b.endedAt - n.a.endedAt)} s after the first
- 429s: ${prio.stats.rateLimited} (priority pair), ${even.stats.rateLimited} (normal pair); statuses ${statuses(prio)}, ${statuses(even)}
`);
}
