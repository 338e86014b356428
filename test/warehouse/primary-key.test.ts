import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredEngines } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveConfig, uniqueSchema } from '../support/live-engines.js';

for (const engine of registeredEngines()) {
  const dialect = engine.dialect;
  const ref = { schema: uniqueSchema('weft_pk'), name: 'leases' };
  const columns = [
    { name: 'sync', type: 'string' as const },
    { name: 'holder', type: 'string' as const },
  ];

  describe(`${engine.name} createTable primaryKey`, () => {
    it('names the key columns only when asked', () => {
      expect(dialect.createTable(ref, columns, { primaryKey: ['sync'] })).toMatch(/PRIMARY KEY/i);
      expect(dialect.createTable(ref, columns)).not.toMatch(/PRIMARY KEY/i);
    });

    const config = liveConfig(engine);
    if (!config) return;
    let warehouse: Warehouse;
    let projectDir: string;
    beforeAll(async () => {
      projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-pk-'));
      warehouse = await engine.open(config, { projectDir });
      await warehouse.execute(dialect.createSchema(ref.schema));
    });
    afterAll(async () => {
      await warehouse?.execute(`DROP SCHEMA IF EXISTS ${dialect.quoteIdent(ref.schema)} CASCADE`);
      await warehouse?.close();
      fs.rmSync(projectDir, { recursive: true, force: true });
    });

    it(
      dialect.enforcesPrimaryKeys
        ? 'rejects a second row with the same key'
        : 'declares the key without enforcing it, as the engine does',
      async () => {
        await warehouse.execute(dialect.createTable(ref, columns, { primaryKey: ['sync'] }));
        await warehouse.execute(`INSERT INTO ${dialect.qualify(ref)} VALUES ('a', 'x')`);
        const second = warehouse.execute(`INSERT INTO ${dialect.qualify(ref)} VALUES ('a', 'y')`);
        if (dialect.enforcesPrimaryKeys) await expect(second).rejects.toThrow();
        else await second;
        await warehouse.execute(`INSERT INTO ${dialect.qualify(ref)} VALUES ('b', 'y')`);
        expect(await warehouse.query(`SELECT count(*) AS n FROM ${dialect.qualify(ref)}`)).toEqual([
          { n: dialect.enforcesPrimaryKeys ? 2 : 3 },
        ]);
      },
    );
  });
}
