/** `weft load --from` through the compiled CLI: --json output, the cursor across runs, errors without the password. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeft } from '../cli/run-weft.js';
import { MARIADB_URL, mariadbAvailable, mariadbFixture, uniqueTable } from './database-support.js';

const describeMaria = describe.runIf(mariadbAvailable);

describeMaria('weft load --from (CLI)', () => {
  const table = uniqueTable('weft_cli_orders');
  let maria: Knex;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dbload-cli-'));
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      'name: dbloadcli\nwarehouse:\n  type: duckdb\n  path: .weft/warehouse.duckdb\n',
    );
    maria = mariadbFixture();
    await maria.raw(`CREATE TABLE ${table} (id INT PRIMARY KEY, total DECIMAL(12,2), updated_at DATETIME)`);
    await maria(table).insert([
      { id: 1, total: '10.10', updated_at: '2026-01-01 00:00:01' },
      { id: 2, total: '20.20', updated_at: '2026-01-01 00:00:02' },
    ]);
  }, 60_000);
  afterAll(async () => {
    await maria?.raw(`DROP TABLE IF EXISTS ${table}`);
    await maria?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const load = (...extra: string[]) =>
    runWeft(
      [
        'load',
        '--project',
        dir,
        '--json',
        '--table',
        table,
        '--into',
        'shop.orders',
        '--cursor',
        'updated_at',
        '--key',
        'id',
        ...extra,
      ],
      { cwd: os.tmpdir() },
    );

  it('loads, then reads only what is new, emitting one JSON summary per run', async () => {
    const first = await load('--from', MARIADB_URL);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      into: 'shop.orders',
      relation: { schema: 'shop', name: 'orders' },
      mode: 'upsert',
      inputs: [`${MARIADB_URL} table ${table}`],
      rows_read: 2,
      rows_loaded: 2,
      cursor: '2026-01-01 00:00:02',
    });
    await maria(table).insert({ id: 3, total: '30.30', updated_at: '2026-01-02 00:00:00' });
    const next = JSON.parse((await load('--from', MARIADB_URL)).stdout);
    expect(next).toMatchObject({ rows_read: 2, cursor: '2026-01-02 00:00:00' });
    const full = JSON.parse((await load('--from', MARIADB_URL, '--full')).stdout);
    // --full without an explicit --mode replaces the table: rows deleted at the source go too
    expect(full).toMatchObject({ mode: 'replace', rows_read: 3, cursor: '2026-01-02 00:00:00' });
  }, 120_000);

  it('a wrong password fails with exit 1, naming the masked URL, nowhere showing the password', async () => {
    const secret = 'Cli-pa55word';
    const run = await load('--from', MARIADB_URL.replace('://root@', `://root:${secret}@`));
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    // --json: no summary on failure, one JSON error object (the password masked there too).
    expect(JSON.parse(run.stdout)).toEqual({
      error: { message: expect.stringContaining('cannot connect to mysql://root:***@'), exit: 1 },
    });
    const { message } = JSON.parse(run.stdout).error;
    expect(message).toContain('cannot connect to mysql://root:***@127.0.0.1:3306/test');
    expect(message).toMatch(/Access denied/);
    // stderr is not a terminal here: with --json it stays silent.
    expect(run.stderr).toBe('');
  }, 60_000);
});
