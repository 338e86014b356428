import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';

for (const { engine, config } of liveEngines()) {
  describe(`${engine.name} Warehouse.transaction`, () => {
    let warehouse: Warehouse;
    const schema = uniqueSchema('tx_test');
    const t = () => warehouse.dialect.qualify({ schema, name: 't' });
    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      await warehouse.execute(warehouse.dialect.createSchema(schema));
      await warehouse.execute(
        warehouse.dialect.createTable({ schema, name: 't' }, [{ name: 'id', type: 'integer' }], {
          replace: true,
        }),
      );
    });
    afterAll(async () => {
      await warehouse.execute(`DROP SCHEMA IF EXISTS ${warehouse.dialect.quoteIdent(schema)} CASCADE`);
      await warehouse.close();
    });
    const ids = async () => (await warehouse.query(`SELECT id FROM ${t()} ORDER BY id`)).map((r) => r.id);

    it('commits every statement of the body together', async () => {
      const value = await warehouse.transaction(async () => {
        await warehouse.execute(`INSERT INTO ${t()} VALUES (1)`);
        await warehouse.execute(`INSERT INTO ${t()} VALUES (2)`);
        return 'done';
      });
      expect(value).toBe('done');
      expect(await ids()).toEqual([1, 2]);
    });

    it('rolls back every statement when the body throws, and rethrows', async () => {
      await expect(
        warehouse.transaction(async () => {
          await warehouse.execute(`DELETE FROM ${t()}`);
          await warehouse.execute(`INSERT INTO ${t()} VALUES (3)`);
          await warehouse.execute(
            `SELECT * FROM ${warehouse.dialect.qualify({ schema, name: 'no_such_table' })}`,
          );
        }),
      ).rejects.toThrow(/no_such_table/);
      expect(await ids()).toEqual([1, 2]);
    });

    it('leaves the connection usable for the next transaction', async () => {
      await warehouse.transaction(async () => {
        await warehouse.execute(`INSERT INTO ${t()} VALUES (4)`);
      });
      expect(await ids()).toEqual([1, 2, 4]);
    });
  });
}
