/** End to end: seed a temp DuckDB file, check raw/truth contents, build the demo staging models. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import { loadProjectOrThrow } from '../../src/config/project.js';
import {
  type SeedProgress,
  type SeedSummary,
  SOURCE_TABLES,
  seedDemoData,
  sourceRows,
  tableName,
} from '../../src/seed/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { smallContext } from './helpers.js';

const PEOPLE = 2_000;
const repoRoot = path.resolve(import.meta.dirname, '../..');
let dir: string;
let warehouse: Warehouse;
let summary: SeedSummary;
const progress: SeedProgress[] = [];

const count = async (sql: string): Promise<number> => Number((await warehouse.query(sql))[0]?.n);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'weft-seed-'));
  warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'seed.duckdb') },
    { projectDir: dir },
  );
  // Several slices per table, so the append path is exercised as in a 1M-people seed.
  summary = await seedDemoData(warehouse, {
    people: PEOPLE,
    seed: 42,
    peoplePerLoad: 700,
    onProgress: (p) => progress.push(p),
  });
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('seedDemoData into DuckDB', () => {
  it('loads every raw table with exactly the generated rows', async () => {
    const ctx = smallContext(PEOPLE, 42);
    for (const table of SOURCE_TABLES) {
      const expected = [...sourceRows(ctx, table)].length;
      expect(await count(`select count(*) as n from ${tableName(table)}`)).toBe(expected);
      expect(summary.tables.find((t) => t.table === tableName(table))?.rows).toBe(expected);
    }
    expect(summary.totalRows).toBe(summary.tables.reduce((n, t) => n + t.rows, 0));
    expect(progress.some((p) => p.table === 'raw.events' && p.rows > 0)).toBe(true);
  });

  it('writes the ground truth: every person, and every raw row once', async () => {
    expect(await count('select count(*) as n from truth.people')).toBe(PEOPLE);
    const rawTotal = summary.tables.filter((t) => t.table.startsWith('raw.')).reduce((n, t) => n + t.rows, 0);
    expect(await count('select count(*) as n from truth.row_person')).toBe(rawTotal);
    expect(await count('select count(distinct source_table || row_key) as n from truth.row_person')).toBe(
      rawTotal,
    );
    for (const table of SOURCE_TABLES) {
      const unmatched = await count(`select count(*) as n from ${tableName(table)} r
        where not exists (select 1 from truth.row_person t
          where t.source_table = '${tableName(table)}' and t.row_key = cast(r.${table.keyColumn} as varchar))`);
      expect(unmatched).toBe(0);
    }
  });

  it('builds the demo staging models on the seeded data, incremental orders included', async () => {
    const project = await loadProjectOrThrow(repoRoot);
    const staging = project.models.filter((m) => m.path.startsWith('models/staging/')).map((m) => m.name);
    const first = await buildProject(project, warehouse, { select: staging.join(',') });
    expect(first.models.map((m) => [m.name, m.status, m.error])).toEqual(
      first.models.map((m) => [m.name, 'success', undefined]),
    );
    expect(first.models.map((m) => m.name).sort()).toEqual([
      'stg_app_events',
      'stg_crm_contacts',
      'stg_devices',
      'stg_newsletter_signups',
      'stg_shop_customers',
      'stg_shop_orders',
      'stg_support_tickets',
      'stg_web_events',
    ]);
    const schema = project.config.schema;
    expect(await count(`select count(*) as n from ${schema}.stg_shop_orders`)).toBe(
      await count('select count(*) as n from raw.orders'),
    );
    const dirtyEmails = await count(`select count(*) as n from ${schema}.stg_crm_contacts
      where email <> trim(email) or email like '%' || chr(9) || '%' or lower(email) in ('', 'null', 'none')`);
    expect(dirtyEmails).toBe(0);
    expect(
      await count(
        `select count(*) as n from ${schema}.stg_app_events where platform not in ('ios', 'android')`,
      ),
    ).toBe(0);

    await warehouse.execute(`insert into raw.orders values
      (1, '100001', 10.5, 'usd', 'PAID', timestamp '2030-01-01 00:00:00'),
      (2, null, 20.0, null, 'pending', timestamp '2030-01-02 00:00:00')`);
    const second = await buildProject(project, warehouse, { select: 'stg_shop_orders' });
    expect(second.models[0]?.status).toBe('success');
    expect(second.models[0]?.rows_written).toBe(2);
    const added = await warehouse.query(
      `select currency, status from ${schema}.stg_shop_orders where order_id < 3 order by order_id`,
    );
    expect(added).toEqual([
      { currency: 'USD', status: 'paid' },
      { currency: 'USD', status: 'pending' },
    ]);
  });
});
