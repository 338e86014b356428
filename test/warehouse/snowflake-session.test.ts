import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeDialect as dialect, snowflakeEngine } from '../../src/warehouse/snowflake/index.js';
import type { ColumnDef, LogicalType, Warehouse } from '../../src/warehouse/types.js';
import { passwordConfig } from '../support/snowflake-emulator/config.js';
import { type SnowflakeEmulator, startSnowflakeEmulator } from '../support/snowflake-emulator/index.js';

let emulator: SnowflakeEmulator;
let warehouse: Warehouse;

beforeAll(async () => {
  emulator = await startSnowflakeEmulator();
  warehouse = await snowflakeEngine.open(passwordConfig(emulator), { projectDir: process.cwd() });
  await warehouse.execute(dialect.createSchema('app'));
});
afterAll(async () => {
  await warehouse?.close();
  await emulator?.close();
});

const t = (name: string) => ({ schema: 'app', name });

describe('snowflake session', () => {
  it('a temp table lives in its session only', async () => {
    const scratch = dialect.tempRelation('scratch');
    expect(scratch.schema).toBe('weft_session');
    await warehouse.execute(dialect.createTempTableAs(scratch, 'SELECT 1 AS "a"'));
    expect(await warehouse.query(`SELECT "a" FROM ${dialect.qualify(scratch)}`)).toEqual([{ a: 1 }]);
    expect(await warehouse.query(dialect.relationKindQuery(scratch))).toEqual([{ kind: 'table' }]);
    const other = await snowflakeEngine.open(passwordConfig(emulator), { projectDir: process.cwd() });
    try {
      await expect(other.query(`SELECT "a" FROM ${dialect.qualify(scratch)}`)).rejects.toThrow(
        /does not exist/,
      );
    } finally {
      await other.close();
    }
  });

  it('transaction commits its statements together, or rolls them back on error', async () => {
    await warehouse.execute(dialect.createTable(t('ledger'), [{ name: 'id', type: 'integer' }]));
    await warehouse.transaction(async () => {
      await warehouse.execute(`INSERT INTO ${dialect.qualify(t('ledger'))} VALUES (1)`);
      await warehouse.execute(`INSERT INTO ${dialect.qualify(t('ledger'))} VALUES (2)`);
    });
    await expect(
      warehouse.transaction(async () => {
        await warehouse.execute(`INSERT INTO ${dialect.qualify(t('ledger'))} VALUES (3)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await warehouse.query(`SELECT "id" FROM ${dialect.qualify(t('ledger'))} ORDER BY "id"`)).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('DDL inside a transaction commits it first, as Snowflake does', async () => {
    await warehouse.execute(dialect.createTable(t('ddl_commit'), [{ name: 'id', type: 'integer' }]));
    await expect(
      warehouse.transaction(async () => {
        await warehouse.execute(`INSERT INTO ${dialect.qualify(t('ddl_commit'))} VALUES (1)`);
        await warehouse.execute(dialect.createTableAs(t('side'), 'SELECT 1 AS "x"'));
        throw new Error('after DDL');
      }),
    ).rejects.toThrow('after DDL');
    expect(await warehouse.query(`SELECT "id" FROM ${dialect.qualify(t('ddl_commit'))}`)).toEqual([
      { id: 1 },
    ]);
  });
});

describe('snowflake dialect statements through the client', () => {
  const columns: ColumnDef[] = (
    ['string', 'integer', 'bigint', 'double', 'boolean', 'timestamp', 'date', 'json'] as LogicalType[]
  ).map((type) => ({ name: `c_${type}`, type }));

  it('createTable (primary key) and columnsQuery report the dialect type names in order', async () => {
    await warehouse.execute(dialect.createTable(t('typed'), columns, { primaryKey: ['c_integer'] }));
    // Sessions ignore the case of quoted names, so the catalog lists them upper-case.
    const reported = await warehouse.query<{ name: string; type: string }>(dialect.columnsQuery(t('typed')));
    expect(reported.map((row) => ({ name: row.name.toLowerCase(), type: row.type }))).toEqual(
      columns.map((column) => ({ name: column.name, type: dialect.typeName(column.type) })),
    );
    expect(await warehouse.query(dialect.columnsQuery(t('missing')))).toEqual([]);
  });

  it('createTableAs (TRANSIENT), createView, relationKindQuery, renameTable, dropRelation', async () => {
    await warehouse.execute(
      dialect.createTableAs(t('src'), `SELECT 1 AS "id", 'a' AS "v" UNION ALL SELECT 2, 'b'`),
    );
    expect(
      emulator.requests.some((request) => request.sqlText?.includes('CREATE OR REPLACE TRANSIENT TABLE')),
    ).toBe(true);
    await warehouse.execute(
      dialect.createView(t('src_view'), `SELECT "id" FROM ${dialect.qualify(t('src'))}`),
    );
    expect(await warehouse.query(dialect.relationKindQuery(t('src')))).toEqual([{ kind: 'table' }]);
    expect(await warehouse.query(dialect.relationKindQuery(t('src_view')))).toEqual([{ kind: 'view' }]);
    await warehouse.execute(dialect.renameTable(t('src'), 'renamed'));
    expect(await warehouse.query(dialect.relationKindQuery(t('src')))).toEqual([]);
    expect(await warehouse.query(`SELECT COUNT(*) AS "c" FROM ${dialect.qualify(t('renamed'))}`)).toEqual([
      { c: 2 },
    ]);
    await warehouse.execute(dialect.dropRelation(t('src_view'), 'view'));
    expect(await warehouse.query(dialect.relationKindQuery(t('src_view')))).toEqual([]);
  });

  it('merge updates, inserts and deletes; insertSelect, deleteMatching and except work', async () => {
    const target = t('profiles');
    await warehouse.execute(
      dialect.createTable(target, [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string' },
      ]),
    );
    await warehouse.execute(
      dialect.insertSelect(target, ['id', 'name'], `SELECT 1, 'old' UNION ALL SELECT 2, 'gone'`),
    );
    const source = `SELECT 1 AS "id", 'new' AS "name" UNION ALL SELECT 2, NULL UNION ALL SELECT 3, 'added'`;
    for (const sql of dialect.merge(target, source, ['id'], ['name'], {
      deleteWhen: 'weft_source."name" IS NULL',
    }))
      await warehouse.execute(sql);
    expect(
      await warehouse.query(`SELECT "id", "name" FROM ${dialect.qualify(target)} ORDER BY "id"`),
    ).toEqual([
      { id: 1, name: 'new' },
      { id: 3, name: 'added' },
    ]);
    await warehouse.execute(dialect.createTableAs(t('drop_keys'), 'SELECT 3 AS "id"'));
    await warehouse.execute(dialect.deleteMatching(target, t('drop_keys'), ['id']));
    expect(await warehouse.query(`SELECT "id" FROM ${dialect.qualify(target)}`)).toEqual([{ id: 1 }]);
    const difference = dialect.except(
      'SELECT 1 AS "x" UNION ALL SELECT 1 UNION ALL SELECT 2',
      'SELECT 2 AS "x"',
    );
    expect(await warehouse.query(difference)).toEqual([{ x: 1 }]);
  });

  it('expression helpers compute what JS computes', async () => {
    const digest = createHash('sha256').update('weft').digest('hex');
    const [row] = await warehouse.query(
      `SELECT ${dialect.sha256("'weft'")} AS "sha", ${dialect.hashBucket("'weft'", 7)} AS "bucket",
        ${dialect.regexpMatches("'abc123'", '[0-9]+')} AS "matches", ${dialect.trimChars("'xxaxx'", 'x')} AS "trimmed",
        ${dialect.substring("'abcdef'", 2, 3)} AS "sub", ${dialect.splitPart("'a,b,c'", ',', 2)} AS "part",
        ${dialect.textMatches("'50% off'", '%', 'contains')} AS "has_percent",
        ${dialect.regexpReplaceAll("'a-b-c'", '-', '+')} AS "replaced", ${dialect.literal('back\\slash')} AS "lit"`,
    );
    expect(row).toEqual({
      sha: digest,
      bucket: Number.parseInt(digest.slice(0, 8), 16) % 7,
      matches: true,
      trimmed: 'a',
      sub: 'bcd',
      part: 'b',
      has_percent: true,
      replaced: 'a+b+c',
      lit: 'back\\slash',
    });
    const [agg] = await warehouse.query(
      `SELECT ${dialect.stringAgg('"v"', '|', '"v"')} AS "joined" FROM (SELECT 'b' AS "v" UNION ALL SELECT 'a')`,
    );
    expect(agg).toEqual({ joined: 'a|b' });
    const [time] = await warehouse.query(
      `SELECT ${dialect.addDays(dialect.literal(new Date('2024-01-30T12:00:00Z')), 2)} AS "later"`,
    );
    expect(time).toEqual({ later: new Date('2024-02-01T12:00:00Z') });
  });
});

describe('snowflake identifier case (strict emulator)', () => {
  it('a quoted name must match how Snowflake stored it: unquoted aliases are stored upper-case', async () => {
    const strict = await startSnowflakeEmulator({ strictIdentifierCase: true });
    const session = await snowflakeEngine.open(passwordConfig(strict), { projectDir: process.cwd() });
    try {
      // weft's sessions ignore the case of quoted names; this one keeps Snowflake's default.
      await session.execute('ALTER SESSION SET QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE');
      await session.execute(dialect.createSchema('cased'));
      await session.execute(
        dialect.createTableAs({ schema: 'cased', name: 'bare' }, 'SELECT 1 AS contact_id'),
      );
      await session.execute(
        dialect.createTableAs({ schema: 'cased', name: 'quoted' }, 'SELECT 1 AS "email"'),
      );
      await expect(session.query('SELECT "contact_id" FROM "cased"."bare"')).rejects.toThrow(
        /invalid identifier '"contact_id"'/,
      );
      expect(await session.query('SELECT "CONTACT_ID" FROM "cased"."bare"')).toEqual([{ contact_id: 1 }]);
      expect(await session.query('SELECT "email" FROM "cased"."quoted"')).toEqual([{ email: 1 }]);
      await expect(session.query('SELECT 1 FROM "CASED"."quoted"')).rejects.toThrow(/invalid identifier/);
    } finally {
      await session.close();
      await strict.close();
    }
  });
});
