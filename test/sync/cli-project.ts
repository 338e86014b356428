/**
 * A throwaway weft project for CLI sync tests: a DuckDB file, source table `app.people` behind
 * model `people` (a view), a webhook connection to an emulator, and upsert + mirror syncs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../../src/config/project.js';
import { previewSync } from '../../src/sync/preview.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row } from '../../src/warehouse/types.js';

/** Sync names in the project (both read model `people`, keyed by email). */
export const UPSERT_SYNC = 'people_upsert';
export const MIRROR_SYNC = 'people_mirror';

/** Creates the project; `settings` are the webhook connection's settings (url, secret…). */
export function createSyncProject(settings: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-sync-cli-'));
  const connection = Object.entries(settings)
    .filter(([k]) => k !== 'type')
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: synctest\nwarehouse:\n  type: duckdb\n  path: .weft/warehouse.duckdb\nconnections:\n  hook:\n    type: webhook\n${connection}\n`,
  );
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(
    path.join(dir, 'models/sources.yml'),
    'sources:\n  app:\n    schema: app\n    tables: [people]\n',
  );
  fs.writeFileSync(path.join(dir, 'models/people.sql'), "select * from {{source 'app' 'people'}}\n");
  fs.mkdirSync(path.join(dir, 'syncs'));
  const sync = (name: string, mode: string, extra = '') =>
    `name: ${name}\nfrom: people\nconnection: hook\nmode: ${mode}\nkey: email\nmappings:\n  email: email\n  name: name\n  score: "{{round score 1}}"\n${extra}`;
  fs.writeFileSync(path.join(dir, 'syncs', `${UPSERT_SYNC}.yml`), sync(UPSERT_SYNC, 'upsert'));
  fs.writeFileSync(
    path.join(dir, 'syncs', `${MIRROR_SYNC}.yml`),
    sync(MIRROR_SYNC, 'mirror', 'guardrails: { max_delete_pct: 40 }\n'),
  );
  return dir;
}

/** One source row. */
export type Person = [email: string | null, name: string, score: number];

/** `n` people `p<i>@x` at `version` (names and scores change with it). */
export function peopleAt(n: number, version: number, from = 0): Person[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return [`p${i}@x`, `Person ${i} v${version}`, i * version + 0.25];
  });
}

async function withWarehouse<T>(
  dir: string,
  body: (wh: Awaited<ReturnType<typeof openWarehouse>>) => Promise<T>,
): Promise<T> {
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: '.weft/warehouse.duckdb' },
    { projectDir: dir },
  );
  try {
    return await body(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** Replaces the source rows (and makes sure model `people` exists as a view over them). */
export async function writePeople(dir: string, rows: Person[]): Promise<void> {
  await withWarehouse(dir, async (warehouse) => {
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS app; CREATE SCHEMA IF NOT EXISTS weft');
    await warehouse.load(
      { schema: 'app', name: 'people' },
      [
        { name: 'email', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'score', type: 'double' },
      ],
      rows,
    );
    await warehouse.execute('CREATE OR REPLACE VIEW weft.people AS SELECT * FROM app.people');
  });
}

/** Runs a query on the project's warehouse (no CLI may be running). */
export function queryProject(dir: string, sql: string): Promise<Row[]> {
  return withWarehouse(dir, (warehouse) => warehouse.query(sql));
}

/** What the emulator should hold for these rows: email → mapped fields. */
export function expectedRecords(rows: Person[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    rows.map(([email, name, score]) => [email, { email, name, score: Math.round(score * 10) / 10 }]),
  );
}

/** A spawned `weft` process that can be killed. */
export interface WeftProcess {
  child: import('node:child_process').ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Spawns the built CLI (dist/) in `cwd`. */
export function spawnWeft(args: string[], cwd: string): WeftProcess {
  const cli = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\``);
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Plans a sync in-process (no CLI may be running) and returns its counts. */
export async function planCounts(
  dir: string,
  sync: string,
): Promise<import('../../src/sync/types.js').PlanCounts> {
  const { project } = await loadProject(dir);
  if (!project) throw new Error(`invalid test project ${dir}`);
  const config = project.syncs.find((s) => s.value.name === sync)?.value;
  if (!config) throw new Error(`no sync ${sync}`);
  return withWarehouse(dir, async (warehouse) => (await previewSync(project, warehouse, config)).counts);
}
