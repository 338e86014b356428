import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { type Row, type Warehouse, WarehouseError } from '../../src/warehouse/types.js';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
});
afterEach(async () => {
  await warehouse.close();
});

async function collect(chunks: AsyncIterable<Row[]>): Promise<Row[][]> {
  const all: Row[][] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe('DuckDBWarehouse.execute/query', () => {
  it('returns plain JS values for DuckDB types', async () => {
    const [row] = await warehouse.query(`SELECT
      42::INTEGER AS i, 9007199254740991::BIGINT AS safe, 9007199254740993::BIGINT AS unsafe,
      12::HUGEINT AS huge, 12.34::DECIMAL(10, 2) AS dec, 0.5::DOUBLE AS dbl, true AS b, 'x' AS s,
      TIMESTAMP '2024-01-02 03:04:05.678' AS ts, DATE '2024-01-02' AS d, NULL AS n,
      [1, 2, NULL] AS list, {'k': 5::BIGINT, 'v': 'w'} AS struct, '{"a": [1, {"b": null}]}'::JSON AS j`);
    expect(row).toEqual({
      i: 42,
      safe: 9007199254740991,
      unsafe: 9007199254740993n,
      huge: 12,
      dec: 12.34,
      dbl: 0.5,
      b: true,
      s: 'x',
      ts: new Date('2024-01-02T03:04:05.678Z'),
      d: new Date('2024-01-02T00:00:00Z'),
      n: null,
      list: [1, 2, null],
      struct: { k: 5, v: 'w' },
      j: { a: [1, { b: null }] },
    });
  });

  it('runs several statements in one execute and sees their effects', async () => {
    await warehouse.execute(
      'CREATE SCHEMA s; CREATE TABLE s.t (a INTEGER); INSERT INTO s.t VALUES (1), (2);',
    );
    expect(await warehouse.query('SELECT sum(a) AS total FROM s.t')).toEqual([{ total: 3 }]);
  });

  it('deduplicates repeated column names instead of dropping values', async () => {
    const [row] = await warehouse.query('SELECT 1 AS a, 2 AS a');
    expect(Object.values(row ?? {})).toEqual([1, 2]);
  });

  it('runs concurrent calls one after another without mixing results', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => warehouse.query(`SELECT ${index} AS v FROM range(3)`)),
    );
    for (const [index, rows] of results.entries()) {
      expect(rows).toEqual([{ v: index }, { v: index }, { v: index }]);
    }
  });

  it('fails with a WarehouseError carrying DuckDB message and the SQL', async () => {
    const sql = 'SELECT * FROM no_such_table';
    const error = await warehouse.query(sql).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toMatch(/no_such_table does not exist/);
    expect((error as WarehouseError).sql).toBe(sql);
    expect((error as WarehouseError).cause).toBeInstanceOf(Error);
    const executeError = await warehouse.execute('CREATE TABLE (').catch((caught: unknown) => caught);
    expect(executeError).toBeInstanceOf(WarehouseError);
    expect((executeError as WarehouseError).sql).toBe('CREATE TABLE (');
    expect((executeError as WarehouseError).message).toMatch(/syntax error/i);
  });
});

describe('DuckDBWarehouse.stream', () => {
  it('yields 100k rows in chunks no larger than chunkRows', async () => {
    const chunks = await collect(
      warehouse.stream('SELECT range AS id, range * 2 AS twice FROM range(100000)', { chunkRows: 7000 }),
    );
    expect(chunks.every((chunk) => chunk.length > 0 && chunk.length <= 7000)).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 7000)).toBe(true);
    const rows = chunks.flat();
    expect(rows).toHaveLength(100000);
    expect(rows[0]).toEqual({ id: 0, twice: 0 });
    expect(rows.reduce((sum, row) => sum + (row.id as number), 0)).toBe((99999 * 100000) / 2);
  });

  it('defaults to one DuckDB vector per chunk and handles chunks smaller than a vector', async () => {
    const defaults = await collect(warehouse.stream('SELECT * FROM range(5000)'));
    expect(defaults.map((chunk) => chunk.length)).toEqual([2048, 2048, 904]);
    const small = await collect(warehouse.stream('SELECT * FROM range(2500)', { chunkRows: 1000 }));
    expect(small.map((chunk) => chunk.length)).toEqual([1000, 1000, 500]);
  });

  it('yields nothing for an empty result', async () => {
    expect(await collect(warehouse.stream('SELECT * FROM range(0)'))).toEqual([]);
  });

  it('keeps streaming while other queries run on the warehouse', async () => {
    let total = 0;
    for await (const chunk of warehouse.stream('SELECT * FROM range(30000)', { chunkRows: 2048 })) {
      total += chunk.length;
      await warehouse.query('SELECT 1 AS one'); // would end a stream sharing its connection
    }
    expect(total).toBe(30000);
  });

  it('can be abandoned early and the warehouse stays usable', async () => {
    for await (const chunk of warehouse.stream('SELECT * FROM range(1000000)', { chunkRows: 100 })) {
      expect(chunk).toHaveLength(100);
      break;
    }
    expect(await warehouse.query('SELECT 7 AS v')).toEqual([{ v: 7 }]);
  });

  it('fails with the SQL attached and rejects a bad chunk size', async () => {
    const sql = 'SELECT * FROM missing_table';
    const error = await collect(warehouse.stream(sql)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).sql).toBe(sql);
    await expect(collect(warehouse.stream('SELECT 1', { chunkRows: 0 }))).rejects.toThrow(/chunkRows/);
  });
});

describe('DuckDBWarehouse.close', () => {
  it('is idempotent and later calls fail clearly', async () => {
    await warehouse.close();
    await warehouse.close();
    await expect(warehouse.query('SELECT 1')).rejects.toThrow(/closed/);
    await expect(collect(warehouse.stream('SELECT 1'))).rejects.toBeInstanceOf(WarehouseError);
  });

  it('stops a stream that is still being read when the warehouse closes', async () => {
    const chunks = warehouse.stream('SELECT * FROM range(100000)')[Symbol.asyncIterator]();
    expect((await chunks.next()).value).toHaveLength(2048);
    await warehouse.close();
    await expect(chunks.next()).rejects.toThrow(/closed during a stream/);
  });

  it('waits for a running query before closing', async () => {
    const running = warehouse.query('SELECT count(*) AS n FROM range(3000000)');
    await warehouse.close();
    expect(await running).toEqual([{ n: 3000000 }]);
  });
});
