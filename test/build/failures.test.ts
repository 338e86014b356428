import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import { CompileError } from '../../src/compiler/errors.js';
import { buildTestProject, customerValue } from './build-project.js';
import { contents, kindOf, openSeededWarehouse, relationsIn, type TestWarehouse } from './duckdb-fixture.js';

let db: TestWarehouse;
beforeEach(async () => {
  db = await openSeededWarehouse();
});
afterEach(async () => {
  await db.dispose();
});

describe('a failing model', () => {
  it('reports its name, file and the warehouse error, skips its dependents, builds the rest', async () => {
    const project = buildTestProject({
      broken: { path: 'models/broken.sql', sql: "select no_such_column from {{ref 'stg_customers'}}" },
      child: { materialized: 'table', sql: "select * from {{ref 'broken'}}" },
      grandchild: { sql: "select * from {{ref 'child'}} join {{ref 'stg_orders'}} using (customer_id)" },
    });
    const result = await buildProject(project, db.warehouse);
    expect(result.status).toBe('failed');
    const byName = Object.fromEntries(result.models.map((m) => [m.name, m]));
    expect(byName.broken).toMatchObject({ status: 'error', path: 'models/broken.sql', rows_written: null });
    expect(byName.broken!.error).toMatch(/no_such_column/);
    for (const name of ['child', 'grandchild']) {
      expect(byName[name]).toMatchObject({
        status: 'skipped',
        skipped_because: 'depends on broken (models/broken.sql), which failed',
      });
    }
    for (const name of ['stg_customers', 'stg_orders', 'customer_value'])
      expect(byName[name]!.status).toBe('success');
    expect(await kindOf(db.warehouse, 'weft', 'child')).toBeUndefined();
  });

  it('keeps the old table when a rebuild fails, with no scratch tables left', async () => {
    await buildProject(buildTestProject(), db.warehouse);
    const before = await contents(db.warehouse, 'marts.customer_value');
    const broken = buildTestProject({
      customer_value: { ...customerValue, sql: `${customerValue.sql} having sum(o.no_such_column) > 0` },
    });
    const result = await buildProject(broken, db.warehouse);
    const failed = result.models.find((m) => m.name === 'customer_value')!;
    expect(failed.status).toBe('error');
    expect(failed.error).toMatch(/no_such_column/);
    expect(await contents(db.warehouse, 'marts.customer_value')).toEqual(before);
    expect(await relationsIn(db.warehouse, 'marts')).toEqual(['customer_value']);
  });

  it('keeps the old table when a view replacing it fails', async () => {
    await buildProject(buildTestProject(), db.warehouse);
    const broken = buildTestProject({
      customer_value: {
        ...customerValue,
        materialized: 'view',
        sql: 'select no_such_column from weft.stg_orders',
      },
    });
    expect((await buildProject(broken, db.warehouse)).status).toBe('failed');
    expect(await kindOf(db.warehouse, 'marts', 'customer_value')).toBe('table');
    expect(await relationsIn(db.warehouse, 'marts')).toEqual(['customer_value']);
  });

  it('throws a CompileError before running anything when models do not compile', async () => {
    const project = buildTestProject({ bad: { sql: "select * from {{ref 'stg_order'}}" } });
    await expect(buildProject(project, db.warehouse)).rejects.toThrow(CompileError);
    expect(await relationsIn(db.warehouse, 'weft')).toEqual([]);
  });
});

describe('--select', () => {
  it('builds only the selected subset, in DAG order', async () => {
    const project = buildTestProject();
    const result = await buildProject(project, db.warehouse, { select: 'stg_orders+' });
    expect(result.models.map((m) => m.name)).toEqual(['stg_orders', 'customer_value']);
    // customer_value reads stg_customers, which was not selected and does not exist yet.
    expect(result.models[1]).toMatchObject({ status: 'error' });
    expect(await kindOf(db.warehouse, 'weft', 'stg_customers')).toBeUndefined();

    const withParents = await buildProject(project, db.warehouse, { select: '+customer_value' });
    expect(withParents.models.map((m) => [m.name, m.status])).toEqual([
      ['stg_customers', 'success'],
      ['stg_orders', 'success'],
      ['customer_value', 'success'],
    ]);
    const single = await buildProject(project, db.warehouse, { select: 'stg_customers' });
    expect(single.models.map((m) => m.name)).toEqual(['stg_customers']);
  });

  it('rejects unknown model names', async () => {
    await expect(buildProject(buildTestProject(), db.warehouse, { select: 'stg_order' })).rejects.toThrow(
      "'stg_order' is not a model (did you mean 'stg_orders'?)",
    );
  });
});
