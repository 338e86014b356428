#!/usr/bin/env node
/**
 * Identity graph at scale: seeds N people (WEFT_BENCH_PEOPLE, default 1,000,000) into a temp
 * DuckDB, builds the demo's staging models, then times `buildIdentity` (and `buildProfiles` when
 * present) with models/identity.yml; a 200k-node chain (rounds, seconds); and an incremental run
 * after adding the newest 1% of rows against a full rebuild (speed-up, identical result).
 * Build first (`npx tsc -p tsconfig.build.json`). stdout carries only markdown, progress stderr.
 * Env: WEFT_BENCH_PEOPLE, WEFT_BENCH_CHAIN (nodes, default 200000),
 * WEFT_BENCH_DUCKDB_MEMORY_LIMIT (default 3GB), WEFT_DIST (the compiled weft to run, default
 * dist/: point it at another commit's build to compare the two on the same machine and load).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// WEFT_DIST: another compiled weft (e.g. a base commit's dist/) to compare with, same bench
const distDir = path.resolve(process.env.WEFT_DIST ?? path.join(repoRoot, 'dist'));
const fromDist = (p) => import(pathToFileURL(path.join(distDir, p)).href);
const { buildProject } = await fromDist('src/build/index.js');
const { loadProjectOrThrow } = await fromDist('src/config/project.js');
const { identitySchema } = await fromDist('src/config/schemas/identity.js');
const { buildIdentity } = await fromDist('src/identity/index.js');
const { resolveFrom } = await fromDist('src/identity/relations.js');
const { seedDemoData } = await fromDist('src/seed/index.js');
const { openWarehouse } = await fromDist('src/warehouse/registry.js');
const people = Number(process.env.WEFT_BENCH_PEOPLE ?? 1_000_000);
const chainNodes = Number(process.env.WEFT_BENCH_CHAIN ?? 200_000);
const memoryLimit = process.env.WEFT_BENCH_DUCKDB_MEMORY_LIMIT ?? '3GB';
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-identity-'));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => (ms / 1000).toFixed(1);
const mb = (bytes) => Math.round(bytes / 1024 / 1024);
const log = (line) => process.stderr.write(`${line}\n`);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
/** Runs `body`, returning its result, wall ms and the peak RSS seen meanwhile. */
async function measured(body) {
  peakRss = process.memoryUsage().rss;
  const t0 = Date.now();
  const result = await body();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { result, ms: Date.now() - t0, rss: peakRss };
}
const onEvent = (e) => {
  if (e.type === 'identity_step') log(`    ${e.step}: ${secs(e.ms)} s`);
  else if (e.type === 'identity_round')
    log(`    ${e.phase} round ${e.round} (${fmt(e.changed)} non-star edges before)`);
  else if (e.type === 'identity_start')
    log(`  identity: ${e.incremental ? 'incremental' : `full (${e.reason})`}`);
};

async function openDb(file) {
  const warehouse = await openWarehouse({ type: 'duckdb', path: path.join(dir, file) }, { projectDir: dir });
  await warehouse.execute(`SET memory_limit = '${memoryLimit}'`);
  return warehouse;
}

async function loadProfilesBuilder() {
  try {
    return (await fromDist('src/profiles/index.js')).buildProfiles;
  } catch {
    return undefined;
  }
}

/** Identity (+ profiles) on the seeded demo; then the incremental comparison on the same data. */
async function seeded(lines) {
  const file = path.join(dir, 'demo.duckdb');
  const warehouse = await openDb('demo.duckdb');
  log(`seeding ${fmt(people)} people`);
  const seed = await measured(() => seedDemoData(warehouse, { people, seed: 42 }));
  log(`  seeded in ${secs(seed.ms)} s`);
  const project = await loadProjectOrThrow(repoRoot, {
    env: { ...process.env, WEFT_WAREHOUSE_URL: `duckdb://${file}` },
  });
  if (!project.identity) throw new Error('models/identity.yml is missing');
  const staging = project.models.filter((m) => m.path.startsWith('models/staging/')).map((m) => m.name);
  const staged = await measured(() => buildProject(project, warehouse, { select: staging.join(',') }));
  if (staged.result.status !== 'success') throw new Error('staging models failed');
  log(`  staging built in ${secs(staged.ms)} s`);

  // Hold back the newest 1% of every identity source's rows for the incremental run.
  const held = [];
  for (const [i, source] of project.identity.sources.entries()) {
    const rel = warehouse.dialect.qualify(resolveFrom(project, source.from));
    const ts = warehouse.dialect.quoteIdent(source.timestamp);
    const hold = `"main"."weft_bench_hold_${i}"`;
    await warehouse.execute(
      `CREATE OR REPLACE TABLE ${hold} AS SELECT * FROM ${rel} WHERE ${ts} >= (SELECT quantile_disc(${ts}, 0.99) FROM ${rel})`,
    );
    await warehouse.execute(`DELETE FROM ${rel} WHERE ${ts} >= (SELECT min(${ts}) FROM ${hold})`);
    held.push({ rel, hold });
  }
  const sourceRows = Number(
    (
      await warehouse.query(`SELECT ${held.map((h) => `(SELECT count(*) FROM ${h.rel})`).join(' + ')} AS n`)
    )[0].n,
  );
  const heldRows = Number(
    (
      await warehouse.query(`SELECT ${held.map((h) => `(SELECT count(*) FROM ${h.hold})`).join(' + ')} AS n`)
    )[0].n,
  );

  log('identity, full build');
  const identity = await measured(() => buildIdentity(project, warehouse, { fullRefresh: true, onEvent }));
  const report = identity.result;
  const buildProfiles = await loadProfilesBuilder();
  const profiles = buildProfiles ? await measured(() => buildProfiles(project, warehouse)) : undefined;
  if (profiles) log(`  profiles in ${secs(profiles.ms)} s`);

  for (const h of held) await warehouse.execute(`INSERT INTO ${h.rel} SELECT * FROM ${h.hold}`);
  log(`identity, incremental after adding ${fmt(heldRows)} rows`);
  const inc = await measured(() => buildIdentity(project, warehouse, { onEvent }));
  await warehouse.execute(
    'CREATE OR REPLACE TABLE main.weft_bench_inc_map AS SELECT * FROM weft.identity_map',
  );
  log('identity, full rebuild of the same data');
  const full = await measured(() => buildIdentity(project, warehouse, { fullRefresh: true, onEvent }));
  const diff = Number(
    (
      await warehouse.query(
        `SELECT (SELECT count(*) FROM (SELECT * FROM main.weft_bench_inc_map EXCEPT SELECT * FROM weft.identity_map) a)
          + (SELECT count(*) FROM (SELECT * FROM weft.identity_map EXCEPT SELECT * FROM main.weft_bench_inc_map) b) AS n`,
      )
    )[0].n,
  );
  await warehouse.close();

  const total = identity.ms + (profiles?.ms ?? 0);
  lines.push(
    `### ${fmt(people)} seeded people`,
    '',
    `Seeded in ${secs(seed.ms)} s, staging models in ${secs(staged.ms)} s; ${fmt(sourceRows)} identity source rows`,
    `(weft from ${distDir}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} at the end)`,
    `(the newest 1% held back for the incremental run). DuckDB memory_limit ${memoryLimit}.`,
    '',
    '| metric | value |',
    '|---|---:|',
    `| identity seconds (full build) | ${secs(identity.ms)} |`,
    `| profiles seconds | ${profiles ? secs(profiles.ms) : 'n/a'} |`,
    `| identity + profiles seconds | ${secs(total)} (target ≤ 120 at 1M) |`,
    `| peak RSS | ${fmt(mb(Math.max(identity.rss, profiles?.rss ?? 0)))} MB (target < 4096) |`,
    `| component rounds | ${report.rounds} |`,
    `| identifiers | ${fmt(report.identifiers)} |`,
    `| profiles | ${fmt(report.profiles)} |`,
    `| largest profile | ${fmt(report.largest_profile)} |`,
    `| values blocked | ${fmt(report.values_blocked)} |`,
    `| hubs | ${fmt(report.hubs)} |`,
    `| limit-dropped edges | ${fmt(report.limits_applied)} (re-split rounds ${report.limit_rounds}) |`,
    '',
    `#### Incremental: ${fmt(heldRows)} new rows (${((100 * heldRows) / sourceRows).toFixed(2)}%)`,
    '',
    '| run | seconds | rows processed | rounds |',
    '|---|---:|---:|---:|',
    `| incremental | ${secs(inc.ms)} | ${fmt(inc.result.rows_processed)} | ${inc.result.rounds} |`,
    `| full rebuild | ${secs(full.ms)} | ${fmt(full.result.rows_processed)} | ${full.result.rounds} |`,
    '',
    `Speed-up **${(full.ms / inc.ms).toFixed(1)}x** (target ≥ 5x); incremental ran as ${inc.result.incremental ? 'incremental' : `a full rebuild (${inc.result.full_rebuild_reason})`};`,
    `identity_map rows differing between incremental and full: **${diff}**; merges ${inc.result.merges}, splits ${inc.result.splits}.`,
    '',
  );
}

/** A chain e0 - c0 - e1 - c1 - … of `chainNodes` identifiers. */
async function chain(lines) {
  const warehouse = await openDb('chain.duckdb');
  const pairs = Math.floor(chainNodes / 2);
  await warehouse.execute('CREATE SCHEMA raw');
  await warehouse.execute(`CREATE TABLE raw.pairs AS
    SELECT 'e' || i || '@x.io' AS email, 'c' || i AS anon, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts FROM range(${pairs}) t(i)
    UNION ALL
    SELECT 'e' || (i + 1) || '@x.io', 'c' || i, TIMESTAMP '2024-01-01' + INTERVAL (i + 1) SECOND FROM range(${pairs - 1}) t(i)`);
  const project = {
    dir,
    config: {
      name: 'chain',
      schema: 'weft',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb' },
      connections: {},
      vars: {},
    },
    sources: [{ name: 'src', schema: 'raw', tables: [{ name: 'pairs', identifier: 'pairs' }] }],
    models: [],
    identity: identitySchema.parse({
      id_types: { email: { normalize: 'email' }, anonymous_id: {} },
      sources: [{ from: 'src.pairs', ids: { email: 'email', anonymous_id: 'anon' }, timestamp: 'ts' }],
    }),
    audiences: [],
    syncs: [],
    secrets: [],
  };
  log(`chain of ${fmt(chainNodes)} nodes`);
  const run = await measured(() => buildIdentity(project, warehouse, { fullRefresh: true, onEvent }));
  await warehouse.close();
  lines.push(
    `### A ${fmt(chainNodes)}-node chain`,
    '',
    `One component of ${fmt(run.result.largest_profile)} identifiers (${run.result.profiles} profile) in **${run.result.rounds} rounds** (target < 25),`,
    `${secs(run.ms)} s for the whole identity build.`,
    '',
  );
}

const lines = ['## Identity graph at scale', ''];
try {
  await seeded(lines);
  await chain(lines);
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
