/**
 * A weft project over the dbt fixture, as real CLI processes on a DuckDB file and the webhook
 * emulator: build, plan and sync from dbt models; a renamed model fails validate; failing dbt
 * tests hold exactly the syncs that read their models.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { queryProject, spawnWeft } from '../sync/cli-project.js';
import { createDbtProject, createDbtRelations, useRunResults } from './dbt-weft-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

describe('syncs from a dbt project (CLI)', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const held = (sync: string) => emulator.snapshot().state.records[sync] ?? {};

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
  });
  beforeEach(async () => {
    emulator.reset();
    dir = createDbtProject(emulator.settings);
    await createDbtRelations(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterAll(async () => {
    await emulator.close();
  });

  it('builds identity and profiles from dbt models, plans and syncs dbt.customers', async () => {
    const build = await weft(['build'], dir);
    expect(build.code, build.stderr + build.stdout).toBe(0);
    expect(await queryProject(dir, 'SELECT email, lifetime_value FROM weft.profiles ORDER BY email')).toEqual(
      [
        { email: 'ada@jaffle.shop', lifetime_value: 19.75 },
        { email: 'grace@jaffle.shop', lifetime_value: 30 },
        { email: 'linus@jaffle.shop', lifetime_value: null },
      ],
    );
    const plan = await weft(['plan', 'customers_hook', '--json'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(jsonLines(plan.stdout)[0]).toMatchObject({ sync: 'customers_hook', added: 3, changed: 0 });

    const sync = await weft(['sync', 'customers_hook', 'spenders_hook', '--json'], dir);
    expect(sync.code, sync.stderr).toBe(0);
    expect(jsonLines(sync.stdout).map((r) => [r.sync, r.status, r.added])).toEqual([
      ['customers_hook', 'success', 3],
      ['spenders_hook', 'success', 2],
    ]);
    expect(held('customers_hook')['ada@jaffle.shop']).toEqual({
      email: 'ada@jaffle.shop',
      first_name: 'Ada',
      lifetime_value: 19.75,
    });
    expect(Object.keys(held('spenders_hook')).sort()).toEqual(['ada@jaffle.shop', 'grace@jaffle.shop']);
  }, 60_000);

  it('a renamed dbt model fails weft validate naming the sync and the closest model', async () => {
    const file = path.join(dir, 'dbt/target/manifest.json');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      text.replaceAll('"customers"', '"dim_customers"').replaceAll('.customers"', '.dim_customers"'),
    );
    const validate = await weft(['validate'], dir);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(
      "syncs/customers_hook.yml:2:7  from: unknown dbt model 'customers': not in dbt/target/manifest.json (did you mean 'dbt.dim_customers'?)",
    );
  });

  it('failed dbt tests hold the syncs reading their models, directly or through weft; the others run', async () => {
    expect((await weft(['build'], dir)).code).toBe(0);
    useRunResults(dir, 'failing');
    const plan = await weft(['plan', 'customers_hook', 'staged_hook', '--json'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toBe(''); // --json, stderr not a terminal: dbt_tests_failed says it
    expect(jsonLines(plan.stdout).find((l) => l.sync === 'staged_hook')).not.toHaveProperty(
      'dbt_tests_failed',
    );
    expect(jsonLines(plan.stdout)[0].dbt_tests_failed).toEqual([
      {
        test: 'not_null_customers_email',
        model: 'customers',
        status: 'fail',
        message: 'Got 1 result, configured to fail if != 0',
      },
    ]);

    const sync = await weft(['sync', '--all', '--json'], dir);
    expect(sync.code).toBe(1);
    const byName = Object.fromEntries(jsonLines(sync.stdout).map((r) => [r.sync, r]));
    expect(byName.staged_hook).toMatchObject({ status: 'success', added: 3 });
    expect(byName.customers_hook.status).toBe('failed');
    expect(byName.customers_hook.error).toContain('not_null_customers_email (customers, fail)');
    // big_spenders (a weft model) reads {{source 'dbt' 'customers'}}.
    expect(byName.spenders_hook.error).toContain('not_null_customers_email (customers, fail)');
    // The audience is built on profiles, whose traits read dbt.customers and dbt.orders.
    expect(byName.high_value_hook.error).toContain(
      'not_null_customers_email (customers, fail), unique_orders_order_id (orders, error)',
    );
    expect(Object.keys(held('staged_hook'))).toHaveLength(3);
    expect(held('customers_hook')).toEqual({});

    useRunResults(dir, 'passing');
    const again = await weft(['sync', 'customers_hook', '--json'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(Object.keys(held('customers_hook'))).toHaveLength(3);
  }, 60_000);
});
