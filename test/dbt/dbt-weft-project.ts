/**
 * A throwaway weft project reading the dbt fixture (test/fixtures/dbt, copied to `dbt/`):
 * identity and profiles from dbt models, a weft model over `{{source 'dbt' 'customers'}}`, an
 * audience, and webhook syncs reading dbt models directly and through weft's lineage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWarehouse } from '../../src/warehouse/registry.js';

/** The fixture dbt project. */
export const DBT_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/dbt');

const files: Record<string, string> = {
  'models/identity.yml': `identity:
  id_types:
    customer_id: {}
    email: { normalize: email }
  sources:
    - from: dbt.customers
      key: customer_id
      ids: { customer_id: customer_id, email: email }
    - from: dbt.orders
      key: order_id
      ids: { customer_id: customer_id }
`,
  'models/profiles.yml': `profiles:
  traits:
    email: { from: dbt.customers, column: email, pick: most_frequent }
    lifetime_value: { from: dbt.orders, expr: "sum(amount)" }
`,
  'models/big_spenders.sql': `select customer_id, email, lifetime_value
from {{source 'dbt' 'customers'}}
where lifetime_value > 15
`,
  'models/audiences/high_value.yml': `name: high_value
where:
  all:
    - { trait: lifetime_value, op: gte, value: 15 }
columns: [email, lifetime_value]
`,
  'syncs/customers_hook.yml': `name: customers_hook
from: dbt.customers
connection: hook
object: contacts
mode: upsert
key: email
mappings:
  email: email
  first_name: first_name
  lifetime_value: lifetime_value
`,
  'syncs/staged_hook.yml': `name: staged_hook
from: dbt.stg_customers
connection: hook
mode: upsert
key: customer_id
`,
  'syncs/spenders_hook.yml': `name: spenders_hook
from: big_spenders
connection: hook
mode: mirror
key: email
`,
  'syncs/high_value_hook.yml': `name: high_value_hook
from: audience.high_value
connection: hook
mode: upsert
key: profile_id
`,
};

/** Writes the project into a new temp dir; `settings` are the webhook connection's. */
export function createDbtProject(
  settings: Record<string, unknown> = { url: 'http://127.0.0.1:9/hook' },
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dbt-'));
  fs.cpSync(DBT_FIXTURE, path.join(dir, 'dbt'), { recursive: true });
  const connection = Object.entries(settings)
    .filter(([k]) => k !== 'type')
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  write(
    dir,
    'weft.yml',
    `name: dbtshop\nwarehouse:\n  type: duckdb\n  path: .weft/warehouse.duckdb\ndbt:\n  project_dir: dbt\nconnections:\n  hook:\n    type: webhook\n${connection}\n`,
  );
  for (const [file, text] of Object.entries(files)) write(dir, file, text);
  return dir;
}

/** Writes `text` to `file` in `dir` (folders created). */
export function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

/** Makes dbt's latest run the fixture's `passing` or `failing` run_results. */
export function useRunResults(dir: string, variant: 'passing' | 'failing'): void {
  fs.copyFileSync(
    path.join(DBT_FIXTURE, 'run_results', `${variant}.json`),
    path.join(dir, 'dbt/target/run_results.json'),
  );
}

/** Creates the relations dbt would have built (schemas analytics and analytics_staging). */
export async function createDbtRelations(dir: string): Promise<void> {
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: '.weft/warehouse.duckdb' },
    { projectDir: dir },
  );
  try {
    await warehouse.execute(`
      CREATE SCHEMA IF NOT EXISTS analytics; CREATE SCHEMA IF NOT EXISTS analytics_staging;
      CREATE OR REPLACE TABLE analytics.customers AS
        SELECT * FROM (VALUES (1, 'ada@jaffle.shop', 'Ada', 19.75), (2, 'grace@jaffle.shop', 'Grace', 30.0),
                              (3, 'linus@jaffle.shop', 'Linus', 0.0))
          AS t(customer_id, email, first_name, lifetime_value);
      CREATE OR REPLACE TABLE analytics.orders AS
        SELECT * FROM (VALUES (10, 1, 12.5), (11, 1, 7.25), (12, 2, 30.0)) AS t(order_id, customer_id, amount);
      CREATE OR REPLACE VIEW analytics_staging.stg_customers AS
        SELECT customer_id, email, first_name FROM analytics.customers;`);
  } finally {
    await warehouse.close();
  }
}
