/**
 * A throwaway project for scheduler tests: source `app.people`, view model `people` over it,
 * table model `people_scored` over that, a webhook connection `hook` (an emulator), and
 * scheduled syncs: `scored_hourly` (from people_scored, hourly) and `raw_halfhourly` (from the
 * source table, every 30 minutes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row, Warehouse } from '../../src/warehouse/types.js';

export const SCORED = 'scored_hourly';
export const RAW = 'raw_halfhourly';

/** Writes the project; `alerts` is the weft.yml `alerts:` block (plus its connection), if any. */
export function createScheduleProject(
  hook: Record<string, unknown>,
  options: { alerts?: { connection: Record<string, unknown>; block: string } } = {},
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-schedule-'));
  const yaml = (settings: Record<string, unknown>) =>
    Object.entries(settings)
      .filter(([k]) => k !== 'type')
      .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
      .join('\n');
  const weft = [
    'name: scheduletest',
    'warehouse:\n  type: duckdb\n  path: .weft/warehouse.duckdb',
    'connections:',
    `  hook:\n    type: webhook\n${yaml(hook)}`,
    ...(options.alerts
      ? [
          `  alerting:\n    type: ${options.alerts.connection.type}\n${yaml(options.alerts.connection)}`,
          options.alerts.block,
        ]
      : []),
    '',
  ];
  write(dir, 'weft.yml', weft.join('\n'));
  write(dir, 'models/sources.yml', 'sources:\n  app:\n    schema: app\n    tables: [people]\n');
  write(dir, 'models/people.sql', "select * from {{source 'app' 'people'}}\n");
  setScoredSql(dir, 'select email, name, score * 2 as score from {{ref "people"}}');
  const sync = (name: string, from: string, schedule: string) =>
    `name: ${name}\nfrom: ${from}\nconnection: hook\nkey: email\nschedule: "${schedule}"\nmappings:\n  email: email\n  name: name\n`;
  write(dir, `syncs/${SCORED}.yml`, sync(SCORED, 'people_scored', '0 * * * *'));
  write(dir, `syncs/${RAW}.yml`, sync(RAW, 'app.people', '*/30 * * * *'));
  return dir;
}

/** Rewrites model `people_scored` (a table) with `select`. */
export function setScoredSql(dir: string, select: string): void {
  write(dir, 'models/people_scored.sql', `/* config:\n  materialized: table\n*/\n${select}\n`);
}

function write(dir: string, file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

/** Loads the project (throws on config issues). */
export async function load(dir: string): Promise<Project> {
  const { project, issues } = await loadProject(dir, { env: {} });
  if (!project) throw new Error(issues.map((i) => i.message).join('\n'));
  return project;
}

/** Opens the project's DuckDB file (shared within this process). */
export function open(dir: string): Promise<Warehouse> {
  return openWarehouse({ type: 'duckdb', path: '.weft/warehouse.duckdb' }, { projectDir: dir });
}

/** Runs `body` on an open warehouse, then closes it. */
export async function withWarehouse<T>(dir: string, body: (w: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await open(dir);
  try {
    return await body(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** Replaces `app.people` with `n` people `p<i>@x` at `version`. */
export function writePeople(dir: string, n: number, version = 1): Promise<number> {
  return withWarehouse(dir, async (warehouse) => {
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS app');
    return warehouse.load(
      { schema: 'app', name: 'people' },
      [
        { name: 'email', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'score', type: 'double' },
      ],
      Array.from({ length: n }, (_, i) => [`p${i}@x`, `Person ${i} v${version}`, i * version]),
    );
  });
}

/** Runs a query on the project's warehouse. */
export function query(dir: string, sql: string): Promise<Row[]> {
  return withWarehouse(dir, (warehouse) => warehouse.query(sql));
}
