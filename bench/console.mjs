#!/usr/bin/env node
/**
 * The console's API at 1M profiles (issue 20): a temp copy of the demo project (models/, syncs/,
 * weft.yml) seeded with CONSOLE_BENCH_SEED people (default 2,000) and built, then its built tables
 * made CONSOLE_BENCH_FACTOR times larger in DuckDB SQL (default 500: 1M-ish profiles): profiles,
 * identity_map, identity_rows (each event row then reaches FACTOR profiles, so event conditions
 * join at full scale) and audience_members, each copy with a suffixed profile id (identifier
 * values suffixed too, the original kept). Then the console runs in this process and every GET
 * endpoint is timed over HTTP (first call and median of CONSOLE_BENCH_REPEAT), and the builder's
 * calls while editing (POST audiences/size, audiences/insights, audiences/diff) for three drafts.
 * Goals: every page's data < 1 s, a size while editing < 2 s. Sync runs, plan and sync now need a
 * destination and are not timed here (the copy's syncs never ran: their run lists are empty).
 *
 * The floor, in the same run after the console closed: the same lookups written by hand as plain
 * DuckDB SQL over the same file, on one instance held open (warm: first call not counted, median
 * of CONSOLE_BENCH_REPEAT). The search: the typed email normalized in JS, → profile_id through
 * identity_map, then that profile's identifiers, its profiles row and its audience_members rows
 * (the page's core; the console also reads events, edges, sources and destinations). A size: the
 * draft's compiled SQL under count(*). Insights: the draft's members into a temp table, its size,
 * each group compiled as a draft of its own and counted, the overlap join with audience_members and
 * the sample. Calls without a floor show –.
 *
 * CONSOLE_BENCH_DIR=<dir> keeps the scaled project there and reuses it in the next run with the
 * same seed and factor (skips the ~1-2 min of seeding and scaling; for comparing code changes
 * that do not touch the build). Build first (`npm run build`). stdout: markdown; progress on stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildProject } from '../dist/src/build/index.js';
import { loadProjectOrThrow } from '../dist/src/config/project.js';
import { seedDemoData } from '../dist/src/seed/index.js';
import { compileDraft } from '../dist/src/serve/console/audiences-data.js';
import { startConsole } from '../dist/src/serve/console/start.js';
import { duckdbDialect } from '../dist/src/warehouse/duckdb/dialect.js';
import { openWarehouse } from '../dist/src/warehouse/registry.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = Number(process.env.CONSOLE_BENCH_SEED ?? 2000);
const FACTOR = Number(process.env.CONSOLE_BENCH_FACTOR ?? 500);
const REPEAT = Number(process.env.CONSOLE_BENCH_REPEAT ?? 3);
const VIEWER = 'bench-console-viewer-0000';
const log = (line) => process.stderr.write(`[console] ${line}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const KEPT = process.env.CONSOLE_BENCH_DIR;
const dir = KEPT ? path.resolve(KEPT) : fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-console-'));
const SCALED_MARK = path.join(dir, '.weft', 'bench-scaled.json');
delete process.env.WEFT_WAREHOUSE_URL;
/** Removes the project unless CONSOLE_BENCH_DIR keeps it. */
const cleanUp = () => {
  if (!KEPT) fs.rmSync(dir, { recursive: true, force: true });
};

function copyDemo() {
  for (const sub of ['models', 'syncs'])
    fs.cpSync(path.join(repoRoot, sub), path.join(dir, sub), { recursive: true });
  const yml = fs
    .readFileSync(path.join(repoRoot, 'weft.yml'), 'utf8')
    .replace(/^( {2}viewer_key: .*)$/m, `  viewer_key: "${VIEWER}"`);
  fs.writeFileSync(path.join(dir, 'weft.yml'), yml);
}

/** Each built table FACTOR times: copy k > 0 gets `~k` after its profile id (and identifier). */
async function scaleUp(warehouse) {
  const copies = `range(${FACTOR}) AS f(k)`;
  const suffix = (col) => `CASE WHEN k = 0 THEN ${col} ELSE ${col} || '~' || k END`;
  const kind = async (name) =>
    (
      await warehouse.query(
        `SELECT table_type FROM information_schema.tables WHERE table_schema = 'weft' AND table_name = '${name}'`,
      )
    )[0]?.table_type;
  const statements = [
    `CREATE OR REPLACE TABLE weft.profiles AS SELECT * EXCLUDE (k) REPLACE (${suffix('profile_id')} AS profile_id) FROM weft.profiles, ${copies}`,
    `CREATE OR REPLACE TABLE weft.identity_map AS SELECT * EXCLUDE (k) REPLACE (${suffix('profile_id')} AS profile_id, ${suffix('id_value')} AS id_value) FROM weft.identity_map, ${copies}`,
    `CREATE OR REPLACE TABLE weft.audience_members AS SELECT * EXCLUDE (k) REPLACE (${suffix('profile_id')} AS profile_id) FROM weft.audience_members, ${copies}`,
  ];
  if ((await kind('identity_rows')) === 'BASE TABLE')
    statements.push(
      `CREATE OR REPLACE TABLE weft.identity_rows AS SELECT * EXCLUDE (k) REPLACE (${suffix('profile_id')} AS profile_id) FROM weft.identity_rows, ${copies}`,
    );
  for (const sql of statements) await warehouse.execute(sql);
}

async function timed(url, p, body) {
  const times = [];
  let status = 0;
  let bytes = 0;
  for (let i = 0; i <= REPEAT; i++) {
    const t0 = performance.now();
    const response = await fetch(`${url}/console/api/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    times.push(performance.now() - t0);
    status = response.status;
    bytes = text.length;
  }
  return { first: times[0], median: median(times.slice(1)), status, bytes };
}

/** The kept project's scale when it was prepared with this seed and factor, else undefined. */
function keptScale() {
  try {
    const mark = JSON.parse(fs.readFileSync(SCALED_MARK, 'utf8'));
    return mark.seed === SEED && mark.factor === FACTOR ? mark : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const started = new Date();
  const kept = KEPT ? keptScale() : undefined;
  if (!kept) {
    fs.rmSync(path.join(dir, '.weft'), { recursive: true, force: true });
    copyDemo();
  }
  let project = await loadProjectOrThrow(dir);
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
  let t0 = performance.now();
  if (!kept) {
    await seedDemoData(warehouse, { people: SEED, seed: 42 });
    const built = await buildProject(project, warehouse, {});
    const failed = built.models.filter((m) => m.status !== 'success');
    if (failed.length > 0) throw new Error(`build failed: ${failed.map((m) => m.name).join(', ')}`);
    log(`seeded ${SEED} and built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    await scaleUp(warehouse);
  } else log(`reusing the project scaled in ${dir}`);
  const [{ n: profiles }] = await warehouse.query('SELECT count(*) AS n FROM weft.profiles');
  const [{ n: ids }] = await warehouse.query('SELECT count(*) AS n FROM weft.identity_map');
  const [{ n: members }] = await warehouse.query('SELECT count(*) AS n FROM weft.audience_members');
  const [{ email }] = await warehouse.query(
    "SELECT min(id_value) AS email FROM weft.identity_map WHERE id_type = 'email' AND id_value NOT LIKE '%~%'",
  );
  const scaleMs = kept ? kept.scaleMs : performance.now() - t0;
  if (!kept) {
    log(`scaled to ${fmt(Number(profiles))} profiles in ${(scaleMs / 1000).toFixed(1)} s`);
    if (KEPT) fs.writeFileSync(SCALED_MARK, JSON.stringify({ seed: SEED, factor: FACTOR, scaleMs }));
  }
  await warehouse.close();
  project = await loadProjectOrThrow(dir);
  const running = await startConsole(project, { port: 0 });
  const sync = project.syncs[0]?.value.name;
  const gets = [
    'session',
    'overview',
    `syncs/${sync}/runs`,
    `profiles?q=${encodeURIComponent(`  ${String(email).toUpperCase()} `)}`,
    'audiences',
    'audience-vocabulary',
    'audiences/high_value_recent',
    'lineage',
    'lineage/model%3Astg_shop_orders',
    'lineage/identity',
    'lineage/audience%3Ahigh_value_recent',
  ];
  const rows = [];
  for (const p of gets) {
    log(`GET ${p}`);
    rows.push({
      call: `GET ${p.replace(/q=.*/, 'q=<an email, mixed case>')}`,
      ...(await timed(running.url, p)),
      goal: 1000,
      floor: p.startsWith('profiles?q=') ? searchFloor(String(email)) : undefined,
    });
  }
  const existing = project.audiences.find((a) => a.value.name === 'high_value_recent')?.value;
  const drafts = {
    'high_value_recent (traits + paid orders in 90 days, exclusion)': existing,
    'a trait draft (lifetime_value ≥ 200, any of two traits)': {
      name: 'bench_traits',
      where: {
        all: [
          { trait: 'lifetime_value', op: 'gte', value: 200 },
          {
            any: [
              { trait: 'order_count', op: 'gte', value: 3 },
              { trait: 'plan', op: 'in', value: ['pro', 'enterprise'] },
            ],
          },
        ],
      },
      columns: ['email'],
    },
    'an event draft (web events in 30 days, count ≥ 2, minus an audience)': {
      name: 'bench_events',
      where: { event: 'stg_web_events', timestamp: 'occurred_at', within_days: 30, count: { gte: 2 } },
      exclude: { audience: 'unsubscribed' },
      columns: [],
    },
  };
  for (const [label, draft] of Object.entries(drafts)) {
    for (const call of ['size', 'insights', 'diff']) {
      log(`POST audiences/${call} ${label}`);
      rows.push({
        call: `POST audiences/${call}: ${label}`,
        ...(await timed(running.url, `audiences/${call}`, { audience: draft })),
        goal: call === 'size' ? 2000 : 1000,
        floor:
          call === 'size'
            ? sizeFloor(project, draft)
            : call === 'insights'
              ? insightsFloor(project, draft)
              : undefined,
      });
    }
  }
  await running.close(); // closes the warehouse it kept warm: the floor opens the file itself
  await timeFloors(project, rows);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const lines = [
    `## Console API at ${fmt(Number(profiles))} profiles (bench/console.mjs, issue 20)`,
    '',
    `\`node bench/console.mjs\`, ${started.toISOString().slice(0, 16)}Z on ${cpu} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; load average at the end ${load} (a machine shared with other sessions' tests). The demo seeded with ${fmt(SEED)} people and built, then its tables made ${FACTOR}× larger in SQL (${scaleMs < 1000 ? '<1' : (scaleMs / 1000).toFixed(0)} s): ${fmt(Number(profiles))} profiles, ${fmt(Number(ids))} identifiers, ${fmt(Number(members))} audience memberships; event tables stay at the seed's size, but identity_rows is scaled too, so each event row reaches ${FACTOR} profiles and event conditions join at full size. The console in this process, DuckDB file; first call and median of the next ${REPEAT}.`,
    '',
    `Floor: the same lookups by hand in plain DuckDB SQL over the same file, one instance held open (warm), median of ${REPEAT} after a first call (see the script's header for what each does).`,
    '',
    '| call | status | first ms | median ms | floor ms | goal | met |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.call} | ${r.status} | ${fmt(r.first)} | ${fmt(r.median)} | ${r.floorMs === undefined ? '–' : fmt(r.floorMs)} | < ${r.goal / 1000} s | ${r.median < r.goal ? 'yes' : '**miss**'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  cleanUp();
}

const sqlText = (value) => `'${String(value).replaceAll("'", "''")}'`;

/** The search by hand: normalized email → profile id, then its identifiers, traits and audiences. */
function searchFloor(email) {
  return async (run) => {
    const value = String(email).trim().toLowerCase();
    const [hit] = await run(
      `SELECT profile_id FROM weft.identity_map WHERE id_type = 'email' AND id_value = ${sqlText(value)}`,
    );
    const id = sqlText(hit?.[0]);
    await run(
      `SELECT id_type, id_value, first_seen_at, last_seen_at FROM weft.identity_map WHERE profile_id = ${id}`,
    );
    await run(`SELECT * FROM weft.profiles WHERE profile_id = ${id}`);
    await run(`SELECT audience, split FROM weft.audience_members WHERE profile_id = ${id}`);
  };
}

/** A draft's compiled SQL (as `weft build` writes it), counted. */
function sizeFloor(project, draft) {
  const { sql } = compileDraft(project, duckdbDialect, draft);
  return async (run) => {
    await run(`SELECT count(*) FROM (${sql}) AS d`);
  };
}

/** Every all/any group of a condition tree (a negated one as itself), as insights sizes them. */
function groupNodes(node) {
  const inner = node.not ?? node;
  const items = inner.all ?? inner.any;
  return items ? [node, ...items.flatMap(groupNodes)] : [];
}

/** Insights by hand: members into a temp table, size, each group counted, overlaps, sample. */
function insightsFloor(project, draft) {
  const members = compileDraft(project, duckdbDialect, draft).sql;
  const groups = (draft.where ? groupNodes(draft.where) : []).map(
    (where) => compileDraft(project, duckdbDialect, { name: draft.name, where, columns: [] }).sql,
  );
  const shown = (draft.columns.length > 0 ? draft.columns : Object.keys(project.profiles.traits).slice(0, 4))
    .map((c) => `, p."${c}"`)
    .join('');
  return async (run) => {
    await run(`CREATE OR REPLACE TEMP TABLE bench_floor AS SELECT profile_id FROM (${members}) AS d`);
    await run('SELECT count(*) FROM bench_floor');
    for (const sql of groups) await run(`SELECT count(*) FROM (${sql}) AS g`);
    await run(`SELECT o.audience, count(*), count(m.profile_id) FROM weft.audience_members AS o
LEFT JOIN bench_floor AS m ON m.profile_id = o.profile_id WHERE o.audience <> ${sqlText(draft.name)} GROUP BY o.audience`);
    await run(`SELECT m.profile_id${shown} FROM (SELECT profile_id FROM bench_floor ORDER BY profile_id LIMIT 10) AS m
LEFT JOIN weft.profiles AS p ON p.profile_id = m.profile_id ORDER BY m.profile_id`);
    await run('DROP TABLE bench_floor');
  };
}

/** Runs each row's floor on one DuckDB instance over the project's file: a first call, then REPEAT timed. */
async function timeFloors(project, rows) {
  const file = path.resolve(dir, project.config.warehouse.path);
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  const run = async (sql) => (await connection.runAndReadAll(sql)).getRows();
  try {
    for (const row of rows) {
      if (!row.floor) continue;
      log(`floor: ${row.call}`);
      await row.floor(run);
      const times = [];
      for (let i = 0; i < REPEAT; i++) {
        const t0 = performance.now();
        await row.floor(run);
        times.push(performance.now() - t0);
      }
      row.floorMs = median(times);
    }
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  cleanUp();
  process.exit(1);
});
