/** File sources through the compiled CLI: `weft validate` names a pattern matching nothing; `weft build` reads the files. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import '../../src/warehouse/engines.js';
import { runWeft, tempDir } from '../cli/run-weft.js';
import { writeFile } from '../load/files-support.js';

let project: string;
const weft = (args: string[]) => runWeft([...args, '--project', project], { cwd: tempDir('weft-fs-cwd-') });

beforeAll(() => {
  project = tempDir('weft-fs-cli-');
  writeFile(project, 'weft.yml', 'name: t\nwarehouse:\n  type: duckdb\n  path: .weft/w.duckdb\n');
  writeFile(
    project,
    'models/sources.yml',
    `sources:
  shop:
    schema: raw
    tables:
      - name: customers
        files: exports/customers*.csv
      - name: notes
        files: exports/notes.csv
        format: csv
        materialized: true
`,
  );
  writeFile(project, 'models/customer_count.sql', "select count(*) as n from {{source 'shop' 'customers'}}");
  writeFile(project, 'exports/customers-1.csv', 'id,email\n1,a@x.io\n2,b@x.io\n');
  writeFile(project, 'exports/customers-2.csv', 'id,email\n3,c@x.io\n');
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('file sources from the CLI', () => {
  it('weft validate fails (exit 2) naming sources.yml:line and the pattern matching nothing', async () => {
    const run = await weft(['validate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/models\/sources\.yml:8:\d+ .*no file matches 'exports\/notes\.csv'/);
  });

  it('weft build reads the files from any working directory', async () => {
    writeFile(project, 'exports/notes.csv', 'id,note\n1,hello\n');
    const run = await weft(['build', '--json']);
    expect(run.stderr).not.toMatch(/error|✗/i);
    expect(run.code).toBe(0);
    const warehouse = await openWarehouse(
      { type: 'duckdb', path: '.weft/w.duckdb' },
      { projectDir: project },
    );
    try {
      expect(await warehouse.query('SELECT n FROM weft.customer_count')).toEqual([{ n: 3 }]);
      expect(await warehouse.query('SELECT id, note FROM raw.notes')).toEqual([{ id: 1, note: 'hello' }]);
    } finally {
      await warehouse.close();
    }
  });
});
