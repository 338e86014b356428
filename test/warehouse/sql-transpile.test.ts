/** The test-side transpiler behind the BigQuery/Snowflake proof: its parse checks and fix-ups. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { parseError, transpileToDuckDB } from '../support/sql-transpile.js';

let duck: Warehouse;
beforeAll(async () => {
  duck = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
});
afterAll(async () => {
  await duck.close();
});

/** Runs one transpiled SELECT on DuckDB and returns its first row. */
async function first(sql: string, from: 'bigquery' | 'snowflake') {
  const [statement] = transpileToDuckDB(sql, from);
  return (await duck.query(statement as string))[0];
}

describe('parsing with the real dialect parsers', () => {
  it('reports what the dialect parser refuses, with a position', () => {
    expect(parseError('SELECT FROM WHERE (', 'bigquery')).toMatch(/line 1, column/);
    expect(parseError('SELECT 1', 'snowflake')).toBeUndefined();
  });

  it('accepts CREATE … AS (SELECT) UNION ALL (SELECT), which polyglot alone refuses', async () => {
    const sql = 'CREATE OR REPLACE VIEW `main`.`u` AS\n(SELECT 1 AS x)\nUNION ALL\n(SELECT 2 AS x)';
    expect(parseError(sql, 'bigquery')).toBeUndefined();
    for (const statement of transpileToDuckDB(sql, 'bigquery')) await duck.execute(statement);
    expect(await duck.query('SELECT x FROM main.u ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('refuses to transpile what does not parse', () => {
    expect(() => transpileToDuckDB('SELECT (', 'snowflake')).toThrow(/snowflake parser refused the SQL/);
  });
});

describe('fix-ups where polyglot changes the meaning', () => {
  it('BigQuery REGEXP_REPLACE replaces every match, nested calls too', async () => {
    const row = await first(
      "SELECT REGEXP_REPLACE(REGEXP_REPLACE('a.b.c', r'\\.', '-'), 'b', 'B') AS v",
      'bigquery',
    );
    expect(row).toEqual({ v: 'a-B-c' });
  });

  it('BigQuery REGEXP_CONTAINS is a partial match', async () => {
    expect(await first("SELECT REGEXP_CONTAINS('xxabcxx', r'abc') AS v", 'bigquery')).toEqual({ v: true });
  });

  it('BigQuery NOT ENFORCED primary keys become plain tables', async () => {
    const [statement] = transpileToDuckDB(
      'CREATE TABLE IF NOT EXISTS `main`.`pk` (`a` STRING, PRIMARY KEY (`a`) NOT ENFORCED)',
      'bigquery',
    );
    await duck.execute(statement as string);
    expect(
      await duck.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'pk'"),
    ).toEqual([{ n: 1 }]);
  });

  it('Snowflake SHA2(…, 256), TO_NUMBER(hex, XX…) and TIMESTAMP_NTZ columns', async () => {
    expect(await first("SELECT SHA2('abc', 256) AS v", 'snowflake')).toEqual({
      v: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect(await first("SELECT TO_NUMBER(SUBSTR('ff00aa', 1, 4), 'XXXX') AS v", 'snowflake')).toEqual({
      v: 65280,
    });
    const [create] = transpileToDuckDB('CREATE TABLE "main"."ts" ("t" TIMESTAMP_NTZ)', 'snowflake');
    await duck.execute(create as string);
    expect(
      await duck.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'ts'`),
    ).toEqual([{ data_type: 'TIMESTAMP' }]);
  });
});

describe('BigQuery literals polyglot renders wrongly', () => {
  it('keeps a NUL escape and big NUMERIC / BIGNUMERIC literals', async () => {
    expect(await first("SELECT length('a\\x00b') AS n", 'bigquery')).toEqual({ n: 3 });
    expect(await first("SELECT NUMERIC '12345678901234567890' AS v", 'bigquery')).toEqual({
      v: 12345678901234567890n,
    });
    expect(await first("SELECT CAST(NUMERIC '-1.5' AS FLOAT64) AS v", 'bigquery')).toEqual({ v: -1.5 });
  });
});
