#!/usr/bin/env node
// Benchmark: `weft sync` end to end (plan, stream, map, batch, send, journal, merge) of
// WEFT_BENCH_ROWS changed rows (default 1,000,000; also 1/4 and 1/2 of it, to show memory stays
// flat) to the webhook emulator with no limit: rows/s and peak RSS. Then against an emulator
// enforcing a sliding-window rate limit: achieved share of the allowed request rate and 429s.
// The emulator runs in a child process so its memory is not counted; the peak RSS is the
// `weft sync` process's own (VmHWM). Each size runs WEFT_BENCH_REPEAT times. Markdown on stdout.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from './lib/dist.mjs';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 1_000_000);
// HubSpot-like: 190 requests per rolling 10 s.
const RATE = { requests: Number(process.env.WEFT_BENCH_RATE ?? 190), perMs: 10_000 };
const RATE_SECONDS = Number(process.env.WEFT_BENCH_RATE_SECONDS ?? 20);
const BATCH = 1000;
// weft.yml `warehouse.memory_limit` of the synced project ('' = DuckDB's default, 80% of RAM).
const DUCKDB_MEMORY = process.env.WEFT_BENCH_DUCKDB_MEMORY ?? '256MB';
// Runs per size: the machine may be shared, so medians (and the worst peak) are reported.
const REPEAT = Number(process.env.WEFT_BENCH_REPEAT ?? 3);
const progress = (message) => process.stderr.write(`[sync-push] ${message}\n`);

if (process.argv[2] === 'emulator') {
  // Child: serve the webhook emulator; answer stats (not the million records) over IPC.
  const { startEmulator } = await import(dist('src/sandbox/server.js'));
  const { webhookEmulator } = await import(dist('destinations/webhook/emulator.js'));
  const rateLimit = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
  // The receiver keeps a digest per key (not the data) and is asked for counts only (never the
  // million records): its own CPU and memory stay small, so the machine's cores go to weft.
  const emulator = await startEmulator(webhookEmulator, {
    options: { maxRows: BATCH, store: 'digest' },
    rateLimit,
  });
  const countsOnly = new URLSearchParams('records=false');
  // When the first and the latest request arrived (20 ms resolution), to measure the pace alone.
  let firstAt = 0;
  let lastAt = 0;
  let seen = 0;
  setInterval(() => {
    const requests = emulator.snapshot(countsOnly).stats.requests;
    if (requests > seen) {
      if (seen === 0) firstAt = performance.now();
      lastAt = performance.now();
      seen = requests;
    }
  }, 20).unref();
  process.on('message', (message) => {
    if (message === 'stats') {
      const { stats, state } = emulator.snapshot(countsOnly);
      const held = Object.values(state.counts).reduce((n, c) => n + c, 0);
      process.send({ stats, held, maxBatchRows: state.maxBatchRows, spanMs: lastAt - firstAt });
    }
    if (message === 'stop') emulator.close().then(() => process.exit(0));
  });
  process.send({ settings: emulator.settings });
} else {
  if (!fs.existsSync(new URL(dist('src/sync/index.js'))))
    throw new Error('dist/ is missing: run `npm run build`');
  const { openWarehouse } = await import(dist('src/warehouse/registry.js'));
  const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

  const startEmulatorProcess = (rateLimit) =>
    new Promise((resolve, reject) => {
      const child = fork(
        fileURLToPath(import.meta.url),
        ['emulator', rateLimit ? JSON.stringify(rateLimit) : ''],
        {
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        },
      );
      child.once('message', (m) => resolve({ child, settings: m.settings }));
      child.once('error', reject);
    });
  const ask = (child) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send('stats');
    });

  /** Peak RSS (VmHWM) of a child process, polled from /proc until it exits (Linux). */
  function watchPeakRss(pid) {
    let peakKb = 0;
    const timer = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {}
    }, 10);
    return () => {
      clearInterval(timer);
      return peakKb / 1024;
    };
  }

  /** A project whose model `people` has `rows` rows, syncing to the emulator; data made here, synced by the real CLI. */
  async function syncRows(rows, rateLimit, settingsExtra = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-push-'));
    const emulator = await startEmulatorProcess(rateLimit);
    try {
      const connection = { ...emulator.settings, batch_size: BATCH, concurrency: 8, ...settingsExtra };
      delete connection.type;
      fs.writeFileSync(
        path.join(dir, 'weft.yml'),
        `name: bench\nwarehouse:\n  type: duckdb\n${DUCKDB_MEMORY ? `  memory_limit: ${DUCKDB_MEMORY}\n` : ''}connections:\n  hook:\n    type: webhook\n${Object.entries(
          connection,
        )
          .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
          .join('\n')}\n`,
      );
      fs.mkdirSync(path.join(dir, 'models'));
      fs.writeFileSync(
        path.join(dir, 'models/sources.yml'),
        'sources:\n  app:\n    schema: app\n    tables: [people]\n',
      );
      fs.writeFileSync(path.join(dir, 'models/people.sql'), "select * from {{source 'app' 'people'}}\n");
      fs.mkdirSync(path.join(dir, 'syncs'));
      fs.writeFileSync(
        path.join(dir, 'syncs/bench_push.yml'),
        `name: bench_push\nfrom: people\nconnection: hook\nmode: upsert\nkey: email\nmappings:\n  email: "{{lower email}}"\n  name: name\n  ltv: ltv\n  updated_at: "{{date updated_at 'iso'}}"\n`,
      );
      const warehouse = await openWarehouse(
        { type: 'duckdb', path: '.weft/warehouse.duckdb' },
        { projectDir: dir },
      );
      await warehouse.execute('CREATE SCHEMA app; CREATE SCHEMA weft');
      await warehouse.execute(
        `CREATE TABLE app.people AS SELECT 'p' || i || '@example.com' AS email, 'Person ' || i AS name, round(i * 1.5, 2) AS ltv, TIMESTAMP '2024-01-01' + to_seconds(i) AS updated_at FROM range(${rows}) t(i)`,
      );
      await warehouse.execute('CREATE VIEW weft.people AS SELECT * FROM app.people');
      await warehouse.close();

      const t0 = performance.now();
      const child = spawn(process.execPath, [cli, 'sync', 'bench_push', '--json'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const peak = watchPeakRss(child.pid);
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      const code = await new Promise((resolve) => child.on('close', resolve));
      const ms = performance.now() - t0;
      const peakMb = peak();
      const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
      if (code !== 0) throw new Error(`weft sync exited ${code}: ${stdout}`);
      const stats = await ask(emulator.child);
      return { summary, ms, pushMs: summary.duration_ms, peakMb, ...stats };
    } finally {
      emulator.child.send('stop');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
  const loadBefore = load();
  const sizes = [Math.round(ROWS / 4), Math.round(ROWS / 2), ROWS];
  const runs = new Map(sizes.map((rows) => [rows, []]));
  // Sizes interleaved (small, middle, big, small, …) so a busy spell on the machine does not hit one size only.
  for (let round = 1; round <= REPEAT; round++) {
    for (const rows of sizes) {
      progress(
        `pushing ${rows.toLocaleString()} rows, no rate limit (run ${round}/${REPEAT}, load ${load()})`,
      );
      const r = await syncRows(rows);
      if (r.summary.status !== 'success' || r.held !== rows)
        throw new Error(`push of ${rows} rows: ${JSON.stringify(r.summary)}`);
      runs.get(rows).push(r);
      progress(
        `  ${Math.round(rows / (r.ms / 1000)).toLocaleString()} rows/s, peak RSS ${r.peakMb.toFixed(0)} MB`,
      );
    }
  }
  const unlimited = sizes.map((rows) => {
    const rs = runs.get(rows);
    return {
      rows,
      ms: median(rs.map((r) => r.ms)),
      peakMb: median(rs.map((r) => r.peakMb)),
      worstPeakMb: Math.max(...rs.map((r) => r.peakMb)),
      maxBatchRows: Math.max(...rs.map((r) => r.maxBatchRows)),
    };
  });
  const loadAfterPush = load();

  const limitedRows = Math.round(((RATE.requests * 1000) / RATE.perMs) * RATE_SECONDS * 100);
  progress(`pushing ${limitedRows.toLocaleString()} rows at ${RATE.requests} requests/s (batches of 100)`);
  const limited = await syncRows(limitedRows, RATE, {
    batch_size: 100,
    rate_limit: { requests: RATE.requests, per_seconds: RATE.perMs / 1000 },
  });
  const allowedPerSecond = (RATE.requests * 1000) / RATE.perMs;
  // Requests are paced evenly: n requests span n-1 gaps from the first arrival to the last.
  const achievedPerSecond = (limited.stats.requests - 1) / (limited.spanMs / 1000);
  const share = (achievedPerSecond / allowedPerSecond) * 100;
  const rateLimited = limited.stats.rateLimited;

  const last = unlimited.at(-1);
  const first = unlimited[0];
  const rowsPerSecond = Math.round(last.rows / (last.ms / 1000));
  const growth = last.peakMb - first.peakMb;
  const setting = DUCKDB_MEMORY
    ? `\`warehouse.memory_limit: ${DUCKDB_MEMORY}\``
    : "DuckDB's default memory limit";
  process.stdout.write(`## Sync push: webhook emulator

No rate limit: \`weft sync\` as a process (start-up, plan, stream, map, batch, send, journal, merge), batches of ${BATCH}, concurrency 8, ${setting} in weft.yml; the emulator runs in its own process (not counted). Peak RSS is the \`weft sync\` process's own VmHWM, embedded DuckDB included. Medians of ${REPEAT} runs per size (sizes interleaved); load average (1/5/15 min) ${loadBefore} before, ${loadAfterPush} after, on ${os.cpus().length} cores:

| changed rows | time | rows/s | peak RSS (median) | peak RSS (worst run) |
|---|---|---|---|---|
${unlimited
  .map(
    (r) =>
      `| ${r.rows.toLocaleString()} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round(r.rows / (r.ms / 1000)).toLocaleString()} | ${r.peakMb.toFixed(0)} MB | ${r.worstPeakMb.toFixed(0)} MB |`,
  )
  .join('\n')}

- ${last.rows.toLocaleString()} rows: **${rowsPerSecond.toLocaleString()} rows/s** (target ≥ 20,000: ${rowsPerSecond >= 20_000 ? 'met' : 'NOT met'}), peak RSS **${last.peakMb.toFixed(0)} MB** median, ${last.worstPeakMb.toFixed(0)} MB worst (target < 400 MB: ${last.worstPeakMb < 400 ? 'met' : last.peakMb < 400 ? 'met by the median, NOT by the worst run' : 'NOT met'}); largest batch ${last.maxBatchRows} rows
- growth from ${first.rows.toLocaleString()} to ${last.rows.toLocaleString()} rows: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB (${((growth / first.peakMb) * 100).toFixed(0)}%) for ${last.rows / first.rows}x the rows

Sliding-window limit of ${RATE.requests} requests per ${RATE.perMs} ms (${limitedRows.toLocaleString()} rows in batches of 100):

- achieved ${achievedPerSecond.toFixed(2)} requests/s of ${allowedPerSecond.toFixed(2)} allowed: **${share.toFixed(1)}%** (target ≥ 95%: ${share >= 95 ? 'met' : 'NOT met'})
- 429 responses: **${rateLimited}** (target 0: ${rateLimited === 0 ? 'met' : 'NOT met'}); busiest window held ${limited.stats.peakWindowRequests} requests
`);
}
