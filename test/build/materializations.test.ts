import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import type { BuildEvent } from '../../src/build/types.js';
import { buildTestProject, customerValue } from './build-project.js';
import { contents, kindOf, openSeededWarehouse, relationsIn, type TestWarehouse } from './duckdb-fixture.js';

let db: TestWarehouse;
beforeEach(async () => {
  db = await openSeededWarehouse();
});
afterEach(async () => {
  await db.dispose();
});

describe('materializations on DuckDB', () => {
  it('builds views, incremental tables and tables in DAG order', async () => {
    const events: BuildEvent[] = [];
    const result = await buildProject(buildTestProject(), db.warehouse, { onEvent: (e) => events.push(e) });
    expect(result.status).toBe('success');
    expect(result.models.map((m) => [m.name, m.status, m.rows_written, m.rows_total])).toEqual([
      ['stg_customers', 'success', null, 3],
      ['stg_orders', 'success', 4, 4],
      ['customer_value', 'success', 3, 3],
    ]);
    expect(events.map((e) => `${e.type}:${e.name}`)).toEqual([
      'model_start:stg_customers',
      'model_done:stg_customers',
      'model_start:stg_orders',
      'model_done:stg_orders',
      'model_start:customer_value',
      'model_done:customer_value',
    ]);
    expect(await kindOf(db.warehouse, 'weft', 'stg_customers')).toBe('view');
    expect(await kindOf(db.warehouse, 'weft', 'stg_orders')).toBe('table');
    expect(await kindOf(db.warehouse, 'marts', 'customer_value')).toBe('table');
    expect(await contents(db.warehouse, 'marts.customer_value')).toEqual([
      { customer_id: 1, email: 'ann@acme-shop.io', lifetime_value: 50 },
      { customer_id: 2, email: 'bob@acme-shop.io', lifetime_value: 5 },
      { customer_id: 3, email: 'cy@acme-shop.io', lifetime_value: 100 },
    ]);
    expect(await relationsIn(db.warehouse, 'weft')).toEqual(['stg_customers', 'stg_orders']);
    expect(await relationsIn(db.warehouse, 'marts')).toEqual(['customer_value']);
  });

  it('is idempotent: a second build leaves the same relations and contents and writes no incremental rows', async () => {
    const project = buildTestProject();
    await buildProject(project, db.warehouse);
    const first = {
      value: await contents(db.warehouse, 'marts.customer_value'),
      orders: await contents(db.warehouse, 'weft.stg_orders'),
      weft: await relationsIn(db.warehouse, 'weft'),
      marts: await relationsIn(db.warehouse, 'marts'),
    };
    const again = await buildProject(project, db.warehouse);
    expect(again.status).toBe('success');
    expect(again.models.find((m) => m.name === 'stg_orders')).toMatchObject({
      rows_written: 0,
      rows_total: 4,
    });
    expect({
      value: await contents(db.warehouse, 'marts.customer_value'),
      orders: await contents(db.warehouse, 'weft.stg_orders'),
      weft: await relationsIn(db.warehouse, 'weft'),
      marts: await relationsIn(db.warehouse, 'marts'),
    }).toEqual(first);
  });

  it('switches a table to a view and back', async () => {
    await buildProject(buildTestProject(), db.warehouse);
    const asView = buildTestProject({ customer_value: { ...customerValue, materialized: 'view' } });
    expect((await buildProject(asView, db.warehouse)).status).toBe('success');
    expect(await kindOf(db.warehouse, 'marts', 'customer_value')).toBe('view');
    expect((await buildProject(buildTestProject(), db.warehouse)).status).toBe('success');
    expect(await kindOf(db.warehouse, 'marts', 'customer_value')).toBe('table');
    expect(await contents(db.warehouse, 'marts.customer_value')).toHaveLength(3);
  });

  it('rebuilds a table that a view reads, including on --full-refresh', async () => {
    const project = buildTestProject({
      orders_table: { materialized: 'table', sql: "select * from {{source 'shop' 'orders'}}" },
      orders_view: { sql: "select order_id from {{ref 'orders_table'}}" },
    });
    for (const fullRefresh of [false, false, true]) {
      const result = await buildProject(project, db.warehouse, { fullRefresh });
      expect(result.models.map((m) => m.status)).toEqual(result.models.map(() => 'success'));
    }
    expect(await contents(db.warehouse, 'weft.orders_view')).toHaveLength(4);
  });

  it('renders vars overridden by build options', async () => {
    const project = buildTestProject({
      big_orders: { sql: "select * from {{ref 'stg_orders'}} where amount >= {{var 'min' 50}}" },
    });
    await buildProject(project, db.warehouse);
    expect(await contents(db.warehouse, 'weft.big_orders')).toHaveLength(1);
    await buildProject(project, db.warehouse, { vars: { min: 10 } });
    expect(await contents(db.warehouse, 'weft.big_orders')).toHaveLength(3);
  });
});
