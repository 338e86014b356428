#!/usr/bin/env node
/**
 * Postgres vs DuckDB, as a user runs weft (the compiled CLI, one process per command):
 * 1. the demo project seeded with WEFT_BENCH_PEOPLE people (default 100,000), then
 *    `weft build --full-refresh --json` on each engine: wall time, models / identity / profiles /
 *    audiences split from the JSON report, peak RSS of the weft process; identity_map and
 *    profiles row counts must be equal;
 * 2. a generated source of WEFT_BENCH_ROWS rows (default 1,000,000, loaded with
 *    `Warehouse.load`) synced to the webhook destination: the first `weft plan` (all added),
 *    `weft sync --skip-backfill` (adopt), 2% of the rows changed, then `weft plan` timed.
 * DuckDB is a file in a temp copy of the project; Postgres a fresh database
 * (CREATE DATABASE weft_bench_<random>, dropped at the end) on WEFT_BENCH_POSTGRES_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres). Run `npm run build` first.
 * Prints one markdown section on stdout; progress on stderr. Does not write bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'dist/src/cli/main.js');
if (!fs.existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` first');
const { openWarehouse } = await import(path.join(repoRoot, 'dist/src/warehouse/registry.js'));

const PEOPLE = Number(process.env.WEFT_BENCH_PEOPLE ?? 100_000);
const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 1_000_000);
const ADMIN_URL = process.env.WEFT_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const progress = (message) => process.stderr.write(`[postgres-vs-duckdb] ${message}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => (ms / 1000).toFixed(2);
const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// One weft command longer than this is stopped and reported as not finished (keeps the bench
// within its budget when an engine goes pathological).
const STEP_TIMEOUT_MS = Number(process.env.WEFT_BENCH_STEP_TIMEOUT_S ?? 240) * 1000;

/**
 * Runs `weft …args` in `cwd`; wall ms, output, and the process's peak RSS (GNU time's %M).
 * Past STEP_TIMEOUT_MS its process group is killed and `{ timedOut: true }` returned.
 */
function weft(cwd, args, env) {
  const rssFile = path.join(cwd, '.weft-bench-rss');
  const [command, argv] = TIME_BIN
    ? [TIME_BIN, ['-f', '%M', '-o', rssFile, process.execPath, cli, ...args]]
    : [process.execPath, [cli, ...args]];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGKILL');
    }, STEP_TIMEOUT_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (timedOut) return resolve({ ms, stdout, stderr, timedOut });
      let rssKb;
      if (TIME_BIN && fs.existsSync(rssFile)) {
        rssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
        fs.rmSync(rssFile);
      }
      if (code !== 0)
        reject(
          new Error(`weft ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}${stdout.slice(-2000)}`),
        );
      else resolve({ ms, stdout, stderr, rssKb });
    });
  });
}

/** A temp copy of the demo project with only the bench sync and its source declared. */
function copyProject(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(repoRoot, 'weft.yml'), path.join(dir, 'weft.yml'));
  fs.cpSync(path.join(repoRoot, 'models'), path.join(dir, 'models'), { recursive: true });
  fs.appendFileSync(
    path.join(dir, 'models/sources.yml'),
    '  bench:\n    schema: bench\n    description: generated rows for the plan benchmark\n    tables: [items]\n',
  );
  fs.mkdirSync(path.join(dir, 'syncs'));
  fs.writeFileSync(
    path.join(dir, 'syncs/bench_items.yml'),
    [
      'name: bench_items',
      'from: bench.items',
      'connection: sandbox_webhook',
      'mode: upsert',
      'key: id',
      'mappings:',
      '  id: id',
      '  email: email',
      '  name: name',
      '  score: score',
      '  segment: segment',
      '',
    ].join('\n'),
  );
  return dir;
}

const columns = [
  { name: 'id', type: 'integer' },
  { name: 'email', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
  { name: 'segment', type: 'integer' },
];
function* generatedRows() {
  for (let i = 0; i < ROWS; i++) yield [i, `p${i}@example.com`, `Person ${i}`, i * 1.5, i % 7];
}

/**
 * Everything measured on one engine. `afterTimeout` runs when a weft command was stopped (ends
 * the server-side statements it left running); `diagnose` adds notes after a stopped build.
 */
async function runEngine(label, dir, env, connection, { afterTimeout, diagnose, watchStages } = {}) {
  const steps = [];
  const notes = [];
  const step = (name, ms, rows, rssKb, stopped = false) => {
    steps.push({ name, ms, rows, rssKb, stopped });
    const shown = ms === undefined ? 'n/a' : `${stopped ? '> ' : ''}${secs(ms)} s`;
    progress(`${label}: ${name} ${shown}${rows !== undefined ? ` (${fmt(rows)} rows)` : ''}`);
  };
  const lastJson = (run) => JSON.parse(run.stdout.trim().split('\n').at(-1));
  /** Runs a weft command as one step; undefined when it was stopped at the timeout. */
  const timedStep = async (name, args, rowsOf) => {
    const run = await weft(dir, args, env);
    if (run.timedOut) {
      step(name, run.ms, undefined, undefined, true);
      notes.push(
        `${label}: \`weft ${args.join(' ')}\` stopped after ${secs(run.ms)} s (WEFT_BENCH_STEP_TIMEOUT_S)`,
      );
      await afterTimeout?.();
      return undefined;
    }
    step(name, run.ms, rowsOf?.(lastJson(run)), run.rssKb);
    return run;
  };
  await timedStep('seed (CLI)', ['seed', '--people', String(PEOPLE), '--json'], (r) => r.totalRows);

  const watcher = watchStages?.();
  const build = await weft(dir, ['build', '--full-refresh', '--json'], env);
  const seen = watcher?.stop();
  if (build.timedOut) {
    step('build --full-refresh (wall)', build.ms, undefined, undefined, true);
    // Approximate splits from when each stage's statements first showed up on the server.
    const parts = ['models', 'identity', 'profiles', 'audiences'];
    const starts = [0, ...parts.slice(1).map((p) => seen?.[p])];
    for (const [i, part] of parts.entries()) {
      const begin = starts[i];
      const next = starts.slice(i + 1).find((t) => t !== undefined);
      if (begin === undefined) step(`  ${part}`, undefined);
      else {
        step(`  ${part}`, (next ?? build.ms) - begin, undefined, undefined, next === undefined);
        steps.at(-1).approx = true;
      }
    }
    notes.push(
      `${label}: \`weft build --full-refresh\` stopped after ${secs(build.ms)} s (WEFT_BENCH_STEP_TIMEOUT_S)`,
    );
    await afterTimeout?.();
    if (diagnose) notes.push(...(await diagnose()));
  } else {
    const report = lastJson(build);
    if (report.status !== 'success') throw new Error(`${label} build: ${build.stdout.slice(0, 2000)}`);
    const modelsMs = report.models.reduce((sum, m) => sum + (m.ms ?? 0), 0);
    const modelRows = report.models.reduce((sum, m) => sum + (m.rows_written ?? 0), 0);
    step('build --full-refresh (wall)', build.ms, undefined, build.rssKb);
    step('  models', modelsMs, modelRows);
    step('  identity', report.identity?.ms ?? 0, report.identity?.report?.rows_processed);
    step('  profiles', report.profiles?.ms ?? 0, report.profiles?.report?.profiles);
    const audienceRows = (report.audiences?.report?.audiences ?? []).reduce((s, a) => s + (a.size ?? 0), 0);
    step('  audiences', report.audiences?.ms ?? 0, audienceRows);
  }

  const warehouse = await openWarehouse(connection, { projectDir: dir });
  let counts;
  try {
    const count = async (table) =>
      Number((await warehouse.query(`SELECT count(*) AS n FROM weft.${table}`))[0].n);
    const safeCount = (table) => count(table).catch(() => undefined);
    counts = { identity_map: await safeCount('identity_map'), profiles: await safeCount('profiles') };
    progress(`${label}: loading ${fmt(ROWS)} generated rows`);
    const t0 = performance.now();
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS bench');
    const loaded = await warehouse.load({ schema: 'bench', name: 'items' }, columns, generatedRows());
    step(`load ${fmt(ROWS)} rows (Warehouse.load)`, performance.now() - t0, loaded);
  } finally {
    await warehouse.close();
  }

  await timedStep('first plan (all added)', ['plan', 'bench_items', '--json'], (r) => r.added);
  await timedStep(
    'sync --skip-backfill (adopt)',
    ['sync', 'bench_items', '--skip-backfill', '--json'],
    () => ROWS,
  );

  const again = await openWarehouse(connection, { projectDir: dir });
  try {
    const d = again.dialect;
    const t0 = performance.now();
    await again.execute(
      `UPDATE bench.items SET ${d.quoteIdent('name')} = ${d.quoteIdent('name')} || ' (moved)' WHERE id % 50 = 0`,
    );
    progress(`${label}: changed 2% of the rows in ${secs(performance.now() - t0)} s`);
  } finally {
    await again.close();
  }
  const plan = await timedStep('plan after 2% changed', ['plan', 'bench_items', '--json'], (r) => r.changed);
  return { steps, counts, notes, plan: plan ? lastJson(plan) : undefined };
}

/**
 * After a stopped Postgres build: were the tables ever analyzed, and how long do the audience
 * views take to count once they are (ANALYZE, then count(*) under a 20 s statement_timeout)?
 */
async function diagnosePostgres(url, dir) {
  const warehouse = await openWarehouse({ type: 'postgres', url }, { projectDir: dir });
  const notes = [];
  try {
    const never = await warehouse.query(
      "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'weft' AND c.relkind = 'r' AND c.reltuples < 0 ORDER BY 1",
    );
    notes.push(
      `postgres diagnosis: weft tables never analyzed at the stop (reltuples = -1, so the planner guesses row counts): ${never.map((r) => r.name).join(', ') || 'none'}`,
    );
    const t0 = performance.now();
    await warehouse.execute('ANALYZE');
    const analyzeMs = performance.now() - t0;
    const views = await warehouse.query(
      "SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'weft' AND table_name LIKE 'audience%' ORDER BY 1",
    );
    await warehouse.execute("SET statement_timeout = '20s'");
    const timings = [];
    for (const { name } of views) {
      const t1 = performance.now();
      const outcome = await warehouse
        .query(`SELECT count(*) AS n FROM weft.${warehouse.dialect.quoteIdent(name)}`)
        .then((r) => `${fmt(Number(r[0].n))} rows`)
        .catch((e) => `failed: ${e.message.split('\n')[0]}`);
      timings.push(`${name} ${secs(performance.now() - t1)} s (${outcome})`);
    }
    notes.push(
      `postgres diagnosis: after \`ANALYZE\` (${secs(analyzeMs)} s), counting each audience view: ${timings.join('; ')}`,
    );
  } catch (error) {
    notes.push(`postgres diagnosis failed: ${error.message}`);
  } finally {
    await warehouse.close();
  }
  return notes;
}

/**
 * Polls pg_stat_activity during a Postgres build and notes when each build stage's statements
 * first appear (ms since the start): identity (identity_* tables), profiles (writes to
 * "profiles"), audiences (audience_*). Good to a poll interval; used only when a build is stopped.
 */
function watchPostgresStages(database) {
  const t0 = performance.now();
  const seen = {};
  let busy = false;
  const patterns = {
    identity: /identity_(rows|edges|map)/i,
    profiles: /(CREATE|INSERT)[^;]*"profiles/i,
    audiences: /audience_/i,
  };
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const rows = await admin.query(
        `SELECT query FROM pg_stat_activity WHERE datname = '${database}' AND state = 'active'`,
      );
      const at = performance.now() - t0;
      for (const { query } of rows)
        for (const [stage, pattern] of Object.entries(patterns))
          if (seen[stage] === undefined && pattern.test(query)) seen[stage] = at;
    } catch {
      // a missed sample only blurs the split
    } finally {
      busy = false;
    }
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return seen;
    },
  };
}

const admin = await openWarehouse({ type: 'postgres', url: ADMIN_URL }, { projectDir: process.cwd() });
const database = `weft_bench_${randomBytes(4).toString('hex')}`;
const duckDir = copyProject('weft-bench-pvd-duck-');
const pgDir = copyProject('weft-bench-pvd-pg-');
const started = performance.now();
try {
  const [settings] = await admin.query(
    "SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem, current_setting('max_parallel_workers_per_gather') AS parallel, current_setting('autovacuum') AS autovacuum",
  );
  await admin.execute(`CREATE DATABASE ${admin.dialect.quoteIdent(database)}`);
  const server = new URL(ADMIN_URL);
  server.pathname = `/${database}`;
  const pgUrl = server.toString();

  progress(`DuckDB (${duckDir})`);
  const duck = await runEngine(
    'duckdb',
    duckDir,
    { WEFT_WAREHOUSE_URL: '' },
    {
      type: 'duckdb',
      path: '.weft/warehouse.duckdb',
    },
  );
  progress(`Postgres (database ${database})`);
  const pg = await runEngine(
    'postgres',
    pgDir,
    { WEFT_WAREHOUSE_URL: pgUrl },
    { type: 'postgres', url: pgUrl },
    {
      // A killed client leaves its statement running on the server: end it.
      afterTimeout: () =>
        admin.execute(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
        ),
      diagnose: () => diagnosePostgres(pgUrl, pgDir),
      watchStages: () => watchPostgresStages(database),
    },
  );

  const rows = duck.steps.map((ds, i) => {
    const ps = pg.steps[i];
    const t = (s) =>
      s.ms === undefined
        ? 'n/a'
        : `${s.approx ? '≈ ' : ''}${s.stopped ? '> ' : ''}${secs(s.ms)}${s.stopped ? ' (stopped)' : ''}`;
    const ratio =
      ds.ms > 0 && ps.ms !== undefined && !ds.stopped
        ? `${ps.approx ? '≈ ' : ''}${ps.stopped ? '> ' : ''}${(ps.ms / ds.ms).toFixed(2)}x`
        : 'n/a';
    const rss = (s) => (s.rssKb ? `${Math.round(s.rssKb / 1024)}` : '');
    const n = (s) => (s.rows !== undefined ? fmt(s.rows) : '');
    return `| ${ds.name} | ${t(ds)} | ${t(ps)} | ${ratio} | ${n(ds)} | ${n(ps)} | ${rss(ds)} | ${rss(ps)} |`;
  });
  const same = (a, b) =>
    a === undefined || b === undefined
      ? `not comparable (DuckDB ${a ?? 'missing'}, Postgres ${b ?? 'missing'})`
      : a === b
        ? `equal (${fmt(a)})`
        : `**DIFFERENT**: DuckDB ${fmt(a)}, Postgres ${fmt(b)}`;
  const planLine = (p) =>
    p
      ? `${fmt(p.added)} added / ${fmt(p.changed)} changed / ${fmt(p.removed)} removed / ${fmt(p.unchanged)} unchanged`
      : 'did not finish';
  const notes = [...duck.notes, ...pg.notes];
  const cpu = os.cpus();
  process.stdout.write(`## Postgres vs DuckDB: ${fmt(PEOPLE)}-people demo build, ${fmt(ROWS)}-row plan

Each step is one \`weft\` process (compiled CLI), run the same way on both engines; DuckDB is a
file in a temp project, Postgres a fresh database on the local server.

| step | DuckDB s | Postgres s | Postgres/DuckDB | DuckDB rows | Postgres rows | DuckDB peak RSS MB | Postgres peak RSS MB |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

- build splits come from \`weft build --json\` (models: sum of model times, rows written;
  identity: rows processed; profiles: profiles; audiences: total members). Peak RSS is the
  weft process only (GNU time %M): DuckDB runs inside it, Postgres in its server backends.
  A build stopped at the step timeout has no JSON report: its ≈ splits are when each stage's
  statements first showed in pg_stat_activity (sampled every 200 ms; a stage too short to be
  seen is counted in the one before; models include process start-up).
- identity_map rows: ${same(duck.counts.identity_map, pg.counts.identity_map)}; profiles rows:
  ${same(duck.counts.profiles, pg.counts.profiles)}
- plan after the change: DuckDB ${planLine(duck.plan)}; Postgres ${planLine(pg.plan)}
- machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM;
  PostgreSQL ${settings.version} on the same machine, shared_buffers ${settings.shared_buffers},
  work_mem ${settings.work_mem}, max_parallel_workers_per_gather ${settings.parallel}, autovacuum ${settings.autovacuum}
- whole bench: ${secs(performance.now() - started)} s; load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}
${notes.map((n) => `- ${n}\n`).join('')}`);
} finally {
  await admin
    .execute(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(database)} WITH (FORCE)`)
    .catch((e) => progress(`drop failed: ${e.message}`));
  await admin.close();
  for (const dir of [duckDir, pgDir]) fs.rmSync(dir, { recursive: true, force: true });
}
