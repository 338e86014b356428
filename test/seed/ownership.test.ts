/** `weft seed` never destroys user data: it replaces only tables it created, unless forced. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED_TABLES, SeedWouldReplaceError, seedDemoData } from '../../src/seed/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { runWeft } from '../cli/run-weft.js';

let dir: string;
let warehouse: Warehouse;

const customers = async () =>
  (await warehouse.query('SELECT count(*) AS n FROM raw.customers'))[0]?.n as number | bigint | undefined;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-seed-own-'));
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
});
afterEach(async () => {
  await warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('seedDemoData ownership', () => {
  it('refuses to replace a table the user loaded, naming it, and leaves it as it was', async () => {
    await warehouse.execute('CREATE SCHEMA raw');
    await warehouse.execute("CREATE TABLE raw.customers AS SELECT 'mine' AS customer_id FROM range(3)");
    const attempt = seedDemoData(warehouse, { people: 50 });
    await expect(attempt).rejects.toBeInstanceOf(SeedWouldReplaceError);
    await expect(seedDemoData(warehouse, { people: 50 })).rejects.toThrow(/raw\.customers.*--force/);
    expect(Number(await customers())).toBe(3);
    // Nothing else was written either.
    const truth = await warehouse.query(
      "SELECT * FROM information_schema.tables WHERE table_schema = 'truth'",
    );
    expect(truth).toEqual([]);
  });

  it('re-seeds over its own tables, and records them in the marker table', async () => {
    await seedDemoData(warehouse, { people: 50 });
    await seedDemoData(warehouse, { people: 60 });
    const marked = await warehouse.query(
      `SELECT table_name FROM ${SEEDED_TABLES.schema}.${SEEDED_TABLES.name} ORDER BY table_name`,
    );
    expect(marked.map((r) => r.table_name)).toContain('raw.customers');
    expect(marked.map((r) => r.table_name)).toContain('truth.row_person');
    expect(new Set(marked.map((r) => r.table_name)).size).toBe(marked.length);
    expect(Number(await customers())).toBeGreaterThan(3);
  });

  it('replaces the user table with force', async () => {
    await warehouse.execute('CREATE SCHEMA raw');
    await warehouse.execute("CREATE TABLE raw.customers AS SELECT 'mine' AS customer_id");
    await seedDemoData(warehouse, { people: 50, force: true });
    expect(Number(await customers())).toBeGreaterThan(1);
  });
});

describe('weft seed (CLI)', () => {
  it('exits 1 naming the user tables; --force replaces them', async () => {
    const project = path.join(dir, 'p');
    const init = await runWeft(['init', project]);
    expect(init.code).toBe(0);
    const file = path.join(project, '.weft', 'warehouse.duckdb');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const own = await openWarehouse({ type: 'duckdb', path: file }, { projectDir: project });
    await own.execute('CREATE SCHEMA raw');
    await own.execute("CREATE TABLE raw.orders AS SELECT 'mine' AS order_id");
    await own.close();

    const refused = await runWeft(['seed', '--people', '50', '--project', project]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/would replace a table it did not create: raw\.orders/);
    const forced = await runWeft(['seed', '--people', '50', '--force', '--project', project]);
    expect(forced.code, forced.stderr).toBe(0);
  });
});
