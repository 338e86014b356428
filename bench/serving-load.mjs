#!/usr/bin/env node
// Serving-store loads of N profiles (default 1,000,000; SERVING_LOAD_N to change) into the
// embedded store: the full load, then loads after 0%, 1% and 10% of the profiles changed
// (SERVING_LOAD_PERCENTS), as `weft build` makes them (incremental, or full above a quarter
// changed; FORCE_INCREMENTAL=1 makes each incremental), so how the cost follows the change
// shows; each cell names the generations served after it (a delta, or a compaction's new base).
// With BASELINE=<a checkout with dist/, e.g. /work/main> the baseline's loader and embedded store
// run beside these in the same run, on the same warehouse (each its own store file), order
// alternating. Floor: the warehouse assembling and streaming out exactly the changed profiles,
// their ids given (what a load costs when the change is known, store writes aside). Prints one
// markdown section. Needs `npm run build`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { open } from 'lmdb';
import { loadProject } from '../dist/src/config/project.js';
import { identitySchema } from '../dist/src/config/schemas/identity.js';
import { loadServingStore } from '../dist/src/realtime/load/loader.js';
import { assembledProfilesSql } from '../dist/src/realtime/load/profile-sql.js';
import { openEmbeddedStore } from '../dist/src/realtime/store/embedded.js';
import { projectNormalizer } from '../dist/src/realtime/store/open.js';
import { openWarehouse } from '../dist/src/warehouse/registry.js';
import { changeProfiles, makeProfileTables } from './lib/profile-tables.mjs';

const N = Number(process.env.SERVING_LOAD_N ?? 1_000_000);
const BASELINE = process.env.BASELINE;
/** The shares of profiles changed before each incremental round (SERVING_LOAD_PERCENTS, e.g. 0,1,3,10). */
const PERCENTS = (process.env.SERVING_LOAD_PERCENTS ?? '0,1,10').split(',').map(Number);
const FORCE = process.env.FORCE_INCREMENTAL === '1';
const log = (line) => process.stderr.write(`${line}\n`);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-serving-load-'));
  writeFileSync(path.join(dir, 'weft.yml'), 'name: bench\nwarehouse:\n  type: duckdb\n  path: wh.duckdb\n');
  const { project } = await loadProject(dir);
  project.identity = identitySchema.parse({
    id_types: { user_id: {}, email: { normalize: 'email' }, anonymous_id: {} },
    sources: [{ from: 'bench.rows', ids: { user_id: 'user_id' } }],
  });
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
  const normalize = projectNormalizer(project);
  const loaders = [{ name: 'this branch', load: loadServingStore, open: openEmbeddedStore }];
  if (BASELINE) {
    // the baseline's loader and store both: either may be what changed
    const from = (file) => import(pathToFileURL(path.join(path.resolve(BASELINE), 'dist/src', file)).href);
    loaders.push({
      name: `baseline (${BASELINE})`,
      load: (await from('realtime/load/loader.js')).loadServingStore,
      open: (await from('realtime/store/embedded.js')).openEmbeddedStore,
    });
  }
  try {
    log(`making ${N.toLocaleString('en-US')} profiles…`);
    const madeMs = await makeProfileTables(warehouse, N);
    for (const [i, l] of loaders.entries()) l.store = l.open(path.join(dir, `store${i}`), normalize);
    const results = loaders.map(() => []);
    const floors = [];
    const rounds = [
      { label: 'full', percent: undefined },
      ...PERCENTS.map((percent) => ({
        label: percent === 0 ? 'incremental, nothing changed' : `${percent}% changed`,
        percent,
      })),
    ];
    for (const [r, round] of rounds.entries()) {
      if (round.percent) await changeProfiles(warehouse, round.percent, r);
      // alternate which loader goes first: the second may find the warehouse's pages warm
      const order = r % 2 === 0 ? [...loaders.keys()] : [...loaders.keys()].reverse();
      for (const i of order) {
        const l = loaders[i];
        log(`${l.name}: ${round.label}…`);
        // FORCE_INCREMENTAL=1 times an incremental load whatever the share; else the loader
        // chooses as `weft build` does (a full load above a quarter of the profiles changed).
        const result = await l.load(project, warehouse, l.store, {
          full: round.percent === undefined,
          ...(FORCE && { fullAbove: 2 }),
        });
        // which generations the store serves after it (a delta, or a base a compaction wrote)
        const meta = open({ path: path.join(dir, `store${i}`, 'profiles.mdb'), compression: false });
        const delta = meta.get(['m', 'delta']);
        result.generations = `gen ${meta.get(['m', 'gen'])}${delta === undefined ? '' : ` + delta ${delta}`}`;
        results[i].push(result);
      }
      floors.push(round.percent ? await floor(project, warehouse, round.percent, r) : undefined);
    }
    const load = os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(', ');
    const lines = [
      '## Serving-store load: full and incremental (embedded LMDB)',
      '',
      `\`${BASELINE ? `BASELINE=${BASELINE} ` : ''}${process.env.SERVING_LOAD_PERCENTS ? `SERVING_LOAD_PERCENTS=${PERCENTS.join(',')} ` : ''}${FORCE ? 'FORCE_INCREMENTAL=1 ' : ''}node bench/serving-load.mjs\`, ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; load average at the end ${load}. ${N.toLocaleString('en-US')} profiles (3 identifiers, 7 traits, 0–2 audiences each; made in DuckDB in ${s(madeMs)}); a change is one trait of that share of the profiles. Phases: warehouse (fingerprints of every profile, and the diff) / transfer (assembling the written rows, streaming them into the store, commit) / record.`,
      '',
      `| load | ${loaders.map((l) => l.name).join(' | ')} | floor: the changed profiles assembled and streamed out, ids known |`,
      `|---|${loaders.map(() => '---|').join('')}---|`,
    ];
    for (const [r, round] of rounds.entries()) {
      const cells = results.map((list) => {
        const x = list[r];
        return `${s(x.ms)} (${x.mode}, ${x.written.toLocaleString('en-US')} written; ${s(x.phases.assemble_ms)} / ${s(x.phases.transfer_ms)} / ${s(x.phases.record_ms)}; ${x.generations})`;
      });
      const f = floors[r];
      lines.push(
        `| ${round.label} | ${cells.join(' | ')} | ${f ? `${s(f.ms)} (${f.rows.toLocaleString('en-US')} rows)` : '–'} |`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    for (const l of loaders) await l.store.close();
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows of the profiles round `round` changed, assembled by the warehouse and streamed out. */
async function floor(project, warehouse, percent, round) {
  const every = Math.round(100 / percent);
  const t0 = performance.now();
  const assembled = await assembledProfilesSql(project, warehouse);
  const only = `SELECT 'p' || i FROM range(${N}) t(i) WHERE i % ${every} = ${round % every}`;
  let rows = 0;
  for await (const chunk of warehouse.stream(assembled.rows(only), { chunkRows: 2000 })) rows += chunk.length;
  return { ms: performance.now() - t0, rows };
}

await main();
process.exit(0);
