#!/usr/bin/env node
/**
 * Two (or more) compiled weft builds on the same seeded data: seeds the demo once (with the first
 * build's seed and staging models), copies the DuckDB file per build, runs a full `buildIdentity`
 * and `buildProfiles` with each, and prints per-step wall and process CPU seconds. With
 * WEFT_COMPARE_DIFF=1 it then compares the first two builds' outputs (identity_map, _edges,
 * _rows, _shared, profile_merges, profiles) with EXCEPT ALL both ways, and their reports.
 * Each build reads its own checkout's models/ (the dist's parent, when it holds a weft.yml): put
 * the newest build first, as its seed and staging models make the data every build reads.
 * Usage: node bench/identity-compare.mjs <dist> [<dist> …]
 * Env: WEFT_BENCH_PEOPLE (default 200000), WEFT_BENCH_NOISE (standard | messy),
 * WEFT_BENCH_DUCKDB_MEMORY_LIMIT (default 3GB), WEFT_COMPARE_DIFF.
 * Build first; stdout carries the results, progress goes to stderr.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dists = process.argv.slice(2).map((d) => path.resolve(d));
if (dists.length === 0) throw new Error('usage: node bench/identity-compare.mjs <dist> [<dist> …]');
const people = Number(process.env.WEFT_BENCH_PEOPLE ?? 200_000);
const noise = process.env.WEFT_BENCH_NOISE ?? 'standard';
const memoryLimit = process.env.WEFT_BENCH_DUCKDB_MEMORY_LIMIT ?? '3GB';
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-compare-'));
const imp = (dist, p) => import(pathToFileURL(path.join(dist, p)).href);
const rootOf = (dist) => (existsSync(path.join(dist, '..', 'weft.yml')) ? path.join(dist, '..') : repoRoot);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const log = (line) => process.stderr.write(`${line}\n`);

async function open(dist, file) {
  const { openWarehouse } = await imp(dist, 'src/warehouse/registry.js');
  const warehouse = await openWarehouse({ type: 'duckdb', path: file }, { projectDir: dir });
  await warehouse.execute(`SET memory_limit = '${memoryLimit}'`);
  return warehouse;
}

async function project(dist, file) {
  const { loadProjectOrThrow } = await imp(dist, 'src/config/project.js');
  return loadProjectOrThrow(rootOf(dist), {
    env: { ...process.env, WEFT_WAREHOUSE_URL: `duckdb://${file}` },
  });
}

async function seed(file) {
  const [first] = dists;
  const { seedDemoData } = await imp(first, 'src/seed/index.js');
  const { buildProject } = await imp(first, 'src/build/index.js');
  const warehouse = await open(first, file);
  log(`seeding ${people} people (${noise})`);
  await seedDemoData(warehouse, { people, seed: 42, noise });
  const p = await project(first, file);
  const staging = p.models.filter((m) => m.path.startsWith('models/staging/')).map((m) => m.name);
  const built = await buildProject(p, warehouse, { select: staging.join(',') });
  await warehouse.close();
  if (built.status !== 'success') throw new Error('staging models failed');
}

/** One build's full identity and profiles on its copy of the seeded file. */
async function run(dist, file) {
  const { buildIdentity } = await imp(dist, 'src/identity/index.js');
  const { buildProfiles } = await imp(dist, 'src/profiles/index.js');
  const p = await project(dist, file);
  const warehouse = await open(dist, file);
  const steps = [];
  let mark = cpu();
  const onEvent = (e) => {
    if (e.type !== 'identity_step') return;
    const now = cpu();
    steps.push(`${e.step} ${(e.ms / 1000).toFixed(1)}/${(now - mark).toFixed(1)}`);
    mark = now;
  };
  log(`identity with ${dist}`);
  const t0 = Date.now();
  const c0 = cpu();
  const { ms: _ms, ...report } = await buildIdentity(p, warehouse, { fullRefresh: true, onEvent });
  const identity = { wall: (Date.now() - t0) / 1000, cpu: cpu() - c0 };
  const t1 = Date.now();
  const c1 = cpu();
  await buildProfiles(p, warehouse);
  const profiles = { wall: (Date.now() - t1) / 1000, cpu: cpu() - c1 };
  await warehouse.close();
  return { dist, steps, identity, profiles, report };
}

const OUTPUTS = [
  'identity_map',
  'identity_edges',
  'identity_rows',
  'identity_shared',
  'profile_merges',
  'profiles',
];

async function diff(a, b) {
  const warehouse = await open(dists[0], a);
  await warehouse.execute(`ATTACH '${b}' AS other (READ_ONLY)`);
  const lines = [];
  for (const t of OUTPUTS) {
    const x = `weft."${t}"`;
    const y = `other.weft."${t}"`;
    const [r] = await warehouse.query(
      `SELECT (SELECT count(*) FROM ${x}) AS n,
         (SELECT count(*) FROM (SELECT * FROM ${x} EXCEPT ALL SELECT * FROM ${y}) d) AS only_a,
         (SELECT count(*) FROM (SELECT * FROM ${y} EXCEPT ALL SELECT * FROM ${x}) d) AS only_b`,
    );
    lines.push(`| ${t} | ${r.n} | ${r.only_a} | ${r.only_b} |`);
  }
  await warehouse.close();
  return lines;
}

try {
  const seeded = path.join(dir, 'seeded.duckdb');
  await seed(seeded);
  const results = [];
  for (const [i, dist] of dists.entries()) {
    const file = path.join(dir, `run${i}.duckdb`);
    copyFileSync(seeded, file);
    results.push({ ...(await run(dist, file)), file });
  }
  const s = (x) => `${x.wall.toFixed(1)} s (CPU ${x.cpu.toFixed(1)} s)`;
  const out = [`### ${people} seeded people (${noise}), DuckDB memory_limit ${memoryLimit}`, ''];
  for (const r of results) {
    out.push(`- ${r.dist}: identity ${s(r.identity)}, profiles ${s(r.profiles)}`);
    out.push(`  steps (wall/CPU s): ${r.steps.join(', ')}`);
  }
  if (process.env.WEFT_COMPARE_DIFF && results.length >= 2) {
    const [a, b] = results;
    out.push('', '| output | rows | only first | only second |', '|---|---:|---:|---:|');
    out.push(...(await diff(a.file, b.file)));
    out.push('', `reports equal: ${JSON.stringify(a.report) === JSON.stringify(b.report)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
