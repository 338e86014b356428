import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { type ColumnDef, type Warehouse, WarehouseError } from '../../src/warehouse/types.js';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
});
afterEach(async () => {
  await warehouse.close();
});

const people = { schema: 'raw', name: 'people' };
const allTypes: ColumnDef[] = [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'integer' },
  { name: 'big', type: 'bigint' },
  { name: 'score', type: 'double' },
  { name: 'active', type: 'boolean' },
  { name: 'seen_at', type: 'timestamp' },
  { name: 'born_on', type: 'date' },
  { name: 'extra', type: 'json' },
];

describe('DuckDBWarehouse.load', () => {
  it('loads every logical type, including nulls and string dates, and reads them back', async () => {
    const rows: unknown[][] = [
      [
        'Ada',
        36,
        2n ** 62n,
        1.5,
        true,
        new Date('2024-01-02T03:04:05.678Z'),
        new Date('1815-12-10T00:00:00Z'),
        { tags: ['a'], n: 1 },
      ],
      ["O'Brien\n\\", -7, 12, -0.25, false, '2024-06-01 12:00:00', '2000-02-29', '[1, 2]'],
      [null, null, null, null, null, null, null, null],
      [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
    ];
    expect(await warehouse.load(people, allTypes, rows)).toBe(4);
    const described = await warehouse.query(warehouse.dialect.columnsQuery(people));
    expect(described.map((column) => column.type)).toEqual([
      'VARCHAR',
      'INTEGER',
      'BIGINT',
      'DOUBLE',
      'BOOLEAN',
      'TIMESTAMP',
      'DATE',
      'JSON',
    ]);
    const back = await warehouse.query('SELECT * FROM raw.people ORDER BY age NULLS LAST, name NULLS LAST');
    expect(back[0]).toEqual({
      name: "O'Brien\n\\",
      age: -7,
      big: 12,
      score: -0.25,
      active: false,
      seen_at: new Date('2024-06-01T12:00:00Z'),
      born_on: new Date('2000-02-29T00:00:00Z'),
      extra: [1, 2],
    });
    expect(back[1]).toEqual({
      name: 'Ada',
      age: 36,
      big: 2n ** 62n,
      score: 1.5,
      active: true,
      seen_at: new Date('2024-01-02T03:04:05.678Z'),
      born_on: new Date('1815-12-10T00:00:00Z'),
      extra: { tags: ['a'], n: 1 },
    });
    const nullRow = Object.fromEntries(allTypes.map((column) => [column.name, null]));
    expect(back.slice(2)).toEqual([nullRow, nullRow]);
  });

  it('replaces by default and appends when asked', async () => {
    const columns: ColumnDef[] = [{ name: 'id', type: 'integer' }];
    await warehouse.load(people, columns, [[1], [2]]);
    await warehouse.load(people, columns, [[3]]);
    expect(await warehouse.query('SELECT id FROM raw.people')).toEqual([{ id: 3 }]);
    await warehouse.load(people, columns, [[4], [5]], { mode: 'append' });
    expect(await warehouse.query('SELECT id FROM raw.people ORDER BY id')).toEqual([
      { id: 3 },
      { id: 4 },
      { id: 5 },
    ]);
    await warehouse.load({ schema: 'raw', name: 'fresh' }, columns, [[9]], { mode: 'append' }); // creates if missing
    expect(await warehouse.query('SELECT id FROM raw.fresh')).toEqual([{ id: 9 }]);
  });

  it('loads 50k rows from an async iterable', async () => {
    async function* generate() {
      for (let index = 0; index < 50_000; index++) {
        if (index % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
        yield [index, `user${index}@example.com`, new Date(Date.UTC(2024, 0, 1) + index * 60_000)];
      }
    }
    const columns: ColumnDef[] = [
      { name: 'id', type: 'bigint' },
      { name: 'email', type: 'string' },
      { name: 'created_at', type: 'timestamp' },
    ];
    expect(await warehouse.load(people, columns, generate())).toBe(50_000);
    const [stats] = await warehouse.query(
      'SELECT count(*) AS n, sum(id) AS total, count(DISTINCT email) AS emails, max(created_at) AS last FROM raw.people',
    );
    expect(stats).toEqual({
      n: 50_000,
      total: (49_999 * 50_000) / 2,
      emails: 50_000,
      last: new Date(Date.UTC(2024, 0, 1) + 49_999 * 60_000),
    });
  });

  it('names the row and column of a bad value and keeps the previous table', async () => {
    const columns: ColumnDef[] = [
      { name: 'id', type: 'integer' },
      { name: 'email', type: 'string' },
    ];
    await warehouse.load(people, columns, [[1, 'a@x.com']]);
    const rows = [
      [2, 'b@x.com'],
      ['three', 'c@x.com'],
    ];
    const error = await warehouse.load(people, columns, rows).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toBe(
      'Cannot load row 2 into "raw"."people": column "id" (integer) expected integer, got "three" (string)',
    );
    expect(await warehouse.query('SELECT id, email FROM raw.people')).toEqual([{ id: 1, email: 'a@x.com' }]);
  });

  it('refuses rows of the wrong width, out-of-range integers and invalid dates', async () => {
    const columns: ColumnDef[] = [
      { name: 'id', type: 'integer' },
      { name: 'at', type: 'date' },
    ];
    await expect(warehouse.load(people, columns, [[1]])).rejects.toThrow(
      /row 1 .*expected 2 values, got 1 values/,
    );
    await expect(warehouse.load(people, columns, [[2 ** 31, null]])).rejects.toThrow(
      /column "id" \(integer\)/,
    );
    await expect(warehouse.load(people, columns, [[1, 'not a date']])).rejects.toThrow(
      /column "at" \(date\)/,
    );
  });

  it('refuses to append rows whose columns differ from the existing table', async () => {
    await warehouse.load(
      people,
      [
        { name: 'id', type: 'integer' },
        { name: 'email', type: 'string' },
      ],
      [[1, 'a']],
    );
    const reordered: ColumnDef[] = [
      { name: 'email', type: 'string' },
      { name: 'id', type: 'integer' },
    ];
    await expect(warehouse.load(people, reordered, [['b', 2]], { mode: 'append' })).rejects.toThrow(
      /has columns \(id, email\) but the rows have \(email, id\)/,
    );
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.people')).toEqual([{ n: 1 }]);
  });

  it('loads zero rows into an empty table', async () => {
    expect(await warehouse.load(people, [{ name: 'id', type: 'integer' }], [])).toBe(0);
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.people')).toEqual([{ n: 0 }]);
  });
});
