/**
 * Postgres engine I/O: streaming through a cursor, COPY loads of every logical type,
 * transactions and temp tables on the session connection, errors carrying the SQL, and the
 * connection-failure message. Skips (with a printed reason) when no Postgres is reachable,
 * unless WEFT_REQUIRE_PG=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../src/warehouse/postgres/index.js';
import { type ColumnDef, type Warehouse, WarehouseError } from '../../src/warehouse/types.js';
import { postgresTestConfig, uniqueSchema } from '../support/live-engines.js';

const config = postgresTestConfig();
const open = () => postgresEngine.open(config ?? { type: 'postgres' }, { projectDir: process.cwd() });

describe('postgres engine open', () => {
  it('turns a connection failure into a WarehouseError telling what to check, without the password', async () => {
    const failure = await postgresEngine
      .open(
        { type: 'postgres', url: 'postgres://weft:s3cret@127.0.0.1:1/nowhere' },
        { projectDir: process.cwd() },
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WarehouseError);
    const message = (failure as Error).message;
    expect(message).toMatch(/Cannot connect to the Postgres warehouse at 127\.0\.0\.1:1\/nowhere/);
    expect(message).toMatch(/server is running/);
    expect(message).not.toContain('s3cret');
    expect((failure as Error).cause).toBeDefined();
  });
});

describe.runIf(config)('postgres engine I/O', () => {
  let warehouse: Warehouse;
  const schema = uniqueSchema('weft_pg_io');
  const ref = (name: string) => ({ schema, name });
  beforeAll(async () => {
    warehouse = await open();
  });
  afterAll(async () => {
    await warehouse?.execute(`DROP SCHEMA IF EXISTS ${warehouse.dialect.quoteIdent(schema)} CASCADE`);
    await warehouse?.close();
  });

  const columns: ColumnDef[] = [
    { name: 's', type: 'string' },
    { name: 'i', type: 'integer' },
    { name: 'b', type: 'bigint' },
    { name: 'd', type: 'double' },
    { name: 'f', type: 'boolean' },
    { name: 'ts', type: 'timestamp' },
    { name: 'day', type: 'date' },
    { name: 'j', type: 'json' },
  ];

  it('loads every logical type through COPY and reads the same values back', async () => {
    const when = new Date('2024-02-29T23:59:58.123Z');
    const rows: unknown[][] = [
      [
        'quote \' and "double"',
        1,
        9007199254740993n,
        3.25,
        true,
        when,
        new Date('2024-03-01T00:00:00Z'),
        { a: [1, 'x'] },
      ],
      [
        'tab\tnew\nline\r\\N back\\slash',
        -2147483648,
        -5,
        Number.NaN,
        false,
        '2024-01-02 03:04:05',
        '2024-01-02',
        '"text"',
      ],
      ['🦆 ünïcødé', 2147483647, 42, Number.NEGATIVE_INFINITY, null, null, null, null],
      [null, null, null, null, null, null, null, null],
      ['', 0, 0n, -0.5, true, '2024-01-02T03:04:05+02:00', when, [1, 2]],
    ];
    expect(await warehouse.load(ref('typed'), columns, rows)).toBe(rows.length);
    const read = await warehouse.query(`SELECT * FROM ${warehouse.dialect.qualify(ref('typed'))}`);
    expect(read).toEqual([
      {
        s: rows[0]?.[0],
        i: 1,
        b: 9007199254740993n,
        d: 3.25,
        f: true,
        ts: when,
        day: new Date('2024-03-01T00:00:00Z'),
        j: { a: [1, 'x'] },
      },
      {
        s: rows[1]?.[0],
        i: -2147483648,
        b: -5,
        d: Number.NaN,
        f: false,
        ts: new Date('2024-01-02T03:04:05Z'),
        day: new Date('2024-01-02T00:00:00Z'),
        j: 'text',
      },
      {
        s: '🦆 ünïcødé',
        i: 2147483647,
        b: 42,
        d: Number.NEGATIVE_INFINITY,
        f: null,
        ts: null,
        day: null,
        j: null,
      },
      { s: null, i: null, b: null, d: null, f: null, ts: null, day: null, j: null },
      {
        s: '',
        i: 0,
        b: 0,
        d: -0.5,
        f: true,
        ts: new Date('2024-01-02T01:04:05Z'),
        day: new Date('2024-02-29T00:00:00Z'),
        j: [1, 2],
      },
    ]);
  });

  it('replaces by default, appends when asked, and refuses an append with other columns', async () => {
    const two: ColumnDef[] = [
      { name: 'k', type: 'string' },
      { name: 'n', type: 'integer' },
    ];
    await warehouse.load(ref('modes'), two, [['a', 1]]);
    await warehouse.load(ref('modes'), two, [['b', 2]], { mode: 'append' });
    const all = () =>
      warehouse.query(`SELECT k, n FROM ${warehouse.dialect.qualify(ref('modes'))} ORDER BY k`);
    expect(await all()).toEqual([
      { k: 'a', n: 1 },
      { k: 'b', n: 2 },
    ]);
    await warehouse.load(ref('modes'), two, [['c', 3]]);
    expect(await all()).toEqual([{ k: 'c', n: 3 }]);
    await expect(
      warehouse.load(ref('modes'), [{ name: 'other', type: 'string' }], [['x']], { mode: 'append' }),
    ).rejects.toThrow(/Cannot append/);
  });

  it('fails a load on a bad value with row and column, keeping the previous table', async () => {
    const one: ColumnDef[] = [{ name: 'n', type: 'integer' }];
    await warehouse.load(ref('kept'), one, [[1]]);
    const rows = (async function* () {
      yield [2];
      yield ['not a number'];
    })();
    await expect(warehouse.load(ref('kept'), one, rows)).rejects.toThrow(/row 2 .*column "n" \(integer\)/);
    await expect(warehouse.load(ref('kept'), [{ name: 's', type: 'string' }], [['a\0b']])).rejects.toThrow(
      /NUL character/,
    );
    expect(await warehouse.query(`SELECT n FROM ${warehouse.dialect.qualify(ref('kept'))}`)).toEqual([
      { n: 1 },
    ]);
  });

  it('streams in bounded chunks and releases the connection on an early break', async () => {
    const sql = 'SELECT g AS n FROM generate_series(1, 10000) AS g ORDER BY g';
    const sizes: number[] = [];
    let total = 0;
    for await (const chunk of warehouse.stream(sql, { chunkRows: 3000 })) {
      sizes.push(chunk.length);
      total += chunk.reduce((sum, row) => sum + Number(row.n), 0);
    }
    expect(sizes).toEqual([3000, 3000, 3000, 1000]);
    expect(total).toBe(50005000);
    // A pool of two: a stream that kept its connection after a break would make the third one wait forever.
    const small = await postgresEngine.open(
      { ...(config ?? { type: 'postgres' }), max_connections: 2 },
      {
        projectDir: process.cwd(),
      },
    );
    try {
      for (let round = 0; round < 5; round++) {
        for await (const chunk of small.stream(sql, { chunkRows: 10 })) {
          expect(chunk).toHaveLength(10);
          break;
        }
      }
      let rows = 0;
      for await (const chunk of small.stream(sql, { chunkRows: 4096 })) rows += chunk.length;
      expect(rows).toBe(10000);
    } finally {
      await small.close();
    }
    await expect(async () => {
      for await (const _ of warehouse.stream('SELECT 1/0 AS boom')) {
        // never reached
      }
    }).rejects.toThrow(WarehouseError);
  });

  it('rejects a non-positive chunk size', async () => {
    await expect(async () => {
      for await (const _ of warehouse.stream('SELECT 1', { chunkRows: 0 })) {
        // never reached
      }
    }).rejects.toThrow(RangeError);
  });

  it('keeps temp tables on the session connection across execute and query', async () => {
    const d = warehouse.dialect;
    const temp = d.tempRelation('weft_pg_session');
    await warehouse.execute(d.createTempTableAs(temp, 'SELECT 7 AS a'));
    expect(await warehouse.query(`SELECT a FROM ${d.qualify(temp)}`)).toEqual([{ a: 7 }]);
    const other = await open();
    try {
      await expect(other.query(`SELECT a FROM ${d.qualify(temp)}`)).rejects.toThrow(/does not exist/);
    } finally {
      await other.close();
    }
  });

  it('rolls a transaction back on the session connection', async () => {
    const d = warehouse.dialect;
    await warehouse.execute(d.createSchema(schema));
    await warehouse.execute(d.createTable(ref('tx'), [{ name: 'id', type: 'integer' }], { replace: true }));
    await expect(
      warehouse.transaction(async () => {
        await warehouse.execute(`INSERT INTO ${d.qualify(ref('tx'))} VALUES (1)`);
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify(ref('tx'))}`)).toEqual([{ n: 0 }]);
  });

  it('wraps statement errors with the SQL and the server message', async () => {
    const sql = 'SELECT * FROM weft_no_such_schema.t';
    const failure = await warehouse.query(sql).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WarehouseError);
    expect((failure as WarehouseError).sql).toBe(sql);
    expect((failure as Error).message).toMatch(/does not exist/);
    expect(await warehouse.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]); // still usable
  });

  it('fails with a WarehouseError, without crashing, when the server drops the session', async () => {
    const victim = await open();
    const [row] = await victim.query('SELECT pg_backend_pid() AS pid');
    await warehouse.query(`SELECT pg_terminate_backend(${Number(row?.pid)})`);
    await expect(victim.query('SELECT 1')).rejects.toThrow(WarehouseError);
    await expect(victim.query('SELECT 1')).rejects.toThrow(WarehouseError);
    await victim.close();
  });

  it('closes idempotently and refuses work afterwards', async () => {
    const extra = await open();
    await extra.close();
    await extra.close();
    await expect(extra.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
