/**
 * Issue 13's acceptance, as a new user walks it with the compiled CLI and nothing else: `weft
 * init`, three CSV exports and a Parquet file of their own, `weft load` into declared sources,
 * identity, profiles, an audience and a sync to the sandbox webhook written as docs/your-data.md
 * shows, then build, plan and sync. On DuckDB (the default) and on Postgres (its own database).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { postgresTestConfig } from '../support/live-engines.js';
import { repoRoot, runWeft } from './run-weft.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

/** The user's exports: one person appears in the shop, the CRM and the web events. */
const CUSTOMERS_CSV = `customer_id,email,first_name,last_name,updated_at
c1, Ada@Lovelace.dev ,Ada,Lovelace,2025-05-01 10:00:00
c2,grace@hopper.dev,Grace,Hopper,2025-05-02 11:00:00
c3,linus@torvalds.dev,Linus,Torvalds,2025-05-03 12:00:00
`;
const ORDERS_CSV = `order_id,customer_id,amount,ordered_at
o1,c1,120.50,2025-05-10 09:00:00
o2,c1,80.25,2025-05-11 09:00:00
o3,c2,15.00,2025-05-12 09:00:00
o4,c3,999.99,2025-05-13 09:00:00
`;
const CONTACTS_CSV = `contact_id;email;phone;updated_at
k1;ada@lovelace.dev;(415) 742-3091;2025-04-01 08:00:00
k2;margaret@hamilton.dev;+1 617 253 1000;2025-04-02 08:00:00
`;

const FILES: Record<string, string> = {
  'models/sources.yml': `sources:
  shop:
    schema: raw
    tables: [customers, orders]
  crm:
    schema: raw
    tables: [contacts]
  web:
    schema: raw
    tables: [events]
`,
  'models/identity.yml': `identity:
  id_types:
    customer_id: { max_per_profile: 1 }
    email: { normalize: email, max_per_profile: 3 }
    phone: { normalize: phone, default_country_code: "1" }
    anonymous_id: {}
  sources:
    - from: shop.customers
      ids: { customer_id: customer_id, email: email }
      timestamp: updated_at
    - from: crm.contacts
      ids: { email: email, phone: phone }
      timestamp: updated_at
    - from: web.events
      ids: { anonymous_id: anonymous_id, customer_id: customer_id }
      timestamp: ts
    - from: shop.orders
      ids: { customer_id: customer_id }
      timestamp: ordered_at
`,
  'models/profiles.yml': `profiles:
  traits:
    email: { from: [shop.customers, crm.contacts], column: email, pick: source_priority, order_by: updated_at }
    first_name: { from: shop.customers, column: first_name, pick: most_recent, order_by: updated_at }
    lifetime_value: { from: shop.orders, expr: "sum(amount)" }
    page_views: { from: web.events, expr: "count(*)" }
`,
  'models/audiences/big_spenders.yml': `name: big_spenders
where:
  all:
    - { trait: lifetime_value, op: gte, value: 100 }
columns: [email, first_name, lifetime_value]
`,
  'syncs/big_spenders_webhook.yml': `name: big_spenders_webhook
from: audience.big_spenders
connection: sandbox_webhook
mode: upsert
key: profile_id
mappings:
  email: "{{lower (trim email)}}"
  first_name: first_name
  lifetime_value: lifetime_value
`,
};

async function startSandbox(): Promise<{ child: ChildProcess; url: string; secret: string }> {
  const child = spawn(process.execPath, [cli, 'sandbox', '--json', '--only', 'webhook', '--port-base', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  // The sandbox prints the settings a connection needs, the signing secret among them.
  const line = JSON.parse(first) as { url: string; settings: { secret: string } };
  return { child, url: line.url, secret: line.settings.secret };
}

/** Creates the user's project and their export files; returns the project dir. */
async function newUserProject(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-walk-'));
  const dir = path.join(root, 'shopco');
  const init = await runWeft(['init', dir]);
  expect(init.code, init.stderr).toBe(0);
  // The user's exports replace the scaffold's example data and its staging models.
  fs.rmSync(path.join(dir, 'data'), { recursive: true });
  fs.rmSync(path.join(dir, 'models/staging'), { recursive: true });
  const exports = path.join(dir, 'exports');
  fs.mkdirSync(exports);
  fs.writeFileSync(path.join(exports, 'customers.csv'), CUSTOMERS_CSV);
  fs.writeFileSync(path.join(exports, 'orders.csv'), ORDERS_CSV);
  fs.writeFileSync(path.join(exports, 'contacts.csv'), CONTACTS_CSV);
  // The web analytics export is Parquet (written here with DuckDB, as the user's tool would).
  const duck = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
  const parquet = path.join(exports, 'events.parquet').replaceAll("'", "''");
  await duck.execute(
    `COPY (SELECT * FROM (VALUES ('a1', NULL, 'https://shop.example/pricing', TIMESTAMP '2025-05-20 10:00:00'),
       ('a1', 'c1', 'https://shop.example/checkout', TIMESTAMP '2025-05-20 10:05:00'),
       ('a2', NULL, 'https://shop.example/', TIMESTAMP '2025-05-21 10:00:00')) AS t(anonymous_id, customer_id, url, ts))
     TO '${parquet}' (FORMAT parquet)`,
  );
  await duck.close();
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  // The scaffold already declares the sandbox webhook (WEFT_SANDBOX_WEBHOOK_URL, WEFT_WEBHOOK_SECRET).
  expect(fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8')).toContain('sandbox_webhook:');
  return dir;
}

function walk(engine: string, env: () => Record<string, string>) {
  describe(`a new user's own data on ${engine}`, () => {
    let dir: string;
    let sandbox: { child: ChildProcess; url: string; secret: string };
    const weft = (args: string[]) =>
      runWeft([...args, '--project', dir], {
        cwd: os.tmpdir(),
        env: { ...env(), WEFT_SANDBOX_WEBHOOK_URL: sandbox.url, WEFT_WEBHOOK_SECRET: sandbox.secret },
      });

    beforeAll(async () => {
      dir = await newUserProject();
      sandbox = await startSandbox();
    }, 60_000);
    afterAll(() => {
      sandbox?.child.kill('SIGTERM');
      if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    it('loads three CSVs and a Parquet file, builds, plans and syncs to the sandbox', async () => {
      for (const [file, into] of [
        ['exports/customers.csv', 'shop.customers'],
        ['exports/orders.csv', 'shop.orders'],
        ['exports/contacts.csv', 'crm.contacts'],
        ['exports/events.parquet', 'web.events'],
      ] as const) {
        const load = await weft(['load', file, '--into', into, '--json']);
        expect(load.code, `${file}: ${load.stderr}`).toBe(0);
        const summary = JSON.parse(load.stdout.trim().split('\n').at(-1) ?? '{}');
        expect(summary).toMatchObject({ into, rejected_count: 0 });
        expect(summary.rows_loaded).toBeGreaterThan(0);
      }

      const validate = await weft(['validate']);
      expect(validate.code, validate.stderr + validate.stdout).toBe(0);
      const build = await weft(['build', '--json']);
      expect(build.code, build.stderr + build.stdout).toBe(0);

      const plan = await weft(['plan', '--json']);
      expect(plan.code, plan.stderr).toBe(0);
      // Ada (120.50 + 80.25, known to the shop, the CRM and the web) and Linus (999.99).
      expect(JSON.parse(plan.stdout.trim())).toMatchObject({ sync: 'big_spenders_webhook', added: 2 });

      const sync = await weft(['sync', '--all', '--json']);
      expect(sync.code, sync.stderr).toBe(0);
      expect(JSON.parse(sync.stdout.trim())).toMatchObject({ status: 'success', succeeded: 2, rejected: 0 });

      type Held = Record<
        string,
        Record<string, { email: string; first_name: string; lifetime_value: unknown }>
      >;
      const { state } = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as {
        state: { records: Held };
      };
      const received = Object.values(state.records.big_spenders_webhook ?? {});
      expect(received.map((r) => r.email).sort()).toEqual(['ada@lovelace.dev', 'linus@torvalds.dev']);
      const ada = received.find((r) => r.email === 'ada@lovelace.dev');
      expect(ada?.first_name).toBe('Ada');
      expect(Number(ada?.lifetime_value)).toBeCloseTo(200.75, 10);

      // Ada is one profile across the shop, the CRM (her phone) and the web (her cookie).
      const profile = await weft(['profile', 'email: ADA@Lovelace.dev ', '--json']);
      expect(profile.code, profile.stderr).toBe(0);
      const shown = JSON.stringify(JSON.parse(profile.stdout));
      expect(shown).toContain('+14157423091');
      expect(shown).toContain('a1');
    }, 240_000);
  });
}

walk('DuckDB', () => ({ WEFT_WAREHOUSE_URL: '' }));

const pg = postgresTestConfig();
if (pg) {
  const database = `weft_walk_${randomBytes(4).toString('hex')}`;
  let admin: Warehouse | undefined;
  let url = '';
  beforeAll(async () => {
    admin = await openWarehouse(pg, { projectDir: process.cwd() });
    await admin.execute(`CREATE DATABASE ${admin.dialect.quoteIdent(database)}`);
    const server = new URL(pg.url ?? '');
    server.pathname = `/${database}`;
    url = server.toString();
  });
  afterAll(async () => {
    await admin?.execute(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(database)} WITH (FORCE)`);
    await admin?.close();
  });
  walk('Postgres', () => ({ WEFT_WAREHOUSE_URL: url }));
}
