/**
 * File sources (sources.yml `files:`): validated, then made available by `weft build` before the
 * models run — a view reading in place or a table on DuckDB, a load (when changed) on Postgres.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build.js';
import { prepareFileSources } from '../../src/build/file-sources.js';
import { formatIssue, loadProject } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse, WarehouseConnectionConfig } from '../../src/warehouse/types.js';
import { tempProject, writeFile } from '../load/files-support.js';
import { postgresTestConfig, uniqueSchema } from '../support/live-engines.js';

const ORDERS_A = 'order_id,customer_id,amount\n1,10,19.99\n2,11,987654321098765.43\n';
const ORDERS_B = 'order_id,customer_id,amount\n3,10,0.01\n';

/** A project on disk: weft.yml, sources.yml with file sources, and one model reading them. */
function writeProject(
  schemas: { raw: string; models: string; state: string },
  materialized: boolean,
): string {
  const dir = tempProject({
    'weft.yml': `name: t\nschema: ${schemas.models}\nstate_schema: ${schemas.state}\nwarehouse:\n  type: duckdb\n  path: w.duckdb\n`,
    'models/sources.yml': `sources:
  shop:
    schema: ${schemas.raw}
    tables:
      - name: orders
        files: data/orders/*.csv
        materialized: ${materialized}
      - name: regions
        files: [data/regions.txt]
        format: csv
        options: { delimiter: ";", header: true, types: { code: VARCHAR } }
`,
    'models/order_totals.sql':
      "select o.customer_id, r.name, sum(o.amount) as total from {{source 'shop' 'orders'}} o join {{source 'shop' 'regions'}} r on r.code = '007' group by o.customer_id, r.name",
    'data/orders/a.csv': ORDERS_A,
    'data/orders/b.csv': ORDERS_B,
    'data/regions.txt': 'code;name\n007;North\n',
  });
  return dir;
}

async function loaded(dir: string): Promise<Project> {
  const { project, issues } = await loadProject(dir);
  if (!project) throw new Error(issues.map(formatIssue).join('\n'));
  return project;
}

async function totals(warehouse: Warehouse, schema: string): Promise<Array<[number, string, string]>> {
  const text = warehouse.dialect.name === 'postgres' ? 'TEXT' : 'VARCHAR';
  const rows = await warehouse.query(
    `SELECT customer_id, name, CAST(total AS ${text}) AS total FROM ${warehouse.dialect.qualify({ schema, name: 'order_totals' })} ORDER BY customer_id`,
  );
  return rows.map((r) => [Number(r.customer_id), String(r.name), String(r.total)]);
}

describe('file sources on DuckDB', () => {
  const schemas = { raw: 'raw', models: 'weft', state: 'weft_state' };
  for (const materialized of [false, true]) {
    it(`builds models over ${materialized ? 'a table loaded from' : 'a view reading'} the files, exactly`, async () => {
      const dir = writeProject(schemas, materialized);
      const warehouse = await openWarehouse({ type: 'duckdb', path: 'w.duckdb' }, { projectDir: dir });
      try {
        const result = await buildProject(await loaded(dir), warehouse);
        expect(result.status).toBe('success');
        expect(await totals(warehouse, 'weft')).toEqual([
          [10, 'North', '20.00'],
          [11, 'North', '987654321098765.43'],
        ]);
        const [kind] = await warehouse.query(
          warehouse.dialect.relationKindQuery({ schema: 'raw', name: 'orders' }),
        );
        expect(kind?.kind).toBe(materialized ? 'table' : 'view');
        // A file added later: a view reads it at once; a table on the next build.
        writeFile(dir, 'data/orders/c.csv', 'order_id,customer_id,amount\n4,11,1.50\n');
        const [count] = await warehouse.query('SELECT count(*) AS n FROM raw.orders');
        expect(Number(count?.n)).toBe(materialized ? 3 : 4);
        await buildProject(await loaded(dir), warehouse);
        const [after] = await warehouse.query('SELECT count(*) AS n FROM raw.orders');
        expect(Number(after?.n)).toBe(4);
      } finally {
        await warehouse.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('validate reports a pattern matching nothing at its line; the build names sources.yml, the table and the pattern', async () => {
    const dir = writeProject(schemas, false);
    try {
      fs.rmSync(path.join(dir, 'data/orders'), { recursive: true });
      const { project, issues } = await loadProject(dir);
      expect(project).toBeUndefined();
      expect(issues.map(formatIssue)).toEqual([
        expect.stringMatching(/^models\/sources\.yml:6:\d+ .*no file matches 'data\/orders\/\*\.csv'/),
      ]);
      writeFile(dir, 'data/orders/a.csv', ORDERS_A);
      const project2 = await loaded(dir);
      fs.rmSync(path.join(dir, 'data/orders/a.csv'));
      const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
      try {
        await expect(prepareFileSources(project2, warehouse)).rejects.toThrow(
          "models/sources.yml: file source shop.orders (files: data/orders/*.csv): no file matches 'data/orders/*.csv'",
        );
      } finally {
        await warehouse.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('file sources in sources.yml', () => {
  it('reads files: as one pattern or a list, with format and options; options without files: is a problem', async () => {
    const dir = tempProject({
      'weft.yml': 'name: t\nwarehouse:\n  type: duckdb\n  path: w.duckdb\n',
      'models/sources.yml': `sources:
  shop:
    schema: raw
    tables:
      - name: a
        files: [x.csv, y.tsv]
        format: csv
        options: { header: false, delimiter: "|", types: { id: BIGINT }, hive_partitioning: true }
        materialized: true
      - name: b
        format: parquet
`,
      'x.csv': '1|2\n',
      'y.tsv': '3|4\n',
    });
    try {
      const { project, issues } = await loadProject(dir);
      expect(project).toBeUndefined();
      expect(issues.map(formatIssue)).toEqual([
        expect.stringMatching(/^models\/sources\.yml:11:\d+ .*format: applies to file sources: add files:/),
      ]);
      fs.writeFileSync(
        path.join(dir, 'models/sources.yml'),
        fs
          .readFileSync(path.join(dir, 'models/sources.yml'), 'utf8')
          .replace('      - name: b\n        format: parquet\n', ''),
      );
      const ok = await loaded(dir);
      expect(ok.sources[0]?.tables[0]?.files).toEqual({
        patterns: ['x.csv', 'y.tsv'],
        format: 'csv',
        header: false,
        delimiter: '|',
        types: { id: 'BIGINT' },
        hivePartitioning: true,
        materialized: true,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const postgres = postgresTestConfig();
describe.runIf(postgres)('file sources on Postgres', () => {
  const schemas = {
    raw: uniqueSchema('weft_fs_raw'),
    models: uniqueSchema('weft_fs'),
    state: uniqueSchema('weft_fs_state'),
  };
  let dir: string;
  let warehouse: Warehouse;
  beforeAll(async () => {
    dir = writeProject(schemas, false);
    warehouse = await openWarehouse(postgres as WarehouseConnectionConfig, { projectDir: dir });
  });
  afterAll(async () => {
    for (const schema of Object.values(schemas))
      await warehouse?.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await warehouse?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the files before the models, again only when they changed', async () => {
    const result = await buildProject(await loaded(dir), warehouse);
    expect(result.status).toBe('success');
    expect(await totals(warehouse, schemas.models)).toEqual([
      [10, 'North', '20.00'],
      [11, 'North', '987654321098765.43'],
    ]);
    const project = await loaded(dir);
    expect((await prepareFileSources(project, warehouse)).map((o) => [o.name, o.action])).toEqual([
      ['shop.orders', 'unchanged'],
      ['shop.regions', 'unchanged'],
    ]);
    writeFile(dir, 'data/orders/c.csv', 'order_id,customer_id,amount\n4,11,1.50\n');
    expect((await prepareFileSources(project, warehouse)).map((o) => [o.name, o.action, o.rows])).toEqual([
      ['shop.orders', 'loaded', 4],
      ['shop.regions', 'unchanged', undefined],
    ]);
  });
});
