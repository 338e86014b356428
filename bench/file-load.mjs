#!/usr/bin/env node
/**
 * `weft load` of a big CSV into DuckDB vs DuckDB's own read_csv into a table (the floor),
 * measured side by side in one run. The CSV (WEFT_BENCH_LOAD_ROWS rows, default 10,000,000:
 * order_id, customer_id, email, amount with two decimals, created_at) is generated once with
 * DuckDB into the temp dir and reused. weft: the compiled CLI (process start-up included),
 * `weft load orders.csv --into shop.orders --json` into a fresh DuckDB file. Floor: a fresh
 * DuckDB file, `CREATE TABLE t AS SELECT * FROM read_csv('…')` in this process. Each is run
 * twice, alternating; the best time of each is compared (goal: weft within 1.5x).
 * Prints one markdown section on stdout; progress on stderr. Run `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'dist/src/cli/main.js');
if (!fs.existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` first');
const ROWS = Number(process.env.WEFT_BENCH_LOAD_ROWS ?? 10_000_000);
const progress = (message) => process.stderr.write(`[file-load] ${message}\n`);
const secs = (ms) => (ms / 1000).toFixed(2);

const dataDir = path.join(os.tmpdir(), 'weft-bench-file-load');
fs.mkdirSync(dataDir, { recursive: true });
const csv = path.join(dataDir, `orders-${ROWS}.csv`);
if (!fs.existsSync(csv)) {
  progress(`generating ${csv}`);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (
    SELECT i AS order_id, i % 1000003 AS customer_id, 'user' || (i % 1000003) || '@example.com' AS email,
           CAST((i % 100000) / 100 AS DECIMAL(10,2)) AS amount,
           TIMESTAMP '2024-01-01' + to_seconds(i % 31536000) AS created_at
    FROM range(${ROWS}) t(i)) TO '${csv}' (HEADER, DELIMITER ',')`);
  c.closeSync();
  db.closeSync();
}
const bytes = fs.statSync(csv).size;

async function floor() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-floor-'));
  try {
    const started = Date.now();
    const db = await DuckDBInstance.create(path.join(dir, 'floor.duckdb'));
    const c = await db.connect();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}')`);
    c.closeSync();
    db.closeSync();
    return Date.now() - started;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function weft() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-load-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      'name: bench\nwarehouse:\n  type: duckdb\n  path: w.duckdb\n',
    );
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [cli, 'load', csv, '--into', 'shop.orders', '--project', dir, '--json'],
      {
        encoding: 'utf8',
      },
    );
    const ms = Date.now() - started;
    if (run.status !== 0) throw new Error(`weft load failed: ${run.stderr}`);
    const summary = JSON.parse(run.stdout);
    if (summary.rows_loaded !== ROWS) throw new Error(`weft loaded ${summary.rows_loaded} rows, not ${ROWS}`);
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const floors = [];
const wefts = [];
for (let round = 1; round <= 2; round++) {
  progress(`round ${round}: floor`);
  floors.push(await floor());
  progress(`round ${round}: weft load`);
  wefts.push(weft());
}
const bestFloor = Math.min(...floors);
const bestWeft = Math.min(...wefts);
const ratio = bestWeft / bestFloor;
console.log(`## bench/file-load.mjs: weft load of a ${ROWS.toLocaleString('en-US')}-row CSV into DuckDB

CSV: ${(bytes / 2 ** 20).toFixed(0)} MiB (order_id, customer_id, email, amount with two decimals, created_at).

| run | seconds (each round) | best |
|---|---|---|
| floor: \`CREATE TABLE t AS SELECT * FROM read_csv(…)\` (DuckDB, in process) | ${floors.map(secs).join(', ')} | ${secs(bestFloor)} |
| \`weft load orders.csv --into shop.orders\` (compiled CLI, start-up included) | ${wefts.map(secs).join(', ')} | ${secs(bestWeft)} |

weft / floor: **${ratio.toFixed(2)}x** (goal: within 1.5x) — ${ratio <= 1.5 ? 'met' : 'MISSED'}.
weft does more than the floor: bad lines are stored with their line numbers (store_rejects),
\`amount\` (which DuckDB reads as DOUBLE) is read as text and typed exactly as DECIMAL(p,s), and
the table is swapped in atomically.
`);
