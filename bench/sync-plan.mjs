#!/usr/bin/env node
// Benchmark: `weft plan` as a process (start-up, the one-pass diff in DuckDB with null and
// duplicate key checks, counts, samples) on a source of WEFT_BENCH_ROWS rows (default
// 10,000,000) with 2% churn (1% changed, 0.5% removed, 0.5% added), side by side with the floor:
// a process that opens the same DuckDB file and runs DuckDB's native hash() full outer join of
// the same rows against the same snapshot. Also the MD5 diff (weft's stable hash) for reference.
// Target: weft at most 2x the floor. Prints a markdown section; progress on stderr.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist, requireBuild } from './lib/dist.mjs';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 10_000_000);
const ROUNDS = Number(process.env.WEFT_BENCH_ROUNDS ?? 3);
const LIMIT = process.env.WEFT_BENCH_PLAN_MEMORY ?? '256MB';
const progress = (message) => process.stderr.write(`[sync-plan] ${message}\n`);
requireBuild('src/sync/index.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '../dist/src/cli/main.js');

const { openWarehouse } = await import(dist('src/warehouse/registry.js'));
const { compileMappings, planSync, ensureStateTables } = await import(dist('src/sync/index.js'));
const { adoptPlanStatements } = await import(dist('src/sync/state/backfill.js'));
const { fastHashOf } = await import(dist('src/sync/planner/fast-hash.js'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-plan-'));
const dbFile = path.join(dir, 'bench.duckdb');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const columns = ['email', 'name', 'score', 'segment', 'updated_at'];

/** Runs a process to completion; resolves with its wall time in ms and its stdout (rejects on a non-zero exit). */
function timed(args) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - t0, stdout })
        : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

/** The bench project: source app.people, a mirror sync `bench` of its five columns. */
function writeProject(memoryLimit) {
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: benchplan\nwarehouse:\n  type: duckdb\n  path: bench.duckdb\n${memoryLimit ? `  memory_limit: ${memoryLimit}\n` : ''}connections:\n  hook:\n    type: webhook\n    url: http://127.0.0.1:9/hook\n    secret: bench-secret\n`,
  );
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'models/sources.yml'),
    'sources:\n  app:\n    schema: app\n    tables: [people]\n',
  );
  fs.mkdirSync(path.join(dir, 'syncs'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'syncs/bench.yml'),
    `name: bench\nfrom: app.people\nconnection: hook\nmode: mirror\nkey: email\nmappings:\n${columns.map((c) => `  ${c}: ${c}`).join('\n')}\n`,
  );
}

try {
  writeProject();
  const warehouse = await openWarehouse({ type: 'duckdb', path: 'bench.duckdb' }, { projectDir: dir });
  const d = warehouse.dialect;
  const config = {
    name: 'bench',
    from: 'app.people',
    connection: 'hook',
    mode: 'mirror',
    key: 'email',
    mappings: {},
  };
  const sync = {
    config,
    source: { schema: 'app', name: 'people' },
    snapshot: { schema: 'weft_state', name: 'snapshot_bench' },
    plan: { schema: 'weft_state', name: 'plan_bench' },
    stateSchema: 'weft_state',
  };
  const mapper = compileMappings(Object.fromEntries(columns.map((c) => [c, c])), columns, undefined);
  progress(`generating ${ROWS.toLocaleString()} source rows`);
  await warehouse.execute('CREATE SCHEMA app');
  await warehouse.execute(
    `CREATE TABLE app.people AS SELECT 'p' || i || '@example.com' AS email, 'Person ' || i AS name, i * 1.5 AS score, i % 7 AS segment, TIMESTAMP '2024-01-01' + to_seconds(i) AS updated_at FROM range(${ROWS}) t(i)`,
  );
  await ensureStateTables(warehouse, 'weft_state');
  progress('initial plan and snapshot (everything acknowledged)');
  const fast = await fastHashOf(warehouse);
  await planSync(warehouse, sync, mapper);
  await warehouse.transaction(async () => {
    for (const sql of adoptPlanStatements(warehouse, sync, 'bench-initial', fast?.scheme))
      await warehouse.execute(sql);
  });
  progress('2% churn: 1% changed, 0.5% removed, 0.5% added');
  await warehouse.execute(`UPDATE app.people SET name = name || ' (moved)' WHERE hash(email) % 100 = 0`);
  await warehouse.execute(`DELETE FROM app.people WHERE hash(email) % 200 = 1`);
  await warehouse.execute(
    `INSERT INTO app.people SELECT 'new' || i || '@example.com', 'Newcomer ' || i, i, 0, TIMESTAMP '2025-01-01' FROM range(${Math.round(ROWS * 0.005)}) t(i)`,
  );
  // The same values hashed the same way on both sides; only the hash function differs.
  const values = [d.literal(mapper.fingerprint), ...mapper.columns.map((c) => `src.${d.quoteIdent(c)}`)];
  const diff = (hash, stored) => `CREATE OR REPLACE TABLE weft_state.bare_diff AS
SELECT s.*, t.key AS old_key FROM (SELECT src.*, ${hash} AS h FROM app.people AS src) AS s
FULL OUTER JOIN weft_state.snapshot_bench AS t ON s.email = t.key
WHERE s.email IS NULL OR t.key IS NULL OR s.h <> t.${stored}`;
  const floorSql = diff(fast.expr(values), 'fast_hash');
  const md5Sql = diff(d.rowHash(values), 'hash');
  await warehouse.execute('CHECKPOINT');
  await warehouse.close();

  const floorArgs = (limit) => [
    path.join(here, 'lib/plan-floor.mjs'),
    dbFile,
    floorSql,
    ...(limit ? [limit] : []),
  ];
  const md5Args = [path.join(here, 'lib/plan-floor.mjs'), dbFile, md5Sql];
  const weftArgs = [cli, 'plan', 'bench', '--project', dir, '--json'];
  const times = { floor: [], md5: [], weft: [] };
  let planned;
  for (let round = 1; round <= ROUNDS; round++) {
    times.floor.push((await timed(floorArgs())).ms);
    const weft = await timed(weftArgs);
    times.weft.push(weft.ms);
    planned = JSON.parse(weft.stdout);
    times.md5.push((await timed(md5Args)).ms);
    progress(
      `round ${round}: floor ${times.floor.at(-1).toFixed(0)} ms, weft ${times.weft.at(-1).toFixed(0)} ms, md5 ${times.md5.at(-1).toFixed(0)} ms`,
    );
  }
  const counts = planned.plans?.[0]?.counts ?? planned.counts ?? planned;
  // What the floor's diff found, read back.
  const check = await openWarehouse({ type: 'duckdb', path: 'bench.duckdb' }, { projectDir: dir });
  const [bareRows] = await check.query('SELECT count(*) AS n FROM weft_state.bare_diff');
  await check.close();
  // Under a small memory limit (DuckDB spills what does not fit), one round of each.
  progress(`one round under memory_limit ${LIMIT}`);
  writeProject(LIMIT);
  const limitedFloor = (await timed(floorArgs(LIMIT))).ms;
  const limitedWeft = (await timed(weftArgs)).ms;
  progress(`  floor ${limitedFloor.toFixed(0)} ms, weft ${limitedWeft.toFixed(0)} ms`);

  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const rate = (ms) => Math.round(ROWS / (ms / 1000)).toLocaleString();
  const ratio = median(times.weft) / median(times.floor);
  process.stdout.write(`## Sync plan: ${ROWS.toLocaleString()} rows, 2% churn (issue 18 item 6)

Each measure is a process, start-up included, on the same DuckDB file; median of ${ROUNDS} interleaved rounds.

| | median | rows/s |
|---|---|---|
| floor: DuckDB \`hash()\` full outer join diff (one statement) | ${fmt(median(times.floor))} | ${rate(median(times.floor))} |
| \`weft plan bench\` (diff + null/duplicate keys + counts + samples) | ${fmt(median(times.weft))} | ${rate(median(times.weft))} |
| reference: the same diff with MD5 on both sides | ${fmt(median(times.md5))} | ${rate(median(times.md5))} |

- weft / floor: **${ratio.toFixed(2)}x** (target ≤ 2x: ${ratio <= 2 ? 'met' : 'NOT met'})
- plan: ${Number(counts.added).toLocaleString()} added, ${Number(counts.changed).toLocaleString()} changed, ${Number(counts.removed).toLocaleString()} removed; the floor's diff found ${Number(bareRows.n).toLocaleString()} rows
- under \`memory_limit: ${LIMIT}\` (one round each): floor ${fmt(limitedFloor)}, weft ${fmt(limitedWeft)} (**${(limitedWeft / limitedFloor).toFixed(2)}x**)
- load average (1/5/15 min) at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} on ${os.cpus().length} cores
- weft compares the snapshot's fast hash (\`${fast.expr(['…'])}\`, labelled \`${fast.scheme}\`) and computes MD5 only for the rows it sends
`);
} finally {
  if (!process.env.WEFT_BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}
