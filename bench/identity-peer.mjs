#!/usr/bin/env node
/**
 * Identity speed against the open peer (anilkulkarni87/sql-identity-resolution), side by side in
 * one run on the peer's own generated data, with the clusters checked record by record.
 *
 * None of the peer's code is in this repository: it is read at run time from a checkout
 * (WEFT_PEER_DIR) or a git directory of it (WEFT_PEER_GIT, unpacked with `git archive HEAD` into a
 * temp dir). It needs python3 with the `duckdb` package (the peer's runtime).
 *
 * For each size (rows in all five tables; the peer's generator makes a fifth of them per table):
 *   1. the peer's generator (benchmarks/duckdb/idr_scale_test.py) writes its five tables into a
 *      fresh DuckDB file. It is run as written except: any size, its DDL path fixed (it points at
 *      a folder that does not exist), its own IDR call skipped (we time that separately), and its
 *      row-by-row `executemany` inserts (tens of minutes at 1M rows) replaced by a CSV + COPY of
 *      the very same rows (same random sequence, so the same data);
 *   2. alternately (WEFT_PEER_REPEAT times, on fresh copies of that file) the peer's
 *      resolution (`sql/duckdb/core/idr_run.py --run-mode=FULL --max-iters=50`, what its benchmark
 *      times, golden profiles included; its identity-only share is printed too) and weft's
 *      buildIdentity over the same rows, through views that map the peer's columns (entity key as
 *      the peer builds it; `example.com` mails renamed, because weft treats that reserved domain as
 *      junk and the peer merges on it);
 *   3. both clusterings compared record by record (every source row; a row without a usable
 *      identifier is its own cluster on both sides), with examples of any difference.
 * stdout carries only markdown (one table), progress goes to stderr.
 *
 * Opt-in (not in `npm run bench`'s default set: minutes per size). Build first, then e.g.
 *   WEFT_PEER_GIT=/path/to/sql-identity-resolution.git node bench/identity-peer.mjs 1000000 5000000
 * Env: WEFT_PEER_DIR | WEFT_PEER_GIT, WEFT_PEER_REPEAT (default 1), WEFT_PEER_SEED (default 42),
 * WEFT_DIST (another compiled weft, default ../dist), WEFT_BASE_DIST (an earlier compiled weft,
 * e.g. main's, timed beside it in the same run: before/after), WEFT_PEER_KEEP=1
 * (keep the temp files), WEFT_PEER_DATA (a folder keeping the generated files for later runs:
 * generation takes minutes at 10M rows and is not timed).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.WEFT_DIST ?? path.join(here, '..', 'dist'));
/** A compiled weft's identity entry points. */
async function loadWeft(from) {
  const mod = (p) => import(pathToFileURL(path.join(from, p)).href);
  return {
    from,
    identitySchema: (await mod('src/config/schemas/identity.js')).identitySchema,
    buildIdentity: (await mod('src/identity/index.js')).buildIdentity,
    openWarehouse: (await mod('src/warehouse/registry.js')).openWarehouse,
  };
}
const weft = await loadWeft(distDir);
// WEFT_BASE_DIST: a second, earlier weft (e.g. main's build) timed in the same run, for a before/after
const baseWeft = process.env.WEFT_BASE_DIST
  ? await loadWeft(path.resolve(process.env.WEFT_BASE_DIST))
  : undefined;
const { openWarehouse } = weft;

const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ['1000000']).map(Number);
const repeat = Number(process.env.WEFT_PEER_REPEAT ?? 1);
const seed = Number(process.env.WEFT_PEER_SEED ?? 42);
// keep the temp dir (generated and resolved files) to look into a difference
const keep = process.env.WEFT_PEER_KEEP === '1';
// where generated files are kept and reused (same size and seed: same rows), if set
const dataDir = process.env.WEFT_PEER_DATA ? path.resolve(process.env.WEFT_PEER_DATA) : undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-peer-'));
const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => (ms / 1000).toFixed(1);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** The peer's tables: table_id (the peer's metadata), relation, entity key expression, ids, timestamp. */
const TABLES = [
  {
    id: 'customer',
    rel: 'crm.customer',
    key: 'customer_id',
    ids: { email: 'email', phone: 'phone', loyalty_id: 'loyalty_id' },
    ts: 'rec_create_dt',
  },
  {
    id: 'transactions',
    rel: 'sales.transactions',
    key: "order_id || '-' || line_id",
    ids: { email: 'customer_email', phone: 'customer_phone' },
    ts: 'load_ts',
  },
  {
    id: 'loyalty_accounts',
    rel: 'loyalty.loyalty_accounts',
    key: 'loyalty_account_id',
    ids: { email: 'email', phone: 'phone', loyalty_id: 'loyalty_id' },
    ts: 'updated_at',
  },
  {
    id: 'web_events',
    rel: 'digital.web_events',
    key: 'event_id',
    ids: { email: 'email', phone: 'phone' },
    ts: 'event_ts',
  },
  {
    id: 'store_visits',
    rel: 'store.store_visits',
    key: 'visit_id',
    ids: { email: 'email', phone: 'phone', loyalty_id: 'loyalty_id' },
    ts: 'visit_ts',
  },
];

/** The peer checkout: WEFT_PEER_DIR, or WEFT_PEER_GIT unpacked. */
function peerCheckout() {
  if (process.env.WEFT_PEER_DIR) return path.resolve(process.env.WEFT_PEER_DIR);
  const git = process.env.WEFT_PEER_GIT;
  if (!git) {
    throw new Error(
      'identity-peer: set WEFT_PEER_DIR (a checkout of anilkulkarni87/sql-identity-resolution) or WEFT_PEER_GIT (its git directory)',
    );
  }
  const out = path.join(dir, 'peer');
  mkdirSync(out);
  const tar = execFileSync('git', ['--git-dir', git, 'archive', 'HEAD'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', out], { input: tar });
  return out;
}

/** Runs the peer's generator (see the header for what differs) as a Python wrapper. */
const GENERATOR_WRAPPER = String.raw`
import csv, os, re, subprocess, sys, tempfile
import duckdb
peer, db, rows_per_table, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
path = os.path.join(peer, 'benchmarks', 'duckdb', 'idr_scale_test.py')
src = open(path).read()
def swap(old, new):
    global src
    if old not in src:
        raise SystemExit('peer generator changed: cannot find ' + old)
    src = src.replace(old, new)
swap("N_ROWS = SCALE_MAP[args.scale]", "N_ROWS = %d" % rows_per_table)
swap("os.path.join(script_dir, '..', 'core', '00_ddl_all.sql')",
     repr(os.path.join(peer, 'sql', 'duckdb', 'core', '00_ddl_all.sql')))
class Skipped:
    stdout = '(IDR run skipped by the weft bench: timed separately)'
    stderr = ''
    returncode = 0
subprocess.run = lambda *a, **k: Skipped()
real_connect = duckdb.connect
class Connection:
    def __init__(self, *a, **k):
        self.con = real_connect(*a, **k)
    def __getattr__(self, name):
        return getattr(self.con, name)
    def executemany(self, sql, rows):
        m = re.match(r'\s*INSERT INTO ([\w.]+) VALUES', sql)
        if not m or len(rows) < 1000:
            return self.con.executemany(sql, rows)
        fd, file = tempfile.mkstemp(suffix='.csv')
        with os.fdopen(fd, 'w', newline='') as f:
            w = csv.writer(f)
            for r in rows:
                w.writerow(['' if v is None else v for v in r])
        self.con.execute("COPY %s FROM '%s' (HEADER false)" % (m.group(1), file))
        os.remove(file)
duckdb.connect = Connection
sys.argv = [path, '--db=' + db, '--scale=100K', '--seed=' + seed]
exec(compile(src, path, 'exec'), {'__name__': '__main__', '__file__': path})
`;

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => {
      out += b;
    });
    child.stderr.on('data', (b) => {
      err += b;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(opts.withStderr ? { out, err } : out)
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${err.slice(-2000)}`)),
    );
  });
}

async function generate(peer, db, rows) {
  const wrapper = path.join(dir, 'peer_generate.py');
  writeFileSync(wrapper, GENERATOR_WRAPPER);
  const t0 = Date.now();
  await run('python3', [wrapper, peer, db, String(Math.round(rows / 5)), String(seed)], { cwd: peer });
  return Date.now() - t0;
}

/** The peer's FULL run; its wall time and its own stage timings (seconds, whole). */
async function runPeer(peer, db) {
  const t0 = Date.now();
  // CPU seconds (user + system, all threads) too: on a shared machine they vary less than wall time
  const { out, err } = await run(
    '/usr/bin/time',
    [
      '-f',
      'WEFT_CPU %U %S',
      'python3',
      path.join(peer, 'sql/duckdb/core/idr_run.py'),
      `--db=${db}`,
      '--run-mode=FULL',
      '--max-iters=50',
    ],
    { cwd: peer, withStderr: true },
  );
  const cpu = /WEFT_CPU ([\d.]+) ([\d.]+)/.exec(err);
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN;
  const ms = Date.now() - t0;
  const stages = {};
  for (const m of out.matchAll(/⏱️ ([^:\n]+): (\d+)s/g)) stages[m[1].trim()] ??= Number(m[2]);
  const iterations = Number(/LP Iterations:\s*(\d+)/.exec(out)?.[1] ?? Number.NaN);
  return { ms, cpuMs, stages, iterations };
}

/** weft's project over views of the peer's tables (schema weft_peer), and the views. */
async function weftProject(w, warehouse, db, schema) {
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS weft_peer');
  for (const t of TABLES) {
    const cols = Object.values(t.ids).map((c) =>
      c.includes('email')
        ? `CASE WHEN lower(${c}) LIKE '%@example.com' THEN left(${c}, length(${c}) - 12) || '@example.peer' ELSE ${c} END AS ${c}`
        : c,
    );
    await warehouse.execute(
      `CREATE OR REPLACE VIEW weft_peer.${t.id} AS SELECT CAST((${t.key}) AS VARCHAR) AS entity_key, ${cols.join(', ')}, ${t.ts} FROM ${t.rel}`,
    );
  }
  return {
    dir,
    config: {
      name: 'peer',
      schema,
      state_schema: `${schema}_state`,
      warehouse: { type: 'duckdb', path: db },
      connections: {},
      vars: {},
    },
    sources: [
      { name: 'peer', schema: 'weft_peer', tables: TABLES.map((t) => ({ name: t.id, identifier: t.id })) },
    ],
    models: [],
    identity: w.identitySchema.parse({
      // the peer's rules: email lowercased, phone and loyalty id as they are
      id_types: { email: { normalize: 'email' }, phone: {}, loyalty_id: {} },
      sources: TABLES.map((t) => ({ from: `peer.${t.id}`, key: 'entity_key', ids: t.ids, timestamp: t.ts })),
    }),
    audiences: [],
    syncs: [],
    secrets: [],
  };
}

const PHASES = {
  prepare: ['state_check', 'prepare_full', 'prepare_incremental'],
  edges: ['edges', 'edge_state', 'nodes'],
  components: ['components', 'affected', 'limits', 'profile_ids'],
};
function phasesOf(steps, total) {
  const out = {};
  let known = 0;
  for (const [phase, names] of Object.entries(PHASES)) {
    out[phase] = names.reduce((s, n) => s + (steps[n] ?? 0), 0);
    known += out[phase];
  }
  // outputs: map, merges, edges_out, rows_out, shared_out, report and the unnamed statements between
  out.outputs = total - known;
  return out;
}

async function runWeft(w, db, schema) {
  const warehouse = await w.openWarehouse({ type: 'duckdb', path: db }, { projectDir: dir });
  try {
    const project = await weftProject(w, warehouse, db, schema);
    const steps = {};
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    const report = await w.buildIdentity(project, warehouse, {
      fullRefresh: true,
      onEvent: (e) => {
        if (e.type === 'identity_step') steps[e.step] = (steps[e.step] ?? 0) + e.ms;
      },
    });
    const ms = Date.now() - t0;
    // DuckDB runs inside this process: its threads' CPU time is the process's
    const c = process.cpuUsage(c0);
    return { ms, cpuMs: (c.user + c.system) / 1000, steps, phases: phasesOf(steps, ms), report };
  } finally {
    await warehouse.close();
  }
}

/** Record-by-record comparison of the two clusterings (in the file both wrote to). */
async function compare(db, schema = 'weft') {
  const warehouse = await openWarehouse({ type: 'duckdb', path: db }, { projectDir: dir });
  try {
    const q = async (sql) => warehouse.query(sql);
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE cmp AS
      SELECT p.entity_key, p.resolved_id AS peer_cluster,
        coalesce(w.profile_id, 'weft-unresolved:' || p.entity_key) AS weft_cluster, w.row_key IS NOT NULL AS in_weft
      FROM idr_out.identity_resolved_membership_current p
      LEFT JOIN ${schema}.identity_rows w ON replace(w.source, 'peer.', '') || ':' || w.row_key = p.entity_key`);
    const [c] = await q(`SELECT count(*) AS records, count(DISTINCT peer_cluster) AS peer_clusters,
        count(DISTINCT weft_cluster) AS weft_clusters, count(DISTINCT (peer_cluster, weft_cluster)) AS pairs,
        count(*) FILTER (WHERE NOT in_weft) AS unresolved,
        (SELECT count(*) FROM ${schema}.identity_rows) AS weft_rows,
        (SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t.rel})`).join(' + ')}) AS source_rows
      FROM cmp`);
    const n = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Number(v)]));
    const examples = [];
    if (n.pairs !== n.peer_clusters) {
      const rows =
        await q(`SELECT peer_cluster, list(DISTINCT weft_cluster) AS w, list(entity_key ORDER BY entity_key)[1:6] AS records
        FROM cmp GROUP BY peer_cluster HAVING count(DISTINCT weft_cluster) > 1 ORDER BY peer_cluster LIMIT 3`);
      for (const r of rows)
        examples.push(
          `peer cluster ${r.peer_cluster} is ${r.w.length} weft profiles (records ${r.records.join(', ')})`,
        );
    }
    if (n.pairs !== n.weft_clusters) {
      const rows =
        await q(`SELECT weft_cluster, list(DISTINCT peer_cluster) AS p, list(entity_key ORDER BY entity_key)[1:6] AS records
        FROM cmp GROUP BY weft_cluster HAVING count(DISTINCT peer_cluster) > 1 ORDER BY weft_cluster LIMIT 3`);
      for (const r of rows)
        examples.push(
          `weft profile ${r.weft_cluster} joins ${r.p.length} peer clusters (records ${r.records.join(', ')})`,
        );
    }
    const same =
      n.records === n.source_rows &&
      n.pairs === n.peer_clusters &&
      n.pairs === n.weft_clusters &&
      examples.length === 0;
    return { ...n, same, examples };
  } finally {
    await warehouse.close();
  }
}

const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GB`;
const lines = [
  `| rows | peer s | peer identity-only s | weft s | weft prepare / edges / components / outputs s | ratio (peer / weft) |${baseWeft ? ' weft before s | ratio before |' : ''} same clusters | CPU s peer / weft (ratio) | load avg before → after |`,
  `|---:|---:|---:|---:|---|---:|${baseWeft ? '---:|---:|' : ''}---|---|---|`,
];
const notes = [];
try {
  const peer = peerCheckout();
  for (const rows of sizes) {
    const cached = dataDir ? path.join(dataDir, `peer_${rows}_s${seed}.duckdb`) : undefined;
    const base = cached ?? path.join(dir, `gen_${rows}.duckdb`);
    if (cached && existsSync(cached)) log(`reusing ${cached}`);
    else {
      log(`generating ${fmt(rows)} rows with the peer's generator (load ${load()})`);
      const genMs = await generate(peer, base, rows);
      log(`  generated in ${secs(genMs)} s`);
    }
    for (let i = 0; i < repeat; i++) {
      const db = path.join(dir, `run_${rows}_${i}.duckdb`);
      if (existsSync(db)) rmSync(db);
      copyFileSync(base, db);
      const before = load();
      log(`peer FULL run ${i + 1}/${repeat} (load ${before})`);
      const p = await runPeer(peer, db);
      log(`  peer ${secs(p.ms)} s ${JSON.stringify(p.stages)}`);
      // with a before weft, the two alternate which goes first
      let b;
      const runOne = async (which) => {
        const mod = which === 'before' ? baseWeft : weft;
        log(`weft${which === 'before' ? ' (before)' : ''} buildIdentity ${i + 1}/${repeat} (load ${load()})`);
        const r = await runWeft(mod, db, which === 'before' ? 'weft_before' : 'weft');
        log(`  ${secs(r.ms)} s ${JSON.stringify(r.steps)}`);
        return r;
      };
      if (baseWeft && i % 2 === 0) b = await runOne('before');
      const w = await runOne('now');
      if (baseWeft && i % 2 === 1) b = await runOne('before');
      const after = load();
      const cmp = await compare(db);
      log(`  compare ${JSON.stringify(cmp)}`);
      const cmpBefore = b ? await compare(db, 'weft_before') : undefined;
      if (cmpBefore) log(`  compare (before) ${JSON.stringify(cmpBefore)}`);
      // the peer's identity work: everything but its golden-profile and bookkeeping stages
      const identityOnly = Object.entries(p.stages)
        .filter(([k]) => !/golden|state|audit|metric/i.test(k))
        .reduce((s, [, v]) => s + v, 0);
      const ph = w.phases;
      lines.push(
        `| ${fmt(rows)} | ${secs(p.ms)} | ${identityOnly} | ${secs(w.ms)} | ${[ph.prepare, ph.edges, ph.components, ph.outputs].map(secs).join(' / ')} | ${(p.ms / w.ms).toFixed(1)}x |${b ? ` ${secs(b.ms)} | ${(p.ms / b.ms).toFixed(1)}x${cmpBefore?.same ? '' : ' (clusters differ)'} |` : ''} ${cmp.same ? 'yes' : '**no**'} (${fmt(cmp.records)} records, ${fmt(cmp.peer_clusters)} clusters) | ${secs(p.cpuMs)} / ${secs(w.cpuMs)} (${(p.cpuMs / w.cpuMs).toFixed(1)}x)${b ? `; before ${secs(b.cpuMs)} (${(p.cpuMs / b.cpuMs).toFixed(1)}x)` : ''} | ${before} → ${after} |`,
      );
      notes.push(
        `- ${fmt(rows)} run ${i + 1}: peer stages ${Object.entries(p.stages)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} (s, whole; ${p.iterations} LP iterations); weft steps ${Object.entries(w.steps)
          .map(([k, v]) => `${k} ${secs(v)}`)
          .join(
            ', ',
          )} (s; ${w.report.rounds} rounds); weft clusters ${fmt(cmp.weft_clusters)}, ${fmt(cmp.unresolved)} records without a usable identifier.`,
      );
      for (const e of cmp.examples) notes.push(`  - difference: ${e}`);
      if (!keep) rmSync(db, { force: true });
    }
    if (!cached) rmSync(base, { force: true });
  }
} finally {
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `${[
    '## Identity speed vs the open peer',
    '',
    `Machine: ${machine}, Node ${process.version}; weft from ${distDir}${baseWeft ? `, before from ${baseWeft.from}` : ''}.`,
    '',
    ...lines,
    '',
    ...notes,
  ].join('\n')}\n`,
);
