/** A fresh DuckDB file per test with `raw.customers` and `raw.shop_orders` seeded. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row, Warehouse } from '../../src/warehouse/types.js';

/** An open warehouse and how to dispose of it. */
export interface TestWarehouse {
  warehouse: Warehouse;
  dispose: () => Promise<void>;
}

/** Opens a DuckDB file in a temp dir and loads 3 customers and 4 orders into `raw`. */
export async function openSeededWarehouse(): Promise<TestWarehouse> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-build-'));
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'test.duckdb') },
    { projectDir: dir },
  );
  await warehouse.execute('CREATE SCHEMA raw');
  await warehouse.execute(`CREATE TABLE raw.customers AS SELECT * FROM (VALUES
    (1, ' Ann@acme-shop.io', TIMESTAMP '2024-01-01'),
    (2, 'bob@acme-shop.io ', TIMESTAMP '2024-01-02'),
    (3, 'CY@acme-shop.io', TIMESTAMP '2024-01-03')) AS t(customer_id, email, created_at)`);
  await warehouse.execute(`CREATE TABLE raw.shop_orders AS SELECT * FROM (VALUES
    (10, 1, 20.0, TIMESTAMP '2024-02-01'),
    (11, 1, 30.0, TIMESTAMP '2024-02-02'),
    (12, 2, 5.0, TIMESTAMP '2024-02-03'),
    (13, 3, 100.0, TIMESTAMP '2024-02-04')) AS t(order_id, customer_id, amount, updated_at)`);
  return {
    warehouse,
    dispose: async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** All rows of a relation, ordered by every column, as plain JSON-able values. */
export async function contents(warehouse: Warehouse, relation: string): Promise<Row[]> {
  const rows = await warehouse.query(`SELECT * FROM ${relation} ORDER BY ALL`);
  return JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
}

/** `table`, `view` or undefined for a relation `schema.name`. */
export async function kindOf(
  warehouse: Warehouse,
  schema: string,
  name: string,
): Promise<string | undefined> {
  const rows = await warehouse.query<{ kind: string }>(warehouse.dialect.relationKindQuery({ schema, name }));
  return rows[0]?.kind;
}

/** Names of every relation in a schema (to check no scratch tables are left behind). */
export async function relationsIn(warehouse: Warehouse, schema: string): Promise<string[]> {
  const rows = await warehouse.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}
