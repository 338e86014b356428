import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SnowflakeWarehouse, snowflakeEngine } from '../../src/warehouse/snowflake/index.js';
import { type ColumnDef, type Warehouse, WarehouseError } from '../../src/warehouse/types.js';
import { passwordConfig } from '../support/snowflake-emulator/config.js';
import { type SnowflakeEmulator, startSnowflakeEmulator } from '../support/snowflake-emulator/index.js';

let emulator: SnowflakeEmulator;
let warehouse: Warehouse;

beforeAll(async () => {
  emulator = await startSnowflakeEmulator();
  warehouse = await snowflakeEngine.open(passwordConfig(emulator), { projectDir: process.cwd() });
});
afterAll(async () => {
  await warehouse?.close();
  await emulator?.close();
});

const columns: ColumnDef[] = [
  { name: 'id', type: 'integer' },
  { name: 'big', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
  { name: 'active', type: 'boolean' },
  { name: 'seen_at', type: 'timestamp' },
  { name: 'day', type: 'date' },
  { name: 'traits', type: 'json' },
];
const ref = { schema: 'raw', name: 'people' };

function sqlTexts(since: number): string[] {
  return emulator.requests.slice(since).flatMap((request) => (request.sqlText ? [request.sqlText] : []));
}

describe('snowflake load', () => {
  it('replace stages CSV files with PUT, loads them with COPY INTO and reads back the same values', async () => {
    const before = emulator.requests.length;
    const rows: unknown[][] = [
      [
        1,
        9007199254740993n,
        'comma, "quote"\nnewline',
        1.5,
        true,
        new Date('2024-01-02T03:04:05.678Z'),
        '2024-02-29',
        { a: [1, 'x'] },
      ],
      [2, 5, '', Number.NaN, false, '2024-01-02 03:04:05', new Date('2024-03-01T00:00:00Z'), '{"b":2}'],
      [3, null, null, null, null, null, null, null],
    ];
    expect(await warehouse.load(ref, columns, rows)).toBe(3);
    const sent = sqlTexts(before);
    expect(sent.some((sql) => /^PUT 'file:\/\/.*part-\*\.csv' @"raw"\.%"people"\/weft-/.test(sql))).toBe(
      true,
    );
    expect(sent.some((sql) => sql.startsWith('COPY INTO "raw"."people"'))).toBe(true);
    const back = await warehouse.query('SELECT * FROM "raw"."people" ORDER BY "id"');
    expect(back).toEqual([
      {
        id: 1,
        big: 9007199254740993n,
        name: 'comma, "quote"\nnewline',
        score: 1.5,
        active: true,
        seen_at: new Date('2024-01-02T03:04:05.678Z'),
        day: new Date('2024-02-29T00:00:00Z'),
        traits: '{"a":[1,"x"]}',
      },
      {
        id: 2,
        big: 5,
        name: '',
        score: Number.NaN,
        active: false,
        seen_at: new Date('2024-01-02T03:04:05Z'),
        day: new Date('2024-03-01T00:00:00Z'),
        traits: '{"b":2}',
      },
      { id: 3, big: null, name: null, score: null, active: null, seen_at: null, day: null, traits: null },
    ]);
  });

  it('loads many rows from several staged files, from an async iterable', async () => {
    (warehouse as SnowflakeWarehouse).loadFileBytes = 1; // a new file after every 1,000-line write
    async function* generate() {
      for (let id = 0; id < 2500; id++)
        yield [id, id * 2, `name ${id}`, id / 4, id % 2 === 0, null, null, null];
    }
    try {
      expect(await warehouse.load({ schema: 'raw', name: 'many' }, columns, generate())).toBe(2500);
    } finally {
      (warehouse as SnowflakeWarehouse).loadFileBytes = 64 * 1024 * 1024;
    }
    const [summary] = await warehouse.query(
      'SELECT COUNT(*) AS "rows", SUM("big") AS "total", COUNT(DISTINCT "name") AS "names" FROM "raw"."many"',
    );
    expect(summary).toEqual({ rows: 2500, total: 2499 * 2500, names: 2500 });
  });

  it('append keeps the rows, replace recreates the table', async () => {
    const table = { schema: 'raw', name: 'events' };
    const cols: ColumnDef[] = [
      { name: 'id', type: 'integer' },
      { name: 'kind', type: 'string' },
    ];
    await warehouse.load(table, cols, [[1, 'a']]);
    await warehouse.load(table, cols, [[2, 'b']], { mode: 'append' });
    expect(await warehouse.query('SELECT "id" FROM "raw"."events" ORDER BY "id"')).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    await warehouse.load(table, cols, [[3, 'c']], { mode: 'replace' });
    expect(await warehouse.query('SELECT "id" FROM "raw"."events"')).toEqual([{ id: 3 }]);
    const other: ColumnDef[] = [{ name: 'other', type: 'string' }];
    await expect(warehouse.load(table, other, [['x']], { mode: 'append' })).rejects.toThrow(
      /Cannot append to "raw"."events": it has columns \(id, kind\), the rows have \(other\)/i,
    );
  });

  it('a bad value fails with its row and column, before the table is touched', async () => {
    const table = { schema: 'raw', name: 'strict' };
    const cols: ColumnDef[] = [
      { name: 'id', type: 'integer' },
      { name: 'at', type: 'timestamp' },
    ];
    await warehouse.load(table, cols, [[1, null]]);
    const error = await warehouse
      .load(table, cols, [
        [2, '2024-01-01'],
        [3, 'not a date'],
      ])
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(
      /row 2 .*column "at" \(timestamp\) expected timestamp or date, got "not a date"/,
    );
    expect(await warehouse.query('SELECT "id" FROM "raw"."strict"')).toEqual([{ id: 1 }]);
    await expect(warehouse.load(table, cols, [[2 ** 40, null]])).rejects.toThrow(/column "id" \(integer\)/);
    await expect(warehouse.load(table, cols, [[1]])).rejects.toThrow(/row 1 .* has 1 values for 2 columns/);
  });

  it('an empty load creates the table and sends no PUT', async () => {
    const before = emulator.requests.length;
    expect(await warehouse.load({ schema: 'raw', name: 'empty' }, columns, [])).toBe(0);
    expect(sqlTexts(before).some((sql) => sql.startsWith('PUT'))).toBe(false);
    expect(await warehouse.query('SELECT COUNT(*) AS "c" FROM "raw"."empty"')).toEqual([{ c: 0 }]);
  });
});
