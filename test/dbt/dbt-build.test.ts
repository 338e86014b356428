/**
 * `weft build --dbt` and a scheduled sync's `build: dbt`, with a fake `dbt` on PATH that records
 * how it was called and writes run_results.json: the invocation, and the test gate after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/project.js';
import { buildDbtModelsOfSync } from '../../src/dbt/run-dbt.js';
import { SyncUnavailableError } from '../../src/sync/resolve.js';
import { runWeft } from '../cli/run-weft.js';
import { queryProject } from '../sync/cli-project.js';
import { createDbtProject, createDbtRelations, DBT_FIXTURE } from './dbt-weft-project.js';
import { fakeDbtBin, fakeDbtCalls } from './fake-dbt.js';

const results = (variant: string) => path.join(DBT_FIXTURE, 'run_results', `${variant}.json`);

describe('dbt build before weft', () => {
  let dir = '';
  let bin = '';
  let env: Record<string, string> = {};
  beforeEach(async () => {
    dir = createDbtProject();
    bin = fakeDbtBin();
    env = {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      FAKE_DBT_LOG: path.join(bin, 'calls.jsonl'),
      FAKE_DBT_RESULTS: results('passing'),
      FAKE_DBT_EXIT: '0',
    };
    await createDbtRelations(dir);
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  });

  it('weft build --dbt runs dbt build for the models the project reads, with their parents, then builds', async () => {
    const run = await runWeft(['build', '--dbt'], { cwd: dir, env });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(fakeDbtCalls(env.FAKE_DBT_LOG!)).toEqual([
      {
        args: ['build', '--select', '+customers', '+orders', '+stg_customers'],
        cwd: fs.realpathSync(path.join(dir, 'dbt')),
      },
    ]);
    expect(run.stdout).toContain('dbt build --select +customers +orders +stg_customers');
    expect(run.stdout).toContain('  dbt | Running with dbt=1.8.7 (fake)');
    expect(await queryProject(dir, 'SELECT count(*)::INT AS n FROM weft.big_spenders')).toEqual([{ n: 2 }]);
  }, 60_000);

  it('a failed dbt build fails the command (exit 1), and its failed tests then hold the syncs', async () => {
    env.FAKE_DBT_RESULTS = results('failing');
    env.FAKE_DBT_EXIT = '1';
    const run = await runWeft(['build', '--dbt', '--json'], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(''); // --json, stderr not a terminal: the JSON below says it
    expect(JSON.parse(run.stdout.split('\n')[0]!)).toEqual({
      dbt: { args: ['build', '--select', '+customers', '+orders', '+stg_customers'], exit_code: 1 },
    });
    const sync = await runWeft(['sync', 'customers_hook'], { cwd: dir, env });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(
      '✗ customers_hook: not run: dbt tests failed in the latest dbt run (run_results.json): not_null_customers_email (customers, fail)',
    );
  }, 60_000);

  it('without dbt on PATH, --dbt is a clear error (exit 2) and nothing builds', async () => {
    const empty = fs.mkdtempSync(path.join(bin, 'empty-'));
    const run = await runWeft(['build', '--dbt'], { cwd: dir, env: { ...env, PATH: empty } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('✗ `dbt` is not on PATH: install dbt');
    expect(
      await queryProject(
        dir,
        "SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_name = 'big_spenders'",
      ),
    ).toEqual([{ n: 0 }]);
  }, 60_000);

  it("a sync's build: dbt builds only its own models; a failed dbt build fails that sync", async () => {
    const file = path.join(dir, 'syncs/customers_hook.yml');
    fs.appendFileSync(file, 'build: dbt\n');
    const project = await loadProjectOrThrow(dir);
    const sync = project.syncs.find((s) => s.value.name === 'customers_hook')!.value;
    const staged = project.syncs.find((s) => s.value.name === 'staged_hook')!.value;
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      await buildDbtModelsOfSync(project, sync);
      await buildDbtModelsOfSync(project, staged); // no build: dbt → no dbt call
      expect(fakeDbtCalls(env.FAKE_DBT_LOG!).map((c) => c.args)).toEqual([
        ['build', '--select', '+customers'],
      ]);
      process.env.FAKE_DBT_EXIT = '1';
      const failure = await buildDbtModelsOfSync(project, sync).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SyncUnavailableError);
      expect((failure as Error).message).toBe(
        'customers_hook: not run: `dbt build --select +customers` failed (exit 1)',
      );
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }, 60_000);
});
