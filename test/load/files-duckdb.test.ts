/**
 * loadFiles on DuckDB (the embedded default), case by case: every format, globs, hive partitions,
 * reader options, each kind of bad input, and the target resolution of --into.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileLoadRequest, loadFiles } from '../../src/load/files/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import '../../src/warehouse/engines.js';
import { projectAt, tempProject, writeFile } from './files-support.js';

let dir: string;
let warehouse: Warehouse;
const request = (
  patterns: string[],
  into: string,
  extra: Partial<FileLoadRequest> = {},
): FileLoadRequest => ({
  patterns,
  into,
  mode: 'replace',
  format: 'auto',
  maxRejects: 0,
  ...extra,
});
const load = (patterns: string[], into: string, extra: Partial<FileLoadRequest> = {}) =>
  loadFiles(projectAt(dir), warehouse, request(patterns, into, extra));
const rows = (sql: string) => warehouse.query(sql);

beforeAll(async () => {
  dir = tempProject({
    'csv/a.csv': 'id,email\n1,a@x.io\n2,b@x.io\n',
    'csv/b.csv': 'id,email\n3,c@x.io\n',
    'semi.txt': 'zip;city\n01234;Paris\n98765;Oslo\n',
    'noheader.csv': '1,Ann\n2,Bo\n',
    'arr.json': '[{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}]',
    'empty.csv': '',
    'bad-type.csv': 'id,name\n1,Ann\nabc,Bo\n3,Cy\n',
    'bad.ndjson': '{"id": 1}\n{"id": \n',
  });
  // More lines than DuckDB's sniffer samples, then a value that breaks the type it sniffed.
  const lines = ['id,amount'];
  for (let i = 1; i <= 30_000; i++) lines.push(`${i},${i}.25`);
  lines.push('abc,1.5', '30002,oops');
  writeFile(dir, 'late.csv', `${lines.join('\n')}\n`);
  warehouse = await openWarehouse({ type: 'duckdb', path: 'w.duckdb' }, { projectDir: dir });
  for (const [region, ids] of [
    ['eu', '1, 2'],
    ['us', '3'],
  ] as const) {
    fs.mkdirSync(path.join(dir, `orders/region=${region}`), { recursive: true });
    await warehouse.execute(
      `COPY (SELECT unnest([${ids}]) AS id, CAST(unnest([${ids}]) AS DECIMAL(18,2)) * 10.5 AS amount) TO '${path.join(dir, `orders/region=${region}/part.parquet`)}' (FORMAT parquet)`,
    );
  }
});
afterAll(async () => {
  await warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadFiles on DuckDB', () => {
  it('loads a glob of CSVs, relative to the project, reporting the files', async () => {
    const summary = await load(['csv/*.csv'], 'shop.customers');
    expect(summary.inputs).toEqual(['csv/a.csv', 'csv/b.csv']);
    expect(summary.rows_loaded).toBe(3);
    expect(summary.relation).toEqual({ schema: 'shop', name: 'customers' });
    expect((await rows('SELECT id FROM shop.customers ORDER BY id')).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('reads hive-partitioned Parquet with the partition as a column and decimals kept', async () => {
    await load(['orders/*/*.parquet'], 'shop.orders', { hivePartitioning: true });
    const got = await rows(
      'SELECT id, CAST(amount AS VARCHAR) AS amount, region FROM shop.orders ORDER BY id',
    );
    expect(got).toEqual([
      { id: 1, amount: '10.500', region: 'eu' },
      { id: 2, amount: '21.000', region: 'eu' },
      { id: 3, amount: '31.500', region: 'us' },
    ]);
    const [type] = await rows(
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'amount'",
    );
    expect(type?.data_type).toMatch(/^DECIMAL/);
  });

  it('honours format, delimiter, header and types options', async () => {
    await load(['semi.txt'], 'geo.cities', { format: 'csv', delimiter: ';', types: { zip: 'VARCHAR' } });
    expect(await rows('SELECT zip, city FROM geo.cities ORDER BY zip')).toEqual([
      { zip: '01234', city: 'Paris' },
      { zip: '98765', city: 'Oslo' },
    ]);
    await load(['noheader.csv'], 'geo.people', { header: false });
    expect(await rows('SELECT column0, column1 FROM geo.people ORDER BY column0')).toEqual([
      { column0: 1, column1: 'Ann' },
      { column0: 2, column1: 'Bo' },
    ]);
  });

  it('loads a JSON array with a list column', async () => {
    await load(['arr.json'], 'app.items');
    expect(await rows('SELECT id, tags FROM app.items ORDER BY id')).toEqual([
      { id: 1, tags: ['a', 'b'] },
      { id: 2, tags: [] },
    ]);
  });

  it('refuses a value that breaks a --types type, naming file, line and column, writing nothing', async () => {
    await expect(load(['bad-type.csv'], 'app.typed', { types: { id: 'INTEGER' } })).rejects.toThrow(
      /bad-type\.csv:3 \(column id\): .*abc/,
    );
    expect(
      await rows("SELECT * FROM duckdb_tables() WHERE schema_name = 'app' AND table_name LIKE 'typed%'"),
    ).toEqual([]);
  });

  it('rejects values breaking the type sniffed from earlier lines, by line, within --max-rejects', async () => {
    await expect(load(['late.csv'], 'app.late')).rejects.toThrow(
      /2 bad lines[\s\S]*late\.csv:30002 \(column id\)[\s\S]*late\.csv:30003 \(column amount\)/,
    );
    const summary = await load(['late.csv'], 'app.late', { maxRejects: 2 });
    expect(summary.rows_loaded).toBe(30_000);
    expect(summary.rejected.map((r) => [r.line, r.column])).toEqual([
      [30002, 'id'],
      [30003, 'amount'],
    ]);
    const [row] = await rows(
      'SELECT CAST(sum(amount) AS VARCHAR) AS total, typeof(any_value(amount)) AS type FROM app.late',
    );
    expect(row).toEqual({ total: '450022500.00', type: 'DECIMAL(7,2)' });
  });

  it('keeps a declared DECIMAL when every value fits it, and refuses to round one that does not', async () => {
    writeFile(dir, 'money.csv', 'id,amount\n1,19.99\n2,0.5\n');
    await load(['money.csv'], 'app.money', { types: { amount: 'DECIMAL(12,2)' } });
    expect(
      await rows(
        'SELECT CAST(amount AS VARCHAR) AS amount, typeof(amount) AS type FROM app.money ORDER BY id',
      ),
    ).toEqual([
      { amount: '19.99', type: 'DECIMAL(12,2)' },
      { amount: '0.50', type: 'DECIMAL(12,2)' },
    ]);
    await expect(load(['money.csv'], 'app.money', { types: { amount: 'DECIMAL(12,1)' } })).rejects.toThrow(
      'column amount: its values need DECIMAL(4,2), more than the declared DECIMAL(12,1) holds',
    );
    expect((await rows('SELECT typeof(amount) AS type FROM app.money LIMIT 1'))[0]?.type).toBe(
      'DECIMAL(12,2)',
    );
  });

  it('names an empty file, a missing file and a glob matching nothing', async () => {
    await expect(load(['empty.csv'], 'app.e')).rejects.toThrow('empty.csv is empty (0 bytes)');
    await expect(load(['nope.csv'], 'app.e')).rejects.toThrow(/nope\.csv: no such file/);
    await expect(load(['csv/*.parquet'], 'app.e')).rejects.toThrow("no file matches 'csv/*.parquet'");
  });

  it('names malformed JSON with its file and line', async () => {
    await expect(load(['bad.ndjson'], 'app.j')).rejects.toThrow(/bad\.ndjson.*line 3/);
  });

  it('writes a declared source to its schema and identifier; hints at sources.yml for an undeclared one', async () => {
    const project = projectAt(dir, [
      { name: 'crm', schema: 'raw_crm', tables: [{ name: 'contacts', identifier: 'crm_contacts' }] },
    ]);
    const declared = await loadFiles(project, warehouse, request(['csv/a.csv'], 'crm.contacts'));
    expect(declared.relation).toEqual({ schema: 'raw_crm', name: 'crm_contacts' });
    expect(declared.hints).toBeUndefined();
    const undeclared = await loadFiles(project, warehouse, request(['csv/a.csv'], 'web.visits'));
    expect(undeclared.relation).toEqual({ schema: 'web', name: 'visits' });
    expect(undeclared.hints?.join('\n')).toContain(
      '  sources:\n    web:\n      schema: web\n      tables:\n        - visits',
    );
    const newTable = await loadFiles(project, warehouse, request(['csv/a.csv'], 'crm.deals'));
    expect(newTable.relation).toEqual({ schema: 'raw_crm', name: 'deals' });
    expect(newTable.hints?.join('\n')).toContain('        - deals');
  });
});

describe('progress', () => {
  it('says what the one-statement read is doing (files, their size) before the rows are counted', async () => {
    const reports: Array<{ rows: number; stage?: string; totalBytes?: number }> = [];
    await loadFiles(projectAt(dir), warehouse, request(['csv/*.csv'], 'crm.progress'), {
      onProgress: (p) => reports.push(p),
    });
    const size = ['csv/a.csv', 'csv/b.csv'].reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
    expect(reports[0]).toMatchObject({ rows: 0, stage: 'reading 2 files', totalBytes: size });
    expect(reports.at(-1)).toEqual({ rows: 3 });
  });
});
