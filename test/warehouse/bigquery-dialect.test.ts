/**
 * The BigQuery dialect: pure checks, every method's SQL parsed by polyglot's BigQuery parser and
 * snapshotted, and its meaning checked on DuckDB (transpiled) against the DuckDB dialect.
 * "KNOWN GAP" tests pin where polyglot mistranslates valid BigQuery (not a dialect bug).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigqueryDialect as bq } from '../../src/warehouse/bigquery/dialect.js';
import { duckdbDialect as duck } from '../../src/warehouse/duckdb/dialect.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { ColumnDef, LogicalType, Row, Warehouse } from '../../src/warehouse/types.js';
import { parseError, transpileToDuckDB } from '../support/sql-transpile.js';
import { mapToDuckDB } from '../support/transpiling-warehouse.js';

const logicalTypes = 'string integer bigint double boolean timestamp date json'.split(' ') as LogicalType[];
// biome-ignore format: a compact table
const awkwardNames = ['plain', 'MixedCase', 'with space', 'quote"inside', "apos'trophe", 'back`tick', 'select', 'ünïcødé', 'back\\slash', 'a`.`b'];
// biome-ignore format: a compact table
const awkwardStrings = ['', "it's", "''", 'say "hi"', 'back\\slash', 'trailing\\', 'line1\nline2', 'tab\tcr\r', '-- not a comment',
  '/* nor this */', '🦆 ünïcødé', "'; DROP TABLE x; --", '\\x00 \\n', 'bell\u0007 del\u007f', "\\'"];
const ref = { schema: 'bq ds', name: 'my`table' };

describe('bigquery dialect (pure)', () => {
  it('quotes identifiers with backticks, injectively, escaping ` and \\', () => {
    const quoted = awkwardNames.map((name) => bq.quoteIdent(name));
    expect(new Set(quoted).size).toBe(awkwardNames.length);
    for (const [index, name] of awkwardNames.entries()) expect(quoted[index]).not.toBe(name);
    expect(bq.quoteIdent('back`tick')).toBe('`back\\`tick`');
    expect(bq.quoteIdent('a\\b')).toBe('`a\\\\b`');
    expect(bq.quoteIdent('x\ny')).toBe('`x\\ny`');
    expect(() => bq.quoteIdent('')).toThrow(/empty/);
    const [a, b] = [bq.quoteIdent('a b'), bq.quoteIdent('c"d')];
    expect(bq.qualify({ schema: 'a b', name: 'c"d' })).toBe(`${a}.${b}`);
    expect(bq.qualify(bq.tempRelation('t x'))).toBe('_SESSION.`t x`');
  });

  it('writes GoogleSQL literals', () => {
    const keywords = [null, undefined, true, false].map((v) => bq.literal(v));
    expect(keywords.join(' ')).toBe('NULL NULL TRUE FALSE');
    expect(bq.literal("it's \\ `x`\n\r\t\0")).toBe("'it\\'s \\\\ `x`\\n\\r\\t\\x00'");
    expect(bq.literal(-1.5)).toBe('(-1.5)');
    expect(bq.literal(2 ** 60)).toBe('1.152921504606847e+18');
    expect(bq.literal(-(2n ** 63n))).toBe('(-9223372036854775808)');
    expect(bq.literal(2n ** 63n)).toBe("NUMERIC '9223372036854775808'");
    expect(bq.literal(-(10n ** 30n))).toBe(`BIGNUMERIC '-${10n ** 30n}'`);
    expect(() => bq.literal(10n ** 38n)).toThrow(RangeError);
    expect(bq.literal(Number.NaN)).toBe("CAST('NaN' AS FLOAT64)");
    expect(bq.literal(Number.NEGATIVE_INFINITY)).toBe("CAST('-Infinity' AS FLOAT64)");
    expect(bq.literal(new Date('2024-01-02T03:04:05.678Z'))).toBe("TIMESTAMP '2024-01-02 03:04:05.678'");
    expect(() => bq.literal(new Date('+010000-01-01T00:00:00Z'))).toThrow(/1-9999/);
    expect(() => bq.literal({ a: 1 })).toThrow(TypeError);
    expect(() => bq.literal(new Date('nope'))).toThrow();
  });

  it('names every logical type as INFORMATION_SCHEMA reports it, and casts with it', () => {
    const names = 'STRING INT64 INT64 FLOAT64 BOOL TIMESTAMP DATE STRING'.split(' ');
    expect(logicalTypes.map((type) => bq.typeName(type))).toEqual(names);
    for (const type of logicalTypes) expect(bq.cast('x', type)).toBe(`CAST(x AS ${bq.typeName(type)})`);
  });

  it('quotes every identifier it is given in DDL and DML', () => {
    const columns: ColumnDef[] = [{ name: 'odd col', type: 'string' }];
    const statements = [
      bq.createTable(ref, columns),
      bq.createTableAs(ref, 'select 1'),
      bq.createView(ref, 'select 1'),
      bq.dropRelation(ref, 'table'),
      bq.insertSelect(ref, ['odd col'], 'select 1'),
      bq.deleteMatching(ref, { schema: 's', name: 'src' }, ['odd col']),
    ];
    for (const sql of statements) expect(sql).toContain(bq.qualify(ref));
    expect(statements[0]).toContain(bq.quoteIdent('odd col'));
    expect(statements[4]).toContain(bq.quoteIdent('odd col'));
    expect(bq.createTable(ref, columns, { primaryKey: ['odd col'] })).toMatch(
      /PRIMARY KEY \(`odd col`\) NOT ENFORCED/,
    );
    expect(bq.createTable(ref, columns)).not.toMatch(/PRIMARY KEY/);
  });

  it('refuses what it cannot express', () => {
    expect(() => bq.createTable(ref, [])).toThrow();
    expect(() => bq.deleteMatching(ref, { schema: 's', name: 'u' }, [])).toThrow();
    expect(() => bq.merge(ref, 'select 1', [], ['v'])).toThrow();
    expect(() => bq.rowHash([])).toThrow();
    expect(() => bq.addDays('x', 1.5)).toThrow(/whole number/);
    expect(() => bq.hashBucket('x', 0)).toThrow(/at least one bucket/);
    expect(() => bq.splitPart('x', ',', 0)).toThrow(/1-based/);
    expect(() => bq.createTempTableAs(ref, 'select 1')).toThrow(/_SESSION/);
    expect(() => bq.columnsQuery(bq.tempRelation('t'))).toThrow(/INFORMATION_SCHEMA/);
  });
});

/** One call of every method, with awkward names: parsed by BigQuery and kept as a golden file. */
function everyMethod(): Record<string, string> {
  const e = "'a,b'";
  const temp = bq.tempRelation('scratch x');
  const mergeSource = 'SELECT 1 AS k, 2 AS `v w`, FALSE AS gone -- c';
  const typed = logicalTypes.map((type) => ({ name: `c ${type}`, type }));
  const statements: Record<string, string> = {
    expressions: `SELECT ${[
      bq.literal("it's\n\\ 🦆\0"),
      bq.literal(-5),
      bq.literal(12345678901234567890n),
      bq.literal(Number.NaN),
      bq.literal(new Date('2024-02-29T23:59:58.123Z')),
      bq.cast(e, 'json'),
      bq.sha256(e),
      bq.regexpReplaceAll(e, '\\+.*$', '\\1!'),
      bq.regexpMatches(e, "^a'"),
      bq.trimChars(e, " '\\"),
      bq.substring(e, 2, 3),
      bq.rowHash([e, 'NULL', '1']),
      bq.currentTimestamp(),
      bq.addDays("DATE '2024-03-01'", -1),
      bq.textMatches(e, '%_\\', 'contains'),
      bq.textMatches(e, 'a', 'starts_with'),
      bq.textMatches(e, 'b', 'ends_with'),
      bq.hashBucket(e, 100),
      bq.splitPart(e, ',', 2),
    ].join(',\n  ')}`,
    stringAgg: `SELECT ${bq.stringAgg('x', ', ', 'x DESC')} FROM UNNEST(['a', 'b']) AS x`,
    merge: bq.merge(ref, mergeSource, ['k'], ['v w'], { deleteWhen: 'weft_source.gone' }).join(';\n'),
    mergeKeysOnly: bq.merge(ref, 'SELECT 1 AS k', ['k'], []).join(';\n'),
    createSchema: bq.createSchema(ref.schema),
    createTable: bq.createTable(ref, typed, { primaryKey: ['c string'] }),
    replaceTable: bq.createTable(ref, [{ name: 'b', type: 'string' }], { replace: true }),
    createTableAs: bq.createTableAs(ref, 'SELECT 1 AS a -- comment'),
    createTempTableAs: bq.createTempTableAs(temp, 'SELECT 1 AS a;'),
    dropTemp: bq.dropRelation(temp, 'table'),
    createView: bq.createView(ref, 'SELECT 1 AS a'),
    dropView: bq.dropRelation(ref, 'view'),
    dropTable: bq.dropRelation(ref, 'table'),
    renameTable: bq.renameTable(ref, 'new name'),
    addColumn: bq.addColumn(ref, { name: 'new col', type: 'double' }),
    insertSelect: bq.insertSelect(ref, ['a', 'b c'], 'SELECT 1, 2;'),
    deleteMatching: bq.deleteMatching(ref, temp, ['k1', 'k 2']),
    except: bq.except('SELECT 1 AS x -- c', 'SELECT 2 AS x;'),
    relationKindQuery: bq.relationKindQuery(ref),
    columnsQuery: bq.columnsQuery({ schema: 'ds', name: "it's" }),
  };
  return statements;
}

describe('bigquery dialect SQL parses as BigQuery', () => {
  const statements = everyMethod();
  for (const [method, sql] of Object.entries(statements)) {
    it(method, () => {
      expect(parseError(sql, 'bigquery')).toBeUndefined();
    });
  }
  it('matches the golden file', async () => {
    const text = Object.entries(statements)
      .map(([method, sql]) => `-- ${method}\n${sql};\n`)
      .join('\n');
    await expect(text).toMatchFileSnapshot('../golden/bigquery-dialect/every-method.sql');
  });
});

describe('bigquery dialect SQL means the same on DuckDB (transpiled)', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  });
  afterAll(async () => {
    await wh?.close();
  });

  /** Runs BigQuery SQL through the transpiler (+ the emulator's _SESSION / catalog mapping); the last statement's rows. */
  const runBq = async (sql: string): Promise<Row[]> => {
    const statements = transpileToDuckDB(sql, 'bigquery').map((s) => mapToDuckDB(s, 'bigquery'));
    const last = statements.pop() as string;
    for (const statement of statements) await wh.execute(statement);
    return wh.query(last);
  };
  const execBq = async (sql: string) => {
    for (const s of transpileToDuckDB(sql, 'bigquery')) await wh.execute(mapToDuckDB(s, 'bigquery'));
  };
  const oneBq = async (expr: string) => (await runBq(`SELECT ${expr} AS v`))[0]?.v;
  const oneDuck = async (expr: string) => (await wh.query(`SELECT ${expr} AS v`))[0]?.v;

  it('round-trips awkward string literals and identifiers', async () => {
    for (const text of awkwardStrings) expect(await oneBq(bq.literal(text)), JSON.stringify(text)).toBe(text);
    const select = awkwardNames.map((name, index) => `${index} AS ${bq.quoteIdent(name)}`).join(', ');
    expect(Object.keys((await runBq(`SELECT ${select}`))[0] ?? {})).toEqual(awkwardNames);
  });

  it('round-trips numbers, INT64 bigints, booleans, null, non-finite doubles and dates', async () => {
    const values: unknown[] = [0, -5, 3.25, -0.5, 1e21, 2 ** 31, 9007199254740993n, -42n, true, false, null];
    for (const value of values)
      expect(await oneBq(bq.literal(value)), String(value)).toEqual(await oneDuck(duck.literal(value)));
    // A JS number beyond 2^53 stays a double (as on Postgres), where DuckDB's digits make a BIGINT.
    expect(await oneBq(bq.literal(2 ** 60))).toBe(2 ** 60);
    expect(await oneBq(`10 -${bq.literal(-5)}`)).toBe(15);
    expect(await oneBq(bq.literal(Number.POSITIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
    expect(await oneBq(bq.literal(Number.NEGATIVE_INFINITY))).toBe(Number.NEGATIVE_INFINITY);
    expect(await oneBq(bq.literal(Number.NaN))).toBeNaN();
    const date = new Date('2024-02-29T23:59:58.123Z');
    expect(new Date(String(await oneBq(`CAST(${bq.literal(date)} AS STRING)`)))).toEqual(date);
    expect(await oneBq(`${bq.literal(date)} < ${bq.currentTimestamp()}`)).toBe(true);
  });

  it('NUMERIC literals beyond INT64 and NUL escapes round-trip (through the transpiler fix-ups)', async () => {
    // polyglot alone writes CAST('…' AS DECIMAL) (DuckDB's DECIMAL(18,3): overflows) and a raw
    // NUL byte; test/support/sql-transpile.ts fixes both (HUGEINT, chr(0)).
    const [big] = transpileToDuckDB(`SELECT ${bq.literal(12345678901234567890n)} AS v`, 'bigquery');
    expect(await wh.query(big as string)).toEqual([{ v: 12345678901234567890n }]);
    const [nul] = transpileToDuckDB(`SELECT ${bq.literal('a\0b')} AS v`, 'bigquery');
    expect(await wh.query(nul as string)).toEqual([{ v: 'a\0b' }]);
  });

  it('hashes: sha256, hashBucket (equal to DuckDB and JS) and rowHash', async () => {
    const inputs = ['abc', '', "quote'", 'ünïcødé:🦆', 'win_back:p_000001', 'back\\slash'];
    expect(await oneBq(bq.sha256(bq.literal('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    for (const input of inputs) {
      const [b, d] = [bq.literal(input), duck.literal(input)];
      expect(await oneBq(bq.sha256(b))).toBe(await oneDuck(duck.sha256(d)));
      for (const n of [1, 7, 100, 2 ** 31]) {
        const js = Number.parseInt(createHash('sha256').update(input).digest('hex').slice(0, 8), 16) % n;
        expect(Number(await oneBq(bq.hashBucket(b, n))), `${input} % ${n}`).toBe(js);
        expect(Number(await oneDuck(duck.hashBucket(d, n)))).toBe(js);
      }
    }
    // biome-ignore format: a compact table
    const rows: unknown[][] = [['a', 1], ['a', null], [null, 'a'], ['~', 'a'], ['', 'a'], ['a\u001fb', 'c'], ['a', '\u001fb\u001fc'], [12, -3]];
    const digests = new Set<unknown>();
    for (const row of rows) {
      const digest = await oneBq(bq.rowHash(row.map((v) => bq.literal(v))));
      expect(digest).toMatch(/^[0-9a-f]{32}$/);
      expect(digest, JSON.stringify(row)).toBe(await oneDuck(duck.rowHash(row.map((v) => duck.literal(v)))));
      digests.add(digest);
    }
    expect(digests.size).toBe(rows.length); // NULL, '~', '' and separators inside values all differ
  });

  it('regular expressions replace every match and match partially', async () => {
    const text = " A.b+c'd\\e ";
    // biome-ignore format: a compact table
    const cases: Array<[string, string]> = [['[^a-z]', ''], ['\\+.*$', '!'], ['(b)', '<\\1>'], ['\\\\', '/']];
    for (const [pattern, replacement] of cases) {
      expect(await oneBq(bq.regexpReplaceAll(bq.literal(text), pattern, replacement))).toBe(
        await oneDuck(duck.regexpReplaceAll(duck.literal(text), pattern, replacement)),
      );
    }
    expect(await oneBq(bq.regexpReplaceAll(bq.literal('aaa'), 'a', 'b'))).toBe('bbb');
    // biome-ignore format: a compact table
    const partial = [['^ A\\.b', true], ['b\\+c', true], ['^(0+|1+)$', false], ["c'd", true], ['^b', false]] as const;
    for (const [pattern, expected] of partial) {
      expect(await oneBq(bq.regexpMatches(bq.literal(text), pattern)), pattern).toBe(expected);
    }
  });

  it('trims, takes substrings and split parts like DuckDB', async () => {
    expect(await oneBq(bq.trimChars(bq.literal(" \t'<a b>'\n"), " \t\n'<>"))).toBe('a b');
    expect(await oneBq(bq.substring(bq.literal('abcdef'), 2, 3))).toBe('bcd');
    expect(await oneBq(bq.substring(bq.literal('ab'), 2, 9))).toBe('b');
    // biome-ignore format: a compact table
    const splits: Array<[string | null, string, number]> = [['a,b,c', ',', 2], ['a,b', ',', 3], ['', ',', 1], ['a::b', '::', 2], ['a,,b', ',', 2], [null, ',', 1], ['x', ',', 1]];
    for (const [text, delimiter, index] of splits) {
      expect(await oneBq(bq.splitPart(bq.literal(text), delimiter, index)), `${text} ${index}`).toBe(
        await oneDuck(duck.splitPart(duck.literal(text), delimiter, index)),
      );
    }
    expect(await oneBq(bq.splitPart(bq.literal('a,b'), ',', 3))).toBe('');
    expect(await oneBq(bq.splitPart('NULL', ',', 1))).toBeNull();
  });

  it('aggregates strings in ORDER BY order (or none), skipping NULLs, NULL for no rows', async () => {
    const agg = async (sql: string, from = "UNNEST(['a', 'c', NULL, 'b'])") =>
      (await runBq(`SELECT ${sql} AS v FROM ${from} AS x`))[0]?.v;
    expect(await agg(bq.stringAgg('x', ' | ', 'x DESC'))).toBe('c | b | a');
    expect(await agg(bq.stringAgg('x', "'", 'x'))).toBe("a'b'c");
    expect(await agg(bq.stringAgg('x', ', '), "UNNEST(['a', 'a'])")).toBe('a, a');
    expect(await agg(bq.stringAgg('x', ','), 'UNNEST(ARRAY<STRING>[])')).toBeNull();
  });

  it('textMatches takes %, _ and \\ literally', async () => {
    const texts = ['', 'plain', '100%', 'a_b', 'back\\slash', "it's", '%_\\', '🦆 ünï'];
    const subjects = ['plain text', '100% sure', 'a_b', 'axb', 'back\\slash', "it's", 'x%_\\y', '🦆 ünïcødé'];
    const checks: string[] = [];
    const expected: boolean[] = [];
    for (const subject of subjects) {
      for (const text of texts) {
        for (const how of ['contains', 'starts_with', 'ends_with'] as const) {
          checks.push(bq.textMatches(bq.literal(subject), text, how));
        }
        expected.push(subject.includes(text), subject.startsWith(text), subject.endsWith(text));
      }
    }
    const [row] = await runBq(`SELECT ${checks.map((c, i) => `${c} AS c${i}`).join(', ')}`);
    expect(Object.values(row ?? {})).toEqual(expected);
    expect(await oneBq(bq.textMatches("'ABC'", 'b', 'contains'))).toBe(false);
    expect(await oneBq(bq.textMatches('CAST(NULL AS STRING)', 'b', 'contains'))).toBeNull();
  });

  it('adds days to timestamps and dates, both ways', async () => {
    const at = bq.literal(new Date('2025-03-01T12:00:00Z'));
    const text = async (expr: string) => String(await oneBq(`CAST(${expr} AS STRING)`)).replace(/\+00$/, '');
    expect(await text(bq.addDays(at, -1))).toBe('2025-02-28 12:00:00');
    expect(await text(bq.addDays(at, 31))).toBe('2025-04-01 12:00:00');
    expect(await text(bq.addDays("DATE '2024-03-01'", -1))).toBe('2024-02-29 00:00:00');
    expect(await text(bq.addDays(at, 0))).toBe('2025-03-01 12:00:00');
  });

  describe('DDL and DML', () => {
    const schema = 'bq ds';
    const at = (name: string) => ({ schema, name });
    const q = (name: string) => bq.qualify(at(name));
    const rowsOf = (name: string, order: string) => runBq(`SELECT * FROM ${q(name)} ORDER BY ${order}`);
    beforeAll(async () => {
      await execBq(bq.createSchema(schema));
      await execBq(bq.createSchema(schema)); // IF NOT EXISTS: idempotent
    });

    it('creates tables of every logical type (kept without replace) and reports their columns', async () => {
      const columns: ColumnDef[] = logicalTypes.map((type) => ({ name: `c ${type}`, type }));
      await execBq(bq.createTable(at('typed'), columns, { primaryKey: ['c string'] }));
      await execBq(bq.insertSelect(at('typed'), ['c string'], "SELECT 'kept'"));
      await execBq(bq.createTable(at('typed'), columns, { primaryKey: ['c string'] })); // kept, no error
      expect(await runBq(`SELECT \`c string\` AS v FROM ${q('typed')}`)).toEqual([{ v: 'kept' }]);
      const described = await runBq(bq.columnsQuery(at('typed')));
      expect(described.map((column) => column.name)).toEqual(columns.map((column) => column.name));
      expect(described.map((column) => column.type)).toEqual(logicalTypes.map((type) => bq.typeName(type)));
      await execBq(bq.createTable(at('typed'), [{ name: 'b', type: 'string' }], { replace: true }));
      expect((await runBq(bq.columnsQuery(at('typed')))).map((column) => column.name)).toEqual(['b']);
      expect(await runBq(`SELECT COUNT(*) AS n FROM ${q('typed')}`)).toEqual([{ n: 0 }]);
    });

    it('replaces tables and views from selects and reports them by kind', async () => {
      await execBq(bq.createTableAs(at('kinds'), 'SELECT 1 AS a;'));
      await execBq(bq.createTableAs(at('kinds'), 'SELECT 2 AS a -- trailing comment'));
      expect(await rowsOf('kinds', 'a')).toEqual([{ a: 2 }]);
      await execBq(bq.createView(at('kinds view'), `SELECT a + 1 AS b FROM ${q('kinds')} -- comment`));
      expect(await rowsOf('kinds view', 'b')).toEqual([{ b: 3 }]);
      expect(await runBq(bq.relationKindQuery(at('kinds')))).toEqual([{ kind: 'table' }]);
      expect(await runBq(bq.relationKindQuery(at('kinds view')))).toEqual([{ kind: 'view' }]);
      expect(await runBq(bq.relationKindQuery(at('missing')))).toEqual([]);
      await execBq(bq.dropRelation(at('kinds view'), 'view'));
      await execBq(bq.dropRelation(at('kinds view'), 'view')); // IF EXISTS
      expect(await runBq(bq.relationKindQuery(at('kinds view')))).toEqual([]);
    });

    it('renames, inserts from a select, and deletes on composite keys', async () => {
      await execBq(bq.createTableAs(at('to rename'), "SELECT 1 AS k1, 'a' AS `k 2`, 10 AS v"));
      await execBq(bq.renameTable(at('to rename'), 'tar`get'));
      expect(await runBq(bq.relationKindQuery(at('to rename')))).toEqual([]);
      await execBq(
        bq.insertSelect(at('tar`get'), ['k1', 'k 2', 'v'], "SELECT 1, 'b', 20 UNION ALL SELECT 2, 'a', 30;"),
      );
      await execBq(bq.createTableAs(at('keys'), "SELECT 1 AS k1, 'b' AS `k 2` UNION ALL SELECT 2, 'z'"));
      await execBq(bq.deleteMatching(at('tar`get'), at('keys'), ['k1', 'k 2']));
      const expected = [
        { k1: 1, 'k 2': 'a', v: 10 },
        { k1: 2, 'k 2': 'a', v: 30 },
      ];
      expect(await rowsOf('tar`get', 'v')).toEqual(expected);
    });

    it('computes a set difference that removes duplicates', async () => {
      const a = 'SELECT 1 AS x UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 -- comment';
      const rows = await runBq(`SELECT x FROM (${bq.except(a, 'SELECT 3 AS x;')}) AS d ORDER BY x`);
      expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
    });

    it('merges: updates matches, inserts new keys, deletes flagged ones (never inserting them)', async () => {
      const columns: ColumnDef[] = [
        { name: 'k', type: 'integer' },
        { name: 'v w', type: 'string' },
      ];
      await execBq(bq.createTable(at('merged'), columns));
      const rows = "SELECT 1, 'one' UNION ALL SELECT 2, 'two' UNION ALL SELECT 3, 'three'";
      await execBq(bq.insertSelect(at('merged'), ['k', 'v w'], rows));
      const source = `SELECT 1 AS k, 'uno' AS \`v w\`, FALSE AS gone UNION ALL SELECT 2, 'x', TRUE
        UNION ALL SELECT 4, 'four', NULL UNION ALL SELECT 5, 'five', TRUE -- comment`;
      const merge = bq.merge(at('merged'), source, ['k'], ['v w'], { deleteWhen: 'weft_source.gone' });
      expect(merge).toHaveLength(1); // one BigQuery MERGE statement
      for (const sql of merge) await execBq(sql);
      // biome-ignore format: a compact table
      expect(await rowsOf('merged', 'k')).toEqual([{ k: 1, 'v w': 'uno' }, { k: 3, 'v w': 'three' }, { k: 4, 'v w': 'four' }]);
      for (const sql of bq.merge(at('merged'), 'SELECT 3 AS k UNION ALL SELECT 6', ['k'], []))
        await execBq(sql);
      expect((await rowsOf('merged', 'k')).map((row) => row.k)).toEqual([1, 3, 4, 6]);
    });

    it('creates, replaces and drops session temp tables (read through the emulator mapping of _SESSION)', async () => {
      const temp = bq.tempRelation('weft scratch');
      await execBq(bq.createTempTableAs(temp, 'SELECT 1 AS a'));
      await execBq(bq.createTempTableAs(temp, 'SELECT 2 AS a UNION ALL SELECT 3;'));
      expect(await runBq(`SELECT a FROM ${bq.qualify(temp)} ORDER BY a`)).toEqual([{ a: 2 }, { a: 3 }]);
      await execBq(bq.dropRelation(temp, 'table'));
      await expect(runBq(`SELECT a FROM ${bq.qualify(temp)}`)).rejects.toThrow();
    });
  });
});
