/** The dbt test gate's reading of run_results.json against the fixture's manifest. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDbtManifest } from '../../src/dbt/manifest.js';
import { failedTests, readRunResults } from '../../src/dbt/run-results.js';
import { DBT_FIXTURE } from './dbt-weft-project.js';

const manifestFile = path.join(DBT_FIXTURE, 'target/manifest.json');

/** A target folder holding the fixture's manifest and `results` as run_results.json. */
function targetWith(results: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dbt-target-'));
  fs.copyFileSync(manifestFile, path.join(dir, 'manifest.json'));
  fs.writeFileSync(path.join(dir, 'run_results.json'), JSON.stringify(results));
  return path.join(dir, 'manifest.json');
}

describe('dbt run_results.json', () => {
  it('lists failed and errored tests of the given models only', async () => {
    const manifest = await readDbtManifest(manifestFile);
    const file = targetWith(
      JSON.parse(fs.readFileSync(path.join(DBT_FIXTURE, 'run_results/failing.json'), 'utf8')),
    );
    const results = await readRunResults(file);
    expect(failedTests(manifest, results, ['customers', 'orders'])).toEqual([
      {
        test: 'not_null_customers_email',
        model: 'customers',
        status: 'fail',
        message: 'Got 1 result, configured to fail if != 0',
      },
      { test: 'unique_orders_order_id', model: 'orders', status: 'error', message: 'Database Error in test' },
    ]);
    expect(failedTests(manifest, results, ['stg_customers'])).toEqual([]);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it("a model's own errored build holds it; skipped and passing results do not; no file means no gate", async () => {
    const manifest = await readDbtManifest(manifestFile);
    const file = targetWith({
      results: [
        {
          unique_id: 'model.jaffle_shop.customers',
          status: 'error',
          message: 'Catalog Error: column x not found',
        },
        { unique_id: 'test.jaffle_shop.not_null_customers_email.1a2b3c4d5e', status: 'skipped' },
        { unique_id: 'model.jaffle_shop.orders', status: 'success' },
      ],
    });
    expect(failedTests(manifest, await readRunResults(file), ['customers', 'orders'])).toEqual([
      {
        test: 'model.jaffle_shop.customers',
        model: 'customers',
        status: 'error',
        message: 'Catalog Error: column x not found',
      },
    ]);
    fs.rmSync(path.join(path.dirname(file), 'run_results.json'));
    expect((await readRunResults(file)).size).toBe(0);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('reads the fixture manifest: relations (tests apart), tests with the nodes they check', async () => {
    const manifest = await readDbtManifest(manifestFile);
    expect(manifest.projectName).toBe('jaffle_shop');
    expect(manifest.hasCatalog).toBe(true);
    expect(manifest.relations.map((r) => `${r.resourceType}:${r.name}`)).toEqual([
      'model:customers',
      'model:orders',
      'seed:raw_customers',
      'seed:raw_orders',
      'model:stg_customers',
      'model:stg_orders',
    ]);
    expect(manifest.relations[0]!.columns).toEqual(['customer_id', 'email', 'first_name', 'lifetime_value']);
    expect(manifest.tests.find((t) => t.name === 'unique_orders_order_id')!.dependsOn).toEqual([
      'model.jaffle_shop.orders',
    ]);
  });
});
