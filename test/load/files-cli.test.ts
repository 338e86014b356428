/** `weft load FILE` through the compiled CLI, run from another working directory. */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runWeft, tempDir } from '../cli/run-weft.js';
import { postgresTestConfig, uniqueSchema } from '../support/live-engines.js';
import { writeFile } from './files-support.js';

let project: string;
let elsewhere: string;
const weft = (args: string[], env: Record<string, string> = {}) =>
  runWeft([...args, '--project', project], { cwd: elsewhere, env });

beforeAll(() => {
  project = tempDir('weft-load-cli-');
  elsewhere = tempDir('weft-load-cwd-');
  writeFile(project, 'weft.yml', 'name: t\nwarehouse:\n  type: duckdb\n  path: .weft/w.duckdb\n');
  writeFile(project, 'models/sources.yml', 'sources:\n  shop:\n    schema: raw\n    tables: [customers]\n');
  writeFile(project, 'data/a.csv', 'id,email\n1,a@x.io\n2,b@x.io\n');
  writeFile(project, 'data/bad.csv', 'id,email\n1,a@x.io\n2,b@x.io,extra\n3,c@x.io\n');
});
afterAll(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});

describe('weft load FILE', () => {
  it('--json prints one summary object; paths are relative to the project, not the working directory', async () => {
    const run = await weft(['load', 'data/a.csv', '--into', 'shop.customers', '--json']);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({
        into: 'shop.customers',
        relation: { schema: 'raw', name: 'customers' },
        inputs: ['data/a.csv'],
        rows_loaded: 2,
        rejected_count: 0,
      }),
    ]);
    expect(fs.existsSync(path.join(elsewhere, 'data'))).toBe(false);
  });

  it('prints the summary and a sources.yml hint for an undeclared source', async () => {
    const run = await weft(['load', 'data/a.csv', '--into', 'web.visitors']);
    expect(run.code).toBe(0);
    const text = run.stdout + run.stderr;
    expect(text).toContain('✓ 2 rows into web.visitors (replace)');
    expect(text).toContain("source 'web' is not declared in models/sources.yml");
    expect(text).toContain('    web:\n      schema: web\n      tables:\n        - visitors');
  });

  it('a bad line fails with exit 1 naming file:line; --max-rejects lists it and loads the rest', async () => {
    const failed = await weft(['load', 'data/bad.csv', '--into', 'shop.customers']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('data/bad.csv:3: wrong number of fields');
    const skipped = await weft(['load', 'data/bad.csv', '--into', 'shop.customers', '--max-rejects', '1']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout + skipped.stderr).toMatch(
      /✓ 2 rows into shop\.customers[\s\S]*1 rejected line:\s+data\/bad\.csv:3: wrong number of fields/,
    );
  });

  it('a missing file and a glob matching nothing fail with exit 1, naming them', async () => {
    const missing = await weft(['load', 'data/none.csv', '--into', 'shop.customers']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('data/none.csv: no such file');
    const glob = await weft(['load', 'data/*.parquet', '--into', 'shop.customers']);
    expect(glob.code).toBe(1);
    expect(glob.stderr).toContain("no file matches 'data/*.parquet'");
  });

  const postgres = postgresTestConfig();
  it.runIf(postgres)('loads into Postgres (WEFT_WAREHOUSE_URL) the same way', async () => {
    const source = uniqueSchema('weft_load_cli');
    const client = new pg.Client({ connectionString: postgres!.url as string });
    await client.connect();
    try {
      const run = await weft(['load', 'data/a.csv', '--into', `${source}.customers`, '--json'], {
        WEFT_WAREHOUSE_URL: postgres!.url as string,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const { rows } = await client.query(`SELECT id, email FROM ${source}.customers ORDER BY id`);
      expect(rows).toEqual([
        { id: '1', email: 'a@x.io' },
        { id: '2', email: 'b@x.io' },
      ]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${source} CASCADE`);
      await client.end();
    }
  });
});
