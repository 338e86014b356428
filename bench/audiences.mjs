#!/usr/bin/env node
/**
 * Audiences at scale: a temp copy of the demo project (models/, weft.yml; DuckDB file with
 * `warehouse.memory_limit`) seeded with WEFT_BENCH_PEOPLE people (default 1,000,000), built in
 * full (models + identity + profiles + audiences), then measured:
 * - the audiences stage alone (`weft build --select audiences` as a process: wall time, the
 *   stage's own time, per audience, and the process's peak RSS);
 * - the source fingerprinting `weft build` does first when syncs are scheduled (for the scheduler), in-process;
 * - sizes from `weft audience list --json`;
 * - `weft audience preview NAME` latency per audience: in-process `previewAudience` (median of
 *   3) and the CLI process (median of 3);
 * - a bare baseline: each audience's member count in hand-written DuckDB SQL (median of 3)
 *   against `count(*)` over weft's view (median of 3), with the counts checked equal.
 * Build first (`npm run build`). stdout carries only markdown, progress stderr.
 * Env: WEFT_BENCH_PEOPLE, WEFT_BENCH_DUCKDB_MEMORY_LIMIT (default 3GB), WEFT_BENCH_REPEAT (3).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { previewAudience } from '../dist/src/audiences/inspect/index.js';
import { loadProjectOrThrow } from '../dist/src/config/project.js';
import { fingerprintBeforeBuild } from '../dist/src/schedule/build/record-build.js';
import { openWarehouse } from '../dist/src/warehouse/registry.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const people = Number(process.env.WEFT_BENCH_PEOPLE ?? 1_000_000);
const memoryLimit = process.env.WEFT_BENCH_DUCKDB_MEMORY_LIMIT ?? '3GB';
const repeat = Number(process.env.WEFT_BENCH_REPEAT ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-audiences-'));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => (ms / 1000).toFixed(1);
const msf = (ms) => (ms < 100 ? ms.toFixed(1) : fmt(ms));
const log = (line) => process.stderr.write(`[audiences] ${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The children read the temp project's weft.yml, never a warehouse URL from the caller's shell.
const childEnv = { ...process.env };
delete childEnv.WEFT_WAREHOUSE_URL;

/** Peak RSS (VmHWM, MB) of a child process, polled from /proc until it exits (Linux). */
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

/** Runs `weft ARGS` in the temp project: stdout, wall ms and peak RSS; throws on a non-zero exit. */
async function weft(args) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const peak = watchPeakRss(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - t0;
  const peakMb = peak();
  if (code !== 0) throw new Error(`weft ${args.join(' ')} exited ${code}:\n${stderr}\n${stdout}`);
  return { stdout, ms, peakMb };
}
const jsonLines = (stdout) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** The demo project (models/, weft.yml) with its DuckDB file and memory limit in the temp dir. */
function copyDemo() {
  fs.cpSync(path.join(repoRoot, 'models'), path.join(dir, 'models'), { recursive: true });
  const yml = fs
    .readFileSync(path.join(repoRoot, 'weft.yml'), 'utf8')
    .replace(/^ {2}path: .*$/m, `  path: .weft/warehouse.duckdb\n  memory_limit: ${memoryLimit}`);
  if (!yml.includes(`memory_limit: ${memoryLimit}`)) throw new Error('weft.yml: no warehouse path line');
  fs.writeFileSync(path.join(dir, 'weft.yml'), yml);
  return /^as_of:\s*"?([^"\n]+)"?/m.exec(yml)?.[1];
}

/**
 * The demo audiences' member counts as an analyst would write them by hand (DuckDB SQL: set
 * operations over profile ids; events reach profiles through identity_rows like weft's do).
 */
function handWritten(asOf) {
  const now = `TIMESTAMP '${asOf.replace('T', ' ').replace(/Z$/, '')}'`;
  /** Profile ids with a row of `table` (id column `id`, time `ts`) in the last `days`, matching `where`. */
  const recent = (table, id, ts, days, where = 'true') =>
    `SELECT ir.profile_id FROM weft.${table} e JOIN weft.identity_rows ir
       ON ir.source = '${table}' AND ir.row_key = CAST(e.${id} AS VARCHAR)
     WHERE e.${ts} >= ${now} - INTERVAL ${days} DAY AND e.${ts} <= ${now} AND ${where}`;
  const subscribed = 'newsletter_subscribed IS NOT false';
  const count = (sql) => `SELECT count(*) AS n FROM (${sql}) t`;
  return {
    unsubscribed: count('SELECT profile_id FROM weft.profiles WHERE newsletter_subscribed = false'),
    cart_abandoners:
      count(`(${recent('stg_app_events', 'event_id', 'occurred_at', 7, "e.event_type = 'add_to_cart'")}
        INTERSECT SELECT profile_id FROM weft.profiles WHERE ${subscribed})
      EXCEPT (${recent('stg_app_events', 'event_id', 'occurred_at', 7, "e.event_type = 'purchase'")}
        UNION ALL ${recent('stg_shop_orders', 'order_id', 'created_at', 7)})`),
    churn_risk: count(`SELECT profile_id FROM weft.profiles WHERE order_count >= 1
      EXCEPT (${recent('stg_shop_orders', 'order_id', 'created_at', 90)}
        UNION ALL ${recent('stg_web_events', 'event_id', 'occurred_at', 90)}
        UNION ALL ${recent('stg_app_events', 'event_id', 'occurred_at', 90)})`),
    high_value_recent:
      count(`SELECT profile_id FROM weft.profiles WHERE lifetime_value >= 500 AND email IS NOT NULL AND ${subscribed}
      INTERSECT ${recent('stg_shop_orders', 'order_id', 'created_at', 90, "e.status = 'paid'")}`),
    pricing_big_accounts: count(`SELECT profile_id FROM weft.profiles WHERE plan IN ('pro', 'enterprise')
      INTERSECT ${recent('stg_web_events', 'event_id', 'occurred_at', 30, "e.event_type = 'pricing_page_view'")}`),
    win_back: count(`SELECT profile_id FROM weft.profiles WHERE order_count >= 2
      AND last_order_at < ${now} - INTERVAL 180 DAY AND ${subscribed}`),
  };
}

/** Median ms of `repeat` runs of `body`, with the last result. */
async function medianOf(body) {
  const times = [];
  let result;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = await body();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

try {
  const asOf = copyDemo();
  if (!asOf) throw new Error('weft.yml has no as_of: the hand-written baseline needs a fixed "now"');
  log(`seeding ${fmt(people)} people into ${dir}`);
  const seed = await weft(['seed', '--people', String(people), '--seed', '42']);
  log(`  seeded in ${secs(seed.ms)} s`);
  log('weft build --full-refresh (models, identity, profiles, audiences)');
  const full = await weft(['build', '--full-refresh', '--json']);
  const fullReport = jsonLines(full.stdout).at(-1);
  if (fullReport.status !== 'success') throw new Error(`build: ${full.stdout.slice(-2000)}`);
  const modelsMs = fullReport.models.reduce((sum, m) => sum + m.ms, 0);
  log(
    `  built in ${secs(full.ms)} s (identity ${secs(fullReport.identity.ms)} s, profiles ${secs(fullReport.profiles.ms)} s, audiences ${secs(fullReport.audiences.ms)} s)`,
  );

  // What `weft build` does before building when syncs are scheduled: fingerprint what they read
  // (each source table's rows hashed) for the scheduler. Reads only; nothing is recorded. This
  // copy has no syncs (so its builds skip it); measured as if an audience sync were scheduled.
  const fingerprintMs = await (async () => {
    const project = await loadProjectOrThrow(dir, { env: childEnv });
    project.syncs = [
      {
        path: 'syncs/scheduled.yml',
        value: { name: 'scheduled', from: 'audience.high_value_recent', schedule: '0 * * * *' },
      },
    ];
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
    try {
      const t0 = performance.now();
      await fingerprintBeforeBuild(project, warehouse);
      return performance.now() - t0;
    } finally {
      await warehouse.close();
    }
  })();
  log(`  fingerprintBeforeBuild: ${secs(fingerprintMs)} s`);
  log('weft build --select audiences');
  const stage = await weft(['build', '--select', 'audiences', '--json']);
  const stageReport = jsonLines(stage.stdout).at(-1);
  const audiencesStage = stageReport.audiences;
  if (audiencesStage?.status !== 'success') throw new Error(`audiences stage: ${stage.stdout.slice(-2000)}`);
  log(`  ${secs(stage.ms)} s, stage ${secs(audiencesStage.ms)} s, peak RSS ${fmt(stage.peakMb)} MB`);
  const listed = jsonLines((await weft(['audience', 'list', '--json'])).stdout);

  const names = listed.map((a) => a.name);
  const cliPreview = new Map();
  for (const name of names) {
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await weft(['audience', 'preview', name, '--json']));
    cliPreview.set(name, {
      ms: median(runs.map((r) => r.ms)),
      peakMb: Math.max(...runs.map((r) => r.peakMb)),
    });
    log(`  preview ${name} (CLI): ${secs(cliPreview.get(name).ms)} s`);
  }

  // In-process: the project as the CLI loads it, its warehouse (memory limit included) opened once.
  const project = await loadProjectOrThrow(dir, { env: childEnv });
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
  const rows = [];
  const baseline = handWritten(asOf);
  try {
    for (const name of names) {
      const preview = await medianOf(() => previewAudience(warehouse, project, name));
      const view = await medianOf(async () =>
        Number((await warehouse.query(`SELECT count(*) AS n FROM weft.audience_${name}`))[0].n),
      );
      const bare = baseline[name]
        ? await medianOf(async () => Number((await warehouse.query(baseline[name]))[0].n))
        : undefined;
      const built = audiencesStage.report.audiences.find((a) => a.name === name);
      rows.push({ name, listed: listed.find((a) => a.name === name), built, preview, view, bare });
      log(
        `  ${name}: preview ${msf(preview.ms)} ms, count(view) ${msf(view.ms)} ms, hand-written ${bare ? `${msf(bare.ms)} ms` : 'n/a'}`,
      );
    }
  } finally {
    await warehouse.close();
  }

  const profiles = fullReport.profiles.report.profiles;
  const viewSum = rows.reduce((s, r) => s + r.view.ms, 0);
  const bareRows = rows.filter((r) => r.bare);
  const bareSum = bareRows.reduce((s, r) => s + r.bare.ms, 0);
  const viewSumComparable = bareRows.reduce((s, r) => s + r.view.ms, 0);
  const mismatches = bareRows.filter((r) => r.bare.result !== r.view.result);
  const buildMs = audiencesStage.report.ms;
  const previewMs = rows.map((r) => r.preview.ms);
  const lines = [
    '## Audiences at scale',
    '',
    `The demo project (its ${names.length} audiences, \`as_of: ${asOf}\`) on ${fmt(people)} seeded people: ${fmt(profiles)} profiles.`,
    `DuckDB file, \`warehouse.memory_limit: ${memoryLimit}\`, ${os.cpus().length} cores. Seeded in ${secs(seed.ms)} s;`,
    `\`weft build --full-refresh\` took ${secs(full.ms)} s (models ${secs(modelsMs)} s, identity ${secs(fullReport.identity.ms)} s,`,
    `profiles ${secs(fullReport.profiles.ms)} s, audiences ${secs(fullReport.audiences.ms)} s).`,
    '',
    `**Audiences stage** (\`weft build --select audiences\` as a process, after the full build): **${secs(stage.ms)} s** wall`,
    `(the stage itself ${secs(audiencesStage.ms)} s: views, \`audience_members\` and sizes ${secs(buildMs)} s, \`audience_state\``,
    `${secs(audiencesStage.ms - buildMs)} s), peak RSS **${fmt(stage.peakMb)} MB** (VmHWM, embedded DuckDB included). Outside the stage:`,
    `start-up and the rest ${secs(stage.ms - audiencesStage.ms)} s. With a scheduled audience sync (the demo has them; this copy has no syncs),`,
    `\`weft build\` first fingerprints every source it reads for the scheduler (row hashes): ${secs(fingerprintMs)} s in-process on this data.`,
    '',
    `Per audience: size from \`weft audience list --json\`; "stage" is the audience's view + size query in the stage; "count(view)" is`,
    `\`SELECT count(*)\` over weft's view and "hand-written" the same count in bare DuckDB SQL (set operations over profile ids), each`,
    `a median of ${repeat} in-process; "preview" is \`previewAudience\` in-process (size, arms, overlaps with every other audience, a`,
    `sample of 10) and "preview CLI" the \`weft audience preview NAME --json\` process, both medians of ${repeat}.`,
    '',
    '| audience | size | % of profiles | stage ms | count(view) ms | hand-written ms | same count | preview ms | preview CLI ms |',
    '|---|---:|---:|---:|---:|---:|:---:|---:|---:|',
    ...rows.map((r) => {
      const size = r.listed.size;
      const arms = r.built?.arms?.length
        ? ` (${r.built.arms.map((a) => `${a.name} ${fmt(a.size)}`).join(', ')})`
        : '';
      const same = r.bare
        ? r.bare.result === r.view.result && r.view.result === size
          ? 'yes'
          : `NO (${fmt(r.bare.result)})`
        : 'n/a';
      return `| ${r.name} | ${fmt(size)}${arms} | ${((100 * size) / profiles).toFixed(2)} | ${r.built ? fmt(r.built.ms) : 'n/a'} | ${msf(r.view.ms)} | ${r.bare ? msf(r.bare.ms) : 'n/a'} | ${same} | ${msf(r.preview.ms)} | ${fmt(cliPreview.get(r.name).ms)} |`;
    }),
    '',
    `- count over weft's views ${fmt(viewSumComparable)} ms in all vs ${fmt(bareSum)} ms hand-written: **${(viewSumComparable / bareSum).toFixed(2)}x**`,
    `  the bare SQL${mismatches.length ? `; counts DIFFER for ${mismatches.map((r) => r.name).join(', ')}` : '; every count equal'}`,
    `- preview in-process: median ${msf(median(previewMs))} ms, slowest ${msf(Math.max(...previewMs))} ms; the CLI adds start-up (slowest ${fmt(Math.max(...[...cliPreview.values()].map((p) => p.ms)))} ms,`,
    `  peak RSS up to ${fmt(Math.max(...[...cliPreview.values()].map((p) => p.peakMb)))} MB)`,
    `- the views stay live (a sync or count(view) evaluates the audience: the ${fmt(viewSum)} ms of counts above); the stage evaluates`,
    `  each audience once into \`audience_members\`, which sizes, fingerprints, preview, list and the profile page read`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
