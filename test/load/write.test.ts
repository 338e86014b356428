/** writeRows on every live engine: replace swaps atomically, append adds, upsert merges by key. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError, writeRows } from '../../src/load/write.js';
import type { ColumnDef, Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';

const columns: ColumnDef[] = [
  { name: 'id', type: 'bigint' },
  { name: 'email', type: 'string' },
];

for (const { engine, config } of liveEngines()) {
  describe(`writeRows on ${engine.name}`, () => {
    const d = engine.dialect;
    const ref = { schema: uniqueSchema('weft_write'), name: 'customers' };
    let warehouse: Warehouse;
    let dir: string;
    const rows = async () =>
      (await warehouse.query(`SELECT id, email FROM ${d.qualify(ref)} ORDER BY id`)).map((r) => [
        Number(r.id),
        r.email,
      ]);

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-write-'));
      warehouse = await engine.open(config, { projectDir: dir });
    }, 60_000);
    afterAll(async () => {
      await warehouse
        ?.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdent(ref.schema)} CASCADE`)
        .catch(() => undefined);
      await warehouse?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('replace creates, then replaces the whole table', async () => {
      await writeRows(
        warehouse,
        ref,
        columns,
        [
          [1, 'a@x.io'],
          [2, 'b@x.io'],
        ],
        { mode: 'replace' },
      );
      expect(await rows()).toEqual([
        [1, 'a@x.io'],
        [2, 'b@x.io'],
      ]);
      await writeRows(warehouse, ref, columns, [[3, 'c@x.io']], { mode: 'replace' });
      expect(await rows()).toEqual([[3, 'c@x.io']]);
    });

    it('a replace that fails mid-stream leaves the table as it was and no scratch table behind', async () => {
      async function* failing() {
        yield [9, 'z@x.io'];
        throw new Error('the reader broke');
      }
      await expect(writeRows(warehouse, ref, columns, failing(), { mode: 'replace' })).rejects.toThrow(
        'the reader broke',
      );
      expect(await rows()).toEqual([[3, 'c@x.io']]);
      // BigQuery keeps the catalog per dataset; the others in one information_schema.
      const catalog =
        engine.name === 'bigquery'
          ? `${d.quoteIdent(ref.schema)}.INFORMATION_SCHEMA.TABLES`
          : `information_schema.tables WHERE lower(table_schema) = ${d.literal(ref.schema)}`;
      const tables = await warehouse.query(`SELECT table_name FROM ${catalog}`);
      expect(tables.map((t) => String(t.table_name ?? t.TABLE_NAME).toLowerCase())).toEqual(['customers']);
    });

    it('append adds rows', async () => {
      await writeRows(warehouse, ref, columns, [[4, 'd@x.io']], { mode: 'append' });
      expect(await rows()).toEqual([
        [3, 'c@x.io'],
        [4, 'd@x.io'],
      ]);
    });

    it('upsert replaces matching keys and adds the others', async () => {
      await writeRows(
        warehouse,
        ref,
        columns,
        [
          [4, 'D@x.io'],
          [5, 'e@x.io'],
        ],
        { mode: 'upsert', key: ['id'] },
      );
      expect(await rows()).toEqual([
        [3, 'c@x.io'],
        [4, 'D@x.io'],
        [5, 'e@x.io'],
      ]);
    });

    it('upsert refuses duplicate keys in the input and a missing key, changing nothing', async () => {
      await expect(
        writeRows(
          warehouse,
          ref,
          columns,
          [
            [6, 'f@x.io'],
            [6, 'g@x.io'],
          ],
          { mode: 'upsert', key: ['id'] },
        ),
      ).rejects.toThrow(/appear more than once/);
      await expect(writeRows(warehouse, ref, columns, [[7, 'h@x.io']], { mode: 'upsert' })).rejects.toThrow(
        LoadError,
      );
      expect(await rows()).toEqual([
        [3, 'c@x.io'],
        [4, 'D@x.io'],
        [5, 'e@x.io'],
      ]);
    });

    it('append names the columns the table lacks', async () => {
      await expect(
        writeRows(warehouse, ref, [...columns, { name: 'phone', type: 'string' }], [[8, 'i@x.io', '555']], {
          mode: 'append',
        }),
      ).rejects.toThrow(/has no column phone/);
    });
  });
}
