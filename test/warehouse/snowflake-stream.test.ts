import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeEngine } from '../../src/warehouse/snowflake/index.js';
import type { Row, Warehouse } from '../../src/warehouse/types.js';
import { passwordConfig } from '../support/snowflake-emulator/config.js';
import { type SnowflakeEmulator, startSnowflakeEmulator } from '../support/snowflake-emulator/index.js';

// 100 rows inline, then chunks of 500: 5,000 rows need 10 chunk downloads.
const TOTAL = 5000;
const CHUNKS = Math.ceil((TOTAL - 100) / 500);

let emulator: SnowflakeEmulator;
let warehouse: Warehouse;

beforeAll(async () => {
  emulator = await startSnowflakeEmulator({ inlineRows: 100, chunkRows: 500 });
  warehouse = await snowflakeEngine.open(passwordConfig(emulator), { projectDir: process.cwd() });
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS "streams"');
  await warehouse.execute(
    `CREATE OR REPLACE TABLE "streams"."numbers" AS SELECT SEQ4() AS "n", 'row ' || SEQ4() AS "label" FROM TABLE(GENERATOR(ROWCOUNT => ${TOTAL}))`,
  );
});
afterAll(async () => {
  await warehouse?.close();
  await emulator?.close();
});

function chunkDownloads(): number {
  return emulator.requests.filter((request) => request.path.startsWith('/chunks/')).length;
}

describe('snowflake stream', () => {
  it('yields every row in batches of chunkRows, downloading result chunks as it goes', async () => {
    const before = chunkDownloads();
    const sizes: number[] = [];
    const seen: number[] = [];
    let downloadsAtFirstBatch = -1;
    for await (const rows of warehouse.stream('SELECT "n", "label" FROM "streams"."numbers" ORDER BY "n"', {
      chunkRows: 700,
    })) {
      if (downloadsAtFirstBatch < 0) downloadsAtFirstBatch = chunkDownloads() - before;
      sizes.push(rows.length);
      for (const row of rows as Row[]) seen.push(row.n as number);
    }
    expect(sizes).toEqual([700, 700, 700, 700, 700, 700, 700, 100]);
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, index) => index));
    expect(chunkDownloads() - before).toBe(CHUNKS);
    // The first batch arrived before most chunks were fetched: the result is not read whole.
    expect(downloadsAtFirstBatch).toBeLessThan(CHUNKS - 2);
  });

  it('an early break stops downloading chunks', async () => {
    const before = chunkDownloads();
    for await (const rows of warehouse.stream('SELECT "n" FROM "streams"."numbers" ORDER BY "n"', {
      chunkRows: 50,
    })) {
      expect(rows).toHaveLength(50);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chunkDownloads() - before).toBeLessThan(4);
    // The session is free for the next statement.
    expect(await warehouse.query('SELECT COUNT(*) AS "c" FROM "streams"."numbers"')).toEqual([{ c: TOTAL }]);
  });

  it('other statements can run while a stream is being read', async () => {
    let count = 0;
    for await (const rows of warehouse.stream('SELECT "n" FROM "streams"."numbers"', { chunkRows: 1000 })) {
      count += rows.length;
      await warehouse.execute(`CREATE OR REPLACE TABLE "streams"."progress" AS SELECT ${count} AS "done"`);
    }
    expect(count).toBe(TOTAL);
    expect(await warehouse.query('SELECT "done" FROM "streams"."progress"')).toEqual([{ done: TOTAL }]);
  });

  it('a failing query fails the stream with a WarehouseError carrying the SQL', async () => {
    const sql = 'SELECT * FROM "streams"."absent"';
    const consume = async () => {
      for await (const _rows of warehouse.stream(sql)) {
        // nothing
      }
    };
    await expect(consume()).rejects.toMatchObject({ name: 'WarehouseError', sql });
  });

  it('refuses a chunkRows that is not a positive integer', async () => {
    const consume = async () => {
      for await (const _rows of warehouse.stream('SELECT 1', { chunkRows: 0 })) {
        // nothing
      }
    };
    await expect(consume()).rejects.toThrow(RangeError);
  });
});
