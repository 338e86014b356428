/** loadFiles on every live engine: formats, exact values, modes, atomic replace, bad lines. */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileLoadRequest, loadFiles } from '../../src/load/files/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';
import { EXACT_CSV, projectAt, tempProject } from './files-support.js';

/** pq/region=eu|us/part.parquet, written by DuckDB, with a DECIMAL(18,2) column. */
async function writeParquet(dir: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const [region, id, amount] of [
    ['eu', 1, '987654321098765.43'],
    ['us', 2, '0.07'],
  ] as const) {
    fs.mkdirSync(path.join(dir, `pq/region=${region}`), { recursive: true });
    await c.run(
      `COPY (SELECT ${id} AS id, CAST('${amount}' AS DECIMAL(18,2)) AS amount) TO '${path.join(dir, `pq/region=${region}/part.parquet`)}' (FORMAT parquet)`,
    );
  }
  c.closeSync();
  db.closeSync();
}

/** More lines than DuckDB's sniffer samples, then values breaking the types it sniffed. */
function lateCsv(): string {
  const lines = ['id,amount'];
  for (let i = 1; i <= 30_000; i++) lines.push(`${i},${i}.25`);
  return `${[...lines, 'abc,1.5', '30002,oops'].join('\n')}\n`;
}

/** Decimal text without trailing fractional zeros (engines print the scale differently). */
function decimalText(value: unknown): string {
  const text = String(value);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

for (const { engine, config } of liveEngines()) {
  describe(`loadFiles on ${engine.name}`, () => {
    const d = engine.dialect;
    const source = uniqueSchema('weft_files');
    const text = engine.name === 'bigquery' ? 'STRING' : 'VARCHAR';
    let dir: string;
    let warehouse: Warehouse;
    const request = (
      patterns: string[],
      table: string,
      extra: Partial<FileLoadRequest> = {},
    ): FileLoadRequest => ({
      patterns,
      into: `${source}.${table}`,
      mode: 'replace',
      format: 'auto',
      maxRejects: 0,
      ...extra,
    });
    const rel = (table: string) => d.qualify({ schema: source, name: table });

    beforeAll(async () => {
      dir = tempProject({
        'data/exact.csv': EXACT_CSV,
        'data/people.tsv': 'id\tname\n1\tAnn\n2\tBo\n',
        'data/people.ndjson':
          '{"id": 1, "name": "Ann", "score": 1.25}\n{"id": 2, "name": "Bo", "score": 2.5}\n',
        'data/bad.csv': 'id,name\n1,Ann\n2,Bo,extra\n3,Cy\n',
        'data/bad-type.csv': 'id,name\n1,Ann\nabc,Bo\n3,Cy\n',
        'data/late.csv': lateCsv(),
        'data/v2.csv': 'id,name\n7,Gil\n',
        'data/upsert.csv': 'id,name\n7,Gilbert\n1,New\n',
      });
      await writeParquet(dir);
      warehouse = await engine.open(config, { projectDir: dir });
    }, 60_000);
    afterAll(async () => {
      await warehouse
        ?.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdent(source)} CASCADE`)
        .catch(() => undefined);
      await warehouse?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loads decimals, big integers, dates and microsecond timestamps exactly', async () => {
      const summary = await loadFiles(projectAt(dir), warehouse, request(['data/exact.csv'], 'exact'));
      expect(summary.rows_loaded).toBe(3);
      expect(summary.inputs).toEqual(['data/exact.csv']);
      const rows = await warehouse.query(
        `SELECT CAST(amount AS ${text}) AS amount, CAST(big AS ${text}) AS big, CAST(ts AS ${text}) AS ts, CAST(day AS ${text}) AS day, name FROM ${rel('exact')} ORDER BY id`,
      );
      expect(rows.map((r) => decimalText(r.amount ?? r.AMOUNT))).toEqual([
        '19.99',
        '987654321098765.43',
        '0.1',
      ]);
      expect(rows.map((r) => String(r.big ?? r.BIG))).toEqual(['9007199254740993', '-9007199254740993', '1']);
      const ts = rows.map((r) =>
        String(r.ts ?? r.TS)
          .replace('T', ' ')
          .slice(0, 26),
      );
      expect(ts[0]).toBe('2024-01-02 03:04:05.123456');
      expect(ts[1]).toBe('2024-12-31 23:59:59.000001');
      expect(rows.map((r) => String(r.day ?? r.DAY).slice(0, 10))).toEqual([
        '2024-02-29',
        '1999-12-31',
        '2000-01-01',
      ]);
      expect(rows.map((r) => ('name' in r ? r.name : r.NAME))).toEqual(['Ann', 'Bo, Jr.', null]);
    });

    it('loads hive-partitioned Parquet with its decimals exact', async () => {
      const summary = await loadFiles(
        projectAt(dir),
        warehouse,
        request(['pq/*/*.parquet'], 'pq', { hivePartitioning: true }),
      );
      expect(summary.inputs).toEqual(['pq/region=eu/part.parquet', 'pq/region=us/part.parquet']);
      const rows = await warehouse.query(
        `SELECT id, CAST(amount AS ${text}) AS amount, region FROM ${rel('pq')} ORDER BY id`,
      );
      expect(
        rows.map((r) => [Number(r.id ?? r.ID), decimalText(r.amount ?? r.AMOUNT), r.region ?? r.REGION]),
      ).toEqual([
        [1, '987654321098765.43', 'eu'],
        [2, '0.07', 'us'],
      ]);
    });

    it('loads TSV and NDJSON', async () => {
      await loadFiles(projectAt(dir), warehouse, request(['data/people.tsv'], 'tsv'));
      await loadFiles(projectAt(dir), warehouse, request(['data/people.ndjson'], 'nd'));
      const tsv = await warehouse.query(`SELECT id, name FROM ${rel('tsv')} ORDER BY id`);
      expect(tsv.map((r) => [Number(r.id ?? r.ID), r.name ?? r.NAME])).toEqual([
        [1, 'Ann'],
        [2, 'Bo'],
      ]);
      const nd = await warehouse.query(
        `SELECT name, CAST(score AS ${text}) AS score FROM ${rel('nd')} ORDER BY id`,
      );
      expect(nd.map((r) => [r.name ?? r.NAME, decimalText(r.score ?? r.SCORE)])).toEqual([
        ['Ann', '1.25'],
        ['Bo', '2.5'],
      ]);
    });

    it('a bad line fails the replace naming file:line, leaving the table as it was; --max-rejects skips it', async () => {
      await loadFiles(projectAt(dir), warehouse, request(['data/v2.csv'], 'people'));
      await expect(loadFiles(projectAt(dir), warehouse, request(['data/bad.csv'], 'people'))).rejects.toThrow(
        /data\/bad\.csv:3: wrong number of fields/,
      );
      const kept = await warehouse.query(`SELECT id FROM ${rel('people')}`);
      expect(kept.map((r) => Number(r.id ?? r.ID))).toEqual([7]);
      const summary = await loadFiles(
        projectAt(dir),
        warehouse,
        request(['data/bad.csv'], 'people', { maxRejects: 1 }),
      );
      expect(summary.rows_loaded).toBe(2);
      expect(summary.rows_read).toBe(3);
      expect(summary.rejected).toEqual([
        expect.objectContaining({
          file: 'data/bad.csv',
          line: 3,
          reason: expect.stringMatching(/wrong number of fields/),
        }),
      ]);
    });

    it('refuses a value breaking a --types type or the type sniffed from earlier lines, by file:line:column', async () => {
      await expect(
        loadFiles(
          projectAt(dir),
          warehouse,
          request(['data/bad-type.csv'], 'typed', { types: { id: 'INTEGER' } }),
        ),
      ).rejects.toThrow(/data\/bad-type\.csv:3 \(column id\): .*abc/);
      await expect(loadFiles(projectAt(dir), warehouse, request(['data/late.csv'], 'typed'))).rejects.toThrow(
        /2 bad lines[\s\S]*late\.csv:30002 \(column id\)[\s\S]*late\.csv:30003 \(column amount\)/,
      );
      const catalog =
        engine.name === 'bigquery'
          ? `${d.quoteIdent(source)}.INFORMATION_SCHEMA.TABLES`
          : `information_schema.tables WHERE lower(table_schema) = ${d.literal(source)}`;
      const tables = await warehouse.query(`SELECT table_name FROM ${catalog}`);
      expect(
        tables
          .map((t) => String(t.table_name ?? t.TABLE_NAME).toLowerCase())
          .filter((t) => t.startsWith('typed')),
      ).toEqual([]);
    });

    it('append adds rows and upsert merges by key', async () => {
      await loadFiles(projectAt(dir), warehouse, request(['data/people.tsv'], 'modes'));
      await loadFiles(projectAt(dir), warehouse, request(['data/v2.csv'], 'modes', { mode: 'append' }));
      const rows = await warehouse.query(`SELECT id, name FROM ${rel('modes')} ORDER BY id`);
      expect(rows.map((r) => [Number(r.id ?? r.ID), r.name ?? r.NAME])).toEqual([
        [1, 'Ann'],
        [2, 'Bo'],
        [7, 'Gil'],
      ]);
      await loadFiles(projectAt(dir), warehouse, request(['data/v2.csv'], 'modes_u'));
      await loadFiles(
        projectAt(dir),
        warehouse,
        request(['data/upsert.csv'], 'modes_u', { mode: 'upsert', key: ['id'] }),
      );
      const merged = await warehouse.query(`SELECT id, name FROM ${rel('modes_u')} ORDER BY id`);
      expect(merged.map((r) => [Number(r.id ?? r.ID), r.name ?? r.NAME])).toEqual([
        [1, 'New'],
        [7, 'Gilbert'],
      ]);
    });
  });
}
