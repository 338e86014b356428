import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredEngines } from '../../src/warehouse/registry.js';
import type { ColumnDef, LogicalType, Warehouse } from '../../src/warehouse/types.js';
import { foldsIdentifierCase, liveConfig, uniqueSchema } from '../support/live-engines.js';

// Pure checks run for every registered engine; the rest where a live warehouse is reachable.
const logicalTypes: LogicalType[] = [
  'string',
  'integer',
  'bigint',
  'double',
  'boolean',
  'timestamp',
  'date',
  'json',
];
const awkwardNames = [
  'plain',
  'MixedCase',
  'with space',
  'quote"inside',
  "apos'trophe",
  'back`tick',
  'select',
  'ünïcødé',
];
const awkwardStrings = [
  '',
  "it's",
  "''",
  'say "hi"',
  'back\\slash',
  'trailing\\',
  'line1\nline2',
  'tab\tcr\r',
  '-- not a comment',
  '/* nor this */',
  '🦆 ünïcødé',
  "'; DROP TABLE x; --",
];

for (const engine of registeredEngines()) {
  const dialect = engine.dialect;

  describe(`${engine.name} dialect (pure)`, () => {
    it('is named after its engine', () => {
      expect(dialect.name).toBe(engine.name);
    });

    it('quotes identifiers injectively and qualifies schema.name', () => {
      const quoted = awkwardNames.map((name) => dialect.quoteIdent(name));
      expect(new Set(quoted).size).toBe(awkwardNames.length);
      for (const [index, name] of awkwardNames.entries()) expect(quoted[index]).not.toBe(name);
      expect(dialect.qualify({ schema: 'a b', name: 'c"d' })).toBe(
        `${dialect.quoteIdent('a b')}.${dialect.quoteIdent('c"d')}`,
      );
    });

    it('renders null and undefined as NULL, booleans as keywords', () => {
      expect(dialect.literal(null).toUpperCase()).toBe('NULL');
      expect(dialect.literal(undefined).toUpperCase()).toBe('NULL');
      expect(dialect.literal(true).toUpperCase()).toBe('TRUE');
      expect(dialect.literal(false).toUpperCase()).toBe('FALSE');
    });

    it('refuses values it cannot write and invalid dates', () => {
      expect(() => dialect.literal({ a: 1 })).toThrow();
      expect(() => dialect.literal(new Date('nope'))).toThrow();
    });

    it('gives every logical type a name and casts with it', () => {
      for (const type of logicalTypes) {
        const name = dialect.typeName(type);
        expect(name.length).toBeGreaterThan(0);
        expect(dialect.cast('x', type)).toContain(name);
      }
    });

    it('quotes every identifier it is given in DDL and DML', () => {
      const ref = { schema: 'my schema', name: 'my"table' };
      const columns: ColumnDef[] = [{ name: 'odd col', type: 'string' }];
      const statements = [
        dialect.createTable(ref, columns),
        dialect.createTableAs(ref, 'select 1'),
        dialect.createView(ref, 'select 1'),
        dialect.dropRelation(ref, 'table'),
        dialect.insertSelect(ref, ['odd col'], 'select 1'),
        dialect.deleteMatching(ref, { schema: 's', name: 'src' }, ['odd col']),
      ];
      for (const sql of statements) expect(sql).toContain(dialect.qualify(ref));
      expect(statements[0]).toContain(dialect.quoteIdent('odd col'));
      expect(statements[4]).toContain(dialect.quoteIdent('odd col'));
    });

    it('refuses tables without columns and deletes without keys', () => {
      expect(() => dialect.createTable({ schema: 's', name: 't' }, [])).toThrow();
      expect(() =>
        dialect.deleteMatching({ schema: 's', name: 't' }, { schema: 's', name: 'u' }, []),
      ).toThrow();
    });
  });

  const config = liveConfig(engine);
  if (!config) continue;

  describe(`${engine.name} dialect (runs on the engine)`, () => {
    let warehouse: Warehouse;
    let projectDir: string;
    const schema = uniqueSchema('weft_dialect');
    const ref = (name: string) => ({ schema, name });
    const q = (name: string) => dialect.qualify(ref(name));

    beforeAll(async () => {
      projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dialect-'));
      warehouse = await engine.open(config, { projectDir });
      await warehouse.execute(dialect.createSchema(schema));
      await warehouse.execute(dialect.createSchema(schema)); // IF NOT EXISTS: idempotent
    });
    afterAll(async () => {
      await warehouse?.execute(`DROP SCHEMA IF EXISTS ${dialect.quoteIdent(schema)} CASCADE`);
      await warehouse?.close();
      fs.rmSync(projectDir, { recursive: true, force: true });
    });

    it('round-trips awkward identifiers as column aliases', async () => {
      const select = awkwardNames.map((name, index) => `${index} AS ${dialect.quoteIdent(name)}`).join(', ');
      const [row] = await warehouse.query(`SELECT ${select}`);
      // Engines whose sessions fold identifier case report weft's (lower-case) spelling.
      const expected = foldsIdentifierCase(engine)
        ? awkwardNames.map((name) => name.toLowerCase())
        : awkwardNames;
      expect(Object.keys(row ?? {})).toEqual(expected);
    });

    it('round-trips awkward string literals exactly', async () => {
      const select = awkwardStrings.map((text, index) => `${dialect.literal(text)} AS c${index}`).join(', ');
      const [row] = await warehouse.query(`SELECT ${select}`);
      expect(Object.values(row ?? {})).toEqual(awkwardStrings);
    });

    it('round-trips a NUL character inside a string (refused by name where text cannot hold one)', async () => {
      if (engine.name === 'postgres') {
        // Postgres text cannot store U+0000 at all; the literal says so instead of failing later.
        expect(() => dialect.literal('a\0b')).toThrow(/NUL character/);
        return;
      }
      const [row] = await warehouse.query(`SELECT ${dialect.literal('a\0b')} AS v`);
      expect(row?.v).toBe('a\0b');
    });

    it('round-trips numbers, bigints, booleans, null and dates', async () => {
      const values: unknown[] = [
        0,
        -5,
        3.25,
        -0.5,
        1e21,
        2 ** 31,
        12345678901234567890n,
        -42n,
        true,
        false,
        null,
      ];
      const select = values.map((value, index) => `${dialect.literal(value)} AS c${index}`).join(', ');
      const [row] = await warehouse.query(`SELECT ${select}`);
      expect(Object.values(row ?? {})).toEqual(values.map((value) => (value === -42n ? -42 : value)));
      const date = new Date('2024-02-29T23:59:58.123Z');
      const [dated] = await warehouse.query(`SELECT ${dialect.literal(date)} AS d`);
      expect(dated?.d).toEqual(date);
    });

    it('keeps a negative literal from forming a comment after a minus sign', async () => {
      const [row] = await warehouse.query(`SELECT 10 -${dialect.literal(-5)} AS v`);
      expect(row?.v).toBe(15);
    });

    it('renders non-finite doubles', async () => {
      const [row] = await warehouse.query(
        `SELECT ${dialect.literal(Number.POSITIVE_INFINITY)} AS a, ${dialect.literal(Number.NEGATIVE_INFINITY)} AS b, ${dialect.literal(Number.NaN)} AS c`,
      );
      expect(row?.a).toBe(Number.POSITIVE_INFINITY);
      expect(row?.b).toBe(Number.NEGATIVE_INFINITY);
      expect(row?.c).toBeNaN();
    });

    it('hashes with lowercase hex SHA-256', async () => {
      const [row] = await warehouse.query(`SELECT ${dialect.sha256(dialect.literal('abc'))} AS h`);
      expect(row?.h).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('replaces and matches regular expressions and takes substrings', async () => {
      const text = dialect.literal(" A.b+c'd\\e ");
      const [row] = await warehouse.query(
        `SELECT ${dialect.regexpReplaceAll(text, '[^a-z]', '')} AS letters,
          ${dialect.regexpReplaceAll(text, '\\+.*$', '!')} AS tagless,
          ${dialect.regexpMatches(text, '^ A\\.b')} AS starts,
          ${dialect.regexpMatches(text, '^(0+|1+)$')} AS junk,
          ${dialect.substring(dialect.literal('abcdef'), 2, 3)} AS middle,
          ${dialect.trimChars(dialect.literal(" \t'<a b>'\n"), " \t\n'<>")} AS trimmed`,
      );
      expect(row).toEqual({
        letters: 'bcde',
        tagless: ' A.b!',
        starts: true,
        junk: false,
        middle: 'bcd',
        trimmed: 'a b',
      });
    });

    it('creates, replaces and drops session-scoped scratch tables', async () => {
      const temp = dialect.tempRelation('weft_scratch');
      await warehouse.execute(dialect.createTempTableAs(temp, 'SELECT 1 AS a'));
      await warehouse.execute(dialect.createTempTableAs(temp, 'SELECT 2 AS a UNION ALL SELECT 3'));
      const rows = await warehouse.query(`SELECT a FROM ${dialect.qualify(temp)} ORDER BY a`);
      expect(rows).toEqual([{ a: 2 }, { a: 3 }]);
      await warehouse.execute(dialect.dropRelation(temp, 'table'));
      await expect(warehouse.query(`SELECT a FROM ${dialect.qualify(temp)}`)).rejects.toThrow();
    });

    it('creates tables of every logical type, reports their columns, and casts', async () => {
      const columns: ColumnDef[] = logicalTypes.map((type) => ({ name: `c ${type}`, type }));
      await warehouse.execute(dialect.createTable(ref('typed'), columns));
      await warehouse.execute(dialect.createTable(ref('typed'), columns)); // no replace: kept, no error
      const described = await warehouse.query(dialect.columnsQuery(ref('typed')));
      expect(described.map((column) => column.name)).toEqual(columns.map((column) => column.name));
      expect(described.map((column) => String(column.type).toUpperCase())).toEqual(
        logicalTypes.map((type) => dialect.typeName(type).toUpperCase()),
      );
      const [cast] = await warehouse.query(`SELECT ${dialect.cast(dialect.literal('42'), 'integer')} AS v`);
      expect(cast?.v).toBe(42);
    });

    it('replaces a table when asked and reports tables and views by kind', async () => {
      await warehouse.execute(dialect.createTableAs(ref('kinds'), 'SELECT 1 AS a;'));
      await warehouse.execute(
        dialect.createTable(ref('kinds'), [{ name: 'b', type: 'string' }], { replace: true }),
      );
      expect((await warehouse.query(dialect.columnsQuery(ref('kinds')))).map((c) => c.name)).toEqual(['b']);
      await warehouse.execute(dialect.createView(ref('kinds_view'), 'SELECT 1 AS a -- trailing comment'));
      expect(await warehouse.query(dialect.relationKindQuery(ref('kinds')))).toEqual([{ kind: 'table' }]);
      expect(await warehouse.query(dialect.relationKindQuery(ref('kinds_view')))).toEqual([{ kind: 'view' }]);
      expect(await warehouse.query(dialect.relationKindQuery(ref('missing')))).toEqual([]);
      await warehouse.execute(dialect.dropRelation(ref('kinds_view'), 'view'));
      await warehouse.execute(dialect.dropRelation(ref('kinds_view'), 'view')); // IF EXISTS
      expect(await warehouse.query(dialect.relationKindQuery(ref('kinds_view')))).toEqual([]);
    });

    it('renames, inserts from a select, and deletes on composite keys', async () => {
      await warehouse.execute(dialect.createTableAs(ref('to_rename'), "SELECT 1 AS k1, 'a' AS k2, 10 AS v"));
      await warehouse.execute(dialect.renameTable(ref('to_rename'), 'target'));
      expect(await warehouse.query(dialect.relationKindQuery(ref('to_rename')))).toEqual([]);
      await warehouse.execute(
        dialect.insertSelect(
          ref('target'),
          ['k1', 'k2', 'v'],
          "SELECT 1, 'b', 20 UNION ALL SELECT 2, 'a', 30;",
        ),
      );
      await warehouse.execute(
        dialect.createTableAs(ref('keys'), "SELECT 1 AS k1, 'b' AS k2 UNION ALL SELECT 2, 'z'"),
      );
      await warehouse.execute(dialect.deleteMatching(ref('target'), ref('keys'), ['k1', 'k2']));
      const rows = await warehouse.query(`SELECT k1, k2, v FROM ${q('target')} ORDER BY v`);
      expect(rows).toEqual([
        { k1: 1, k2: 'a', v: 10 },
        { k1: 2, k2: 'a', v: 30 },
      ]);
    });

    it('adds a column to a table, and adding it again is a no-op', async () => {
      await warehouse.execute(dialect.createTableAs(ref('widened'), "SELECT 'a' AS k"));
      await warehouse.execute(dialect.addColumn(ref('widened'), { name: 'new col', type: 'double' }));
      await warehouse.execute(dialect.addColumn(ref('widened'), { name: 'new col', type: 'double' }));
      await warehouse.execute(dialect.insertSelect(ref('widened'), ['k', 'new col'], "SELECT 'b', 2.5"));
      const rows = await warehouse.query(
        `SELECT k, ${dialect.quoteIdent('new col')} AS v FROM ${q('widened')} ORDER BY k`,
      );
      expect(rows).toEqual([
        { k: 'a', v: null },
        { k: 'b', v: 2.5 },
      ]);
    });

    it('computes a set difference that removes duplicates', async () => {
      const a = 'SELECT 1 AS x UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 -- comment';
      const b = 'SELECT 3 AS x;';
      const rows = await warehouse.query(`SELECT x FROM (${dialect.except(a, b)}) AS d ORDER BY x`);
      expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
    });

    it('merges: updates matched keys, deletes where asked, inserts the rest', async () => {
      await warehouse.execute(
        dialect.createTableAs(
          ref('merged'),
          "SELECT 'a' AS k, 1 AS v UNION ALL SELECT 'b', 2 UNION ALL SELECT 'c', 3",
        ),
      );
      const source =
        "SELECT 'a' AS k, 10 AS v, 'set' AS op UNION ALL SELECT 'b', 0, 'drop' UNION ALL SELECT 'd', 4, 'set' UNION ALL SELECT 'e', 5, 'drop'";
      for (const statement of dialect.merge(ref('merged'), source, ['k'], ['v'], {
        deleteWhen: "weft_source.op = 'drop'",
      }))
        await warehouse.execute(statement);
      expect(await warehouse.query(`SELECT k, v FROM ${q('merged')} ORDER BY k`)).toEqual([
        { k: 'a', v: 10 },
        { k: 'c', v: 3 },
        { k: 'd', v: 4 },
      ]);
      // Without deleteWhen every source row upserts.
      for (const statement of dialect.merge(ref('merged'), "SELECT 'c' AS k, 30 AS v", ['k'], ['v']))
        await warehouse.execute(statement);
      expect(await warehouse.query(`SELECT v FROM ${q('merged')} WHERE k = 'c'`)).toEqual([{ v: 30 }]);
    });

    it('ends a derived table with its optimisation fence', async () => {
      const rows = await warehouse.query(
        `SELECT x + 1 AS y FROM (SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2) AS a${dialect.fence()}) AS b ORDER BY y`,
      );
      expect(rows).toEqual([{ y: 2 }, { y: 3 }]);
    });

    it('splits strings into parts and aggregates strings in order', async () => {
      const [row] = await warehouse.query(
        `SELECT ${dialect.splitPart(dialect.literal('a@b@c'), '@', 2)} AS second, ${dialect.splitPart(dialect.literal('a'), '@', 2)} AS missing`,
      );
      expect(row).toEqual({ second: 'b', missing: '' });
      const [agg] = await warehouse.query(
        `SELECT ${dialect.stringAgg('x', ', ', 'x DESC')} AS joined FROM (SELECT 'a' AS x UNION ALL SELECT 'c' UNION ALL SELECT NULL UNION ALL SELECT 'b') AS t`,
      );
      expect(agg).toEqual({ joined: 'c, b, a' });
    });
  });
}
