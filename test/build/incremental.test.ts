import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import { buildTestProject, stgOrders } from './build-project.js';
import { contents, openSeededWarehouse, relationsIn, type TestWarehouse } from './duckdb-fixture.js';

let db: TestWarehouse;
beforeEach(async () => {
  db = await openSeededWarehouse();
});
afterEach(async () => {
  await db.dispose();
});

const ordersResult = async (options: Parameters<typeof buildProject>[2] = {}, project = buildTestProject()) =>
  (await buildProject(project, db.warehouse, options)).models.find((m) => m.name === 'stg_orders')!;

describe('incremental models', () => {
  it('after new source rows, writes exactly those rows and ends equal to a full refresh', async () => {
    expect(await ordersResult()).toMatchObject({ status: 'success', rows_written: 4, rows_total: 4 });
    await db.warehouse.execute(`INSERT INTO raw.shop_orders VALUES
      (14, 2, 7.5, TIMESTAMP '2024-03-01'), (15, 3, 1.0, TIMESTAMP '2024-03-02'), (16, 1, 2.0, TIMESTAMP '2024-03-03')`);

    expect(await ordersResult()).toMatchObject({ status: 'success', rows_written: 3, rows_total: 7 });
    const incremental = await contents(db.warehouse, 'weft.stg_orders');
    const dependent = await contents(db.warehouse, 'marts.customer_value');

    expect(await ordersResult({ fullRefresh: true })).toMatchObject({ rows_written: 7, rows_total: 7 });
    expect(await contents(db.warehouse, 'weft.stg_orders')).toEqual(incremental);
    expect(await contents(db.warehouse, 'marts.customer_value')).toEqual(dependent);
    expect(await relationsIn(db.warehouse, 'weft')).toEqual(['stg_customers', 'stg_orders']);
  });

  it('replaces changed rows by unique_key instead of duplicating them', async () => {
    await ordersResult();
    await db.warehouse.execute(
      "UPDATE raw.shop_orders SET amount = 99.0, updated_at = TIMESTAMP '2024-04-01' WHERE order_id = 12",
    );
    expect(await ordersResult()).toMatchObject({ rows_written: 1, rows_total: 4 });
    const rows = await contents(db.warehouse, 'weft.stg_orders');
    expect(rows.filter((r) => r.order_id === 12)).toEqual([
      { order_id: 12, customer_id: 2, amount: 99, updated_at: expect.stringContaining('2024-04-01') },
    ]);
  });

  it('writes nothing when the incremental query returns rows already present', async () => {
    // Without an is_incremental filter every source row comes back each time; the set difference drops them.
    const unfiltered = buildTestProject({
      stg_orders: {
        ...stgOrders,
        sql: "select order_id, customer_id, amount from {{source 'shop' 'orders'}}",
      },
    });
    await ordersResult({}, unfiltered);
    expect(await ordersResult({}, unfiltered)).toMatchObject({ rows_written: 0, rows_total: 4 });
    await db.warehouse.execute("INSERT INTO raw.shop_orders VALUES (20, 1, 3.0, TIMESTAMP '2024-05-01')");
    expect(await ordersResult({}, unfiltered)).toMatchObject({ rows_written: 1, rows_total: 5 });
  });

  it('asks for --full-refresh when the columns changed, and rebuilds with it', async () => {
    await ordersResult();
    const widened = buildTestProject({
      stg_orders: {
        ...stgOrders,
        sql: "select order_id, customer_id, amount, updated_at, 'x' as note from {{source 'shop' 'orders'}}",
      },
    });
    const failed = await ordersResult({}, widened);
    expect(failed.status).toBe('error');
    expect(failed.error).toMatch(/columns of stg_orders changed.*note.*--full-refresh/);
    expect(await contents(db.warehouse, 'weft.stg_orders')).toHaveLength(4);
    expect(await relationsIn(db.warehouse, 'weft')).toEqual(['stg_customers', 'stg_orders']);

    expect(await ordersResult({ fullRefresh: true }, widened)).toMatchObject({
      status: 'success',
      rows_written: 4,
    });
    expect(Object.keys((await contents(db.warehouse, 'weft.stg_orders'))[0]!)).toContain('note');
  });
});
