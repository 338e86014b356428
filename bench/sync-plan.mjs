#!/usr/bin/env node
// Benchmark: `weft plan` (the planner's one-pass diff in DuckDB, with null/duplicate key checks)
// on a source of WEFT_BENCH_ROWS rows (default 10,000,000) with 2% churn (1% changed, 0.5%
// removed, 0.5% added), side by side with a bare DuckDB full-outer-join hash diff of the same
// data. Target: weft at most 2x the bare diff. Prints a markdown section; progress on stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 10_000_000);
const ROUNDS = Number(process.env.WEFT_BENCH_ROUNDS ?? 3);
const progress = (message) => process.stderr.write(`[sync-plan] ${message}\n`);
const dist = (p) => new URL(`../dist/src/${p}`, import.meta.url).href;
if (!fs.existsSync(new URL(dist('sync/index.js'))))
  throw new Error('dist/ is missing: run `npm run build` first');

const { openWarehouse } = await import(dist('warehouse/registry.js'));
const { compileMappings, planSync, ensureStateTables } = await import(dist('sync/index.js'));
const { adoptPlanStatements } = await import(dist('sync/state/backfill.js'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-plan-'));
const warehouse = await openWarehouse({ type: 'duckdb', path: 'bench.duckdb' }, { projectDir: dir });
const d = warehouse.dialect;
const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const columns = ['email', 'name', 'score', 'segment', 'updated_at'];
  const config = {
    name: 'bench',
    from: 'people',
    connection: 'x',
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
  await planSync(warehouse, sync, mapper);
  await warehouse.transaction(async () => {
    for (const sql of adoptPlanStatements(warehouse, sync, 'bench-initial')) await warehouse.execute(sql);
  });

  progress('2% churn: 1% changed, 0.5% removed, 0.5% added');
  await warehouse.execute(`UPDATE app.people SET name = name || ' (moved)' WHERE hash(email) % 100 = 0`);
  await warehouse.execute(`DELETE FROM app.people WHERE hash(email) % 200 = 1`);
  await warehouse.execute(
    `INSERT INTO app.people SELECT 'new' || i || '@example.com', 'Newcomer ' || i, i, 0, TIMESTAMP '2025-01-01' FROM range(${Math.round(ROWS * 0.005)}) t(i)`,
  );

  // The bare diff: the same hash of the same columns, one full outer join, changes to a table.
  const hash = d.rowHash([d.literal(mapper.fingerprint), ...mapper.columns.map((c) => d.quoteIdent(c))]);
  const bare = `CREATE OR REPLACE TABLE weft_state.bare_diff AS
SELECT s.*, t.key AS old_key FROM (SELECT *, ${hash} AS h FROM app.people) AS s
FULL OUTER JOIN weft_state.snapshot_bench AS t ON s.email = t.key
WHERE s.email IS NULL OR t.key IS NULL OR s.h <> t.hash`;

  const weftTimes = [];
  const bareTimes = [];
  let counts;
  for (let round = 1; round <= ROUNDS; round++) {
    bareTimes.push(await time(() => warehouse.execute(bare)));
    weftTimes.push(
      await time(async () => {
        counts = (await planSync(warehouse, sync, mapper, { allowMassDelete: true })).counts;
      }),
    );
    progress(
      `round ${round}: bare ${bareTimes.at(-1).toFixed(0)} ms, weft ${weftTimes.at(-1).toFixed(0)} ms`,
    );
  }
  const [bareRows] = await warehouse.query('SELECT count(*) AS n FROM weft_state.bare_diff');
  // Does the planner's join still run (spilling to disk) under a small memory limit, as set by
  // weft.yml `warehouse.memory_limit`? One round of each, side by side again.
  const LIMIT = process.env.WEFT_BENCH_PLAN_MEMORY ?? '256MB';
  // A `weft plan` process starts from checkpointed data (DuckDB checkpoints when a process
  // closes the file); uncheckpointed changes stay in memory and count against the limit.
  await warehouse.execute('CHECKPOINT');
  await warehouse.execute(`SET memory_limit = '${LIMIT}'`);
  progress(`one round under memory_limit ${LIMIT}`);
  const limitedBare = await time(() => warehouse.execute(bare));
  const limitedWeft = await time(() => planSync(warehouse, sync, mapper, { allowMassDelete: true }));
  await warehouse.execute('RESET memory_limit');
  progress(`  bare ${limitedBare.toFixed(0)} ms, weft ${limitedWeft.toFixed(0)} ms`);
  const ratio = median(weftTimes) / median(bareTimes);
  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(`## Sync plan: ${ROWS.toLocaleString()} rows, 2% churn

| | median of ${ROUNDS} | rows/s |
|---|---|---|
| bare DuckDB full-outer-join hash diff | ${fmt(median(bareTimes))} | ${Math.round(ROWS / (median(bareTimes) / 1000)).toLocaleString()} |
| weft planner (diff + null/duplicate keys + counts) | ${fmt(median(weftTimes))} | ${Math.round(ROWS / (median(weftTimes) / 1000)).toLocaleString()} |

- weft / bare: **${ratio.toFixed(2)}x** (target ≤ 2x: ${ratio <= 2 ? 'met' : 'NOT met'})
- plan: ${counts.added.toLocaleString()} added, ${counts.changed.toLocaleString()} changed, ${counts.removed.toLocaleString()} removed, ${counts.unchanged.toLocaleString()} unchanged; bare diff found ${Number(bareRows.n).toLocaleString()} rows
- under \`memory_limit: ${LIMIT}\` (one round each; DuckDB spills to disk what does not fit): bare ${fmt(limitedBare)}, weft ${fmt(limitedWeft)} (**${(limitedWeft / limitedBare).toFixed(2)}x**)
- load average (1/5/15 min) at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} on ${os.cpus().length} cores
- mapped columns hashed: ${mapper.columns.join(', ')} (MD5 through \`Dialect.rowHash\`, same expression on both sides)
`);
} finally {
  await warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
