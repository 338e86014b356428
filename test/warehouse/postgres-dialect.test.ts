/**
 * Postgres dialect behaviour that needs a server: the audience helpers agree with DuckDB's on
 * the same inputs (hashBucket, textMatches, addDays), currentTimestamp is UTC, NUL is refused by
 * name, and the catalog queries see session temp tables. Skips (with a printed reason) when no
 * Postgres is reachable, unless WEFT_REQUIRE_PG=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitBucket } from '../../src/audiences/index.js';
import { materializeTable } from '../../src/build/materialize-table.js';
import { duckdbEngine } from '../../src/warehouse/duckdb/index.js';
import { postgresDialect, postgresEngine } from '../../src/warehouse/postgres/index.js';
import { type Warehouse, WarehouseError } from '../../src/warehouse/types.js';
import { postgresTestConfig, uniqueSchema } from '../support/live-engines.js';

describe('postgres dialect (pure)', () => {
  it('refuses NUL in string literals by name', () => {
    expect(() => postgresDialect.literal('a\0b')).toThrow(/NUL character \(U\+0000\)/);
  });

  it('writes backslashes as E strings and big JS numbers as doubles', () => {
    expect(postgresDialect.literal('a\\b')).toBe("E'a\\\\b'");
    expect(postgresDialect.literal("it's")).toBe("'it''s'");
    expect(postgresDialect.literal(1e21)).toBe("'1e+21'::float8");
    expect(postgresDialect.literal(-3)).toBe('(-3)');
  });
});

const config = postgresTestConfig();
describe.runIf(config)('postgres dialect (runs on the server)', () => {
  let pg: Warehouse;
  let duck: Warehouse;
  beforeAll(async () => {
    pg = await postgresEngine.open(config ?? { type: 'postgres' }, { projectDir: process.cwd() });
    duck = await duckdbEngine.open({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  });
  afterAll(async () => {
    await pg?.close();
    await duck?.close();
  });
  const one = async (warehouse: Warehouse, sql: string) =>
    (await warehouse.query(`SELECT ${sql} AS v`))[0]?.v;
  const both = async (build: (w: Warehouse) => string) => [
    await one(pg, build(pg)),
    await one(duck, build(duck)),
  ];

  it('hashBucket gives the same bucket as DuckDB and as JS', async () => {
    const inputs = ['', 'a', 'win_back:p_000001', 'ünïcødé:🦆', "quote':x", 'back\\slash', 'x'.repeat(300)];
    for (const input of inputs) {
      for (const buckets of [1, 7, 100, 2 ** 31 + 11]) {
        const [fromPg, fromDuck] = await both((w) => w.dialect.hashBucket(w.dialect.literal(input), buckets));
        expect(Number(fromPg), `${input} mod ${buckets}`).toBe(Number(fromDuck));
      }
      if (input.includes(':')) {
        const [audience, ...rest] = input.split(':');
        const fromPg = await one(pg, pg.dialect.hashBucket(pg.dialect.literal(input), 100));
        expect(Number(fromPg)).toBe(splitBucket(audience as string, rest.join(':')));
      }
    }
  });

  it('textMatches takes %, _ and \\ literally, like DuckDB', async () => {
    const subjects = ['plain text', '100% sure', 'a_b', 'axb', 'back\\slash', 'x%_\\y', '🦆 ünïcødé'];
    const texts = ['', 'plain', '100%', 'a_b', 'back\\slash', '%_\\', '🦆 ünï'];
    for (const subject of subjects) {
      for (const text of texts) {
        for (const how of ['contains', 'starts_with', 'ends_with'] as const) {
          const expected =
            how === 'contains'
              ? subject.includes(text)
              : how === 'starts_with'
                ? subject.startsWith(text)
                : subject.endsWith(text);
          const got = await one(pg, pg.dialect.textMatches(pg.dialect.literal(subject), text, how));
          expect(got, `${how}(${subject}, ${text})`).toBe(expected);
        }
      }
    }
    expect(await one(pg, pg.dialect.textMatches('NULL', 'b', 'contains'))).toBe(null);
  });

  it('addDays moves timestamps and dates by whole days both ways', async () => {
    const d = pg.dialect;
    const at = d.literal(new Date('2025-03-01T12:00:00Z'));
    expect(await one(pg, d.addDays(at, -1))).toEqual(new Date('2025-02-28T12:00:00Z'));
    expect(await one(pg, d.addDays(at, 31))).toEqual(new Date('2025-04-01T12:00:00Z'));
    expect(await one(pg, d.addDays("DATE '2024-03-01'", -1))).toEqual(new Date('2024-02-29T00:00:00Z'));
  });

  it('currentTimestamp is UTC wall time whatever the session time zone', async () => {
    await pg.execute("SET TimeZone = 'America/New_York'");
    const text = String(await one(pg, `CAST(${pg.dialect.currentTimestamp()} AS TEXT)`));
    await pg.execute("SET TimeZone = 'UTC'");
    const now = new Date(`${text.replace(' ', 'T')}Z`).getTime();
    // A clock check, not a speed check: New York is 4-5 hours off UTC.
    expect(Math.abs(now - Date.now())).toBeLessThan(30 * 60 * 1000);
  });

  it('rowHash matches DuckDB on text, numbers and NULL', async () => {
    for (const values of [
      ['a', 1, null],
      ['', 'x'],
      [null, null],
      ["it's", -5],
    ]) {
      const [fromPg, fromDuck] = await both((w) =>
        w.dialect.rowHash(values.map((v) => w.dialect.literal(v))),
      );
      expect(fromPg).toBe(fromDuck);
    }
  });

  it('sees session temp tables in relationKindQuery and columnsQuery', async () => {
    const d = pg.dialect;
    const temp = d.tempRelation('weft_pg_scratch');
    await pg.execute(d.createTempTableAs(temp, "SELECT 1 AS a, 'x'::text AS b"));
    expect(await pg.query(d.relationKindQuery(temp))).toEqual([{ kind: 'table' }]);
    expect(await pg.query(d.columnsQuery(temp))).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'TEXT' },
    ]);
    await pg.execute(d.dropRelation(temp, 'table'));
    expect(await pg.query(d.relationKindQuery(temp))).toEqual([]);
  });

  describe('replacing a table that views read (views bind by OID in Postgres)', () => {
    const schema = uniqueSchema('weft_pg_rebind');
    const ref = (name: string) => ({ schema, name });
    afterAll(async () => {
      await pg?.execute(`DROP SCHEMA IF EXISTS ${pg.dialect.quoteIdent(schema)} CASCADE`);
    });

    it('keeps views (and views of views) reading the new table through createTableAs and createTable replace', async () => {
      const d = pg.dialect;
      await pg.execute(d.createSchema(schema));
      await pg.execute(d.createTableAs(ref('base'), 'SELECT 1 AS n'));
      await pg.execute(d.createView(ref('v1'), `SELECT n FROM ${d.qualify(ref('base'))}`));
      await pg.execute(d.createView(ref('v2'), `SELECT n * 10 AS m FROM ${d.qualify(ref('v1'))}`));
      await pg.execute(d.createTableAs(ref('base'), "SELECT 2 AS n, 'extra' AS other"));
      expect(await pg.query(`SELECT m FROM ${d.qualify(ref('v2'))}`)).toEqual([{ m: 20 }]);
      await pg.execute(d.createTable(ref('base'), [{ name: 'n', type: 'integer' }], { replace: true }));
      expect(await pg.query(`SELECT m FROM ${d.qualify(ref('v2'))}`)).toEqual([]);
      expect(await pg.query(d.relationKindQuery(ref('base__weft_rebind')))).toEqual([]);
    });

    it('fails as a whole, keeping the old table, when the new one lacks a column a view reads', async () => {
      const d = pg.dialect;
      await pg.execute(d.insertSelect(ref('base'), ['n'], 'SELECT 5'));
      await expect(pg.execute(d.createTableAs(ref('base'), 'SELECT 1 AS other'))).rejects.toThrow(
        WarehouseError,
      );
      expect(await pg.query(`SELECT m FROM ${d.qualify(ref('v2'))}`)).toEqual([{ m: 50 }]);
    });

    it('replaces a view whose columns change, recreating the views built on it (like DuckDB)', async () => {
      const d = pg.dialect;
      await pg.execute(d.createView(ref('model'), "SELECT 1 AS a, 'x' AS b"));
      await pg.execute(d.createView(ref('on_model'), `SELECT a FROM ${d.qualify(ref('model'))}`));
      await pg.execute(
        d.createView(ref('on_on_model'), `SELECT a + 1 AS c FROM ${d.qualify(ref('on_model'))}`),
      );
      await pg.execute(d.createView(ref('model'), 'SELECT 2.5 AS a'));
      expect(await pg.query(`SELECT c FROM ${d.qualify(ref('on_on_model'))}`)).toEqual([{ c: 3.5 }]);
      await pg.execute(d.createView(ref('model'), 'SELECT 3 AS a, 4 AS z -- trailing comment'));
      expect(await pg.query(`SELECT c FROM ${d.qualify(ref('on_on_model'))}`)).toEqual([{ c: 4 }]);
      await expect(pg.execute(d.createView(ref('model'), 'SELECT 1 AS other'))).rejects.toThrow(
        WarehouseError,
      );
      expect(await pg.query(`SELECT * FROM ${d.qualify(ref('model'))}`)).toEqual([{ a: 3, z: 4 }]);
    });

    it("re-points views through the build's rename swap, build after build", async () => {
      const d = pg.dialect;
      await materializeTable(pg, ref('profiles'), 'SELECT 1 AS n');
      await pg.execute(d.createView(ref('audience'), `SELECT n FROM ${d.qualify(ref('profiles'))}`));
      for (const n of [2, 3, 4]) {
        await materializeTable(pg, ref('profiles'), `SELECT ${n} AS n`);
        expect(await pg.query(`SELECT n FROM ${d.qualify(ref('audience'))}`)).toEqual([{ n }]);
      }
    });
  });
});
