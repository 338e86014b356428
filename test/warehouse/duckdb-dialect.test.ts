import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../src/warehouse/duckdb/dialect.js';

/** Exact DuckDB SQL text; dialects.test.ts checks that it runs. */
describe('duckdb dialect (golden)', () => {
  it('doubles embedded double quotes and refuses empty identifiers', () => {
    expect(d.quoteIdent('a"b')).toBe('"a""b"');
    expect(d.quoteIdent('""')).toBe('""""""');
    expect(d.qualify({ schema: 'raw', name: 'Orders' })).toBe('"raw"."Orders"');
    expect(() => d.quoteIdent('')).toThrow(/empty/);
  });

  it('escapes string literals the standard way (backslashes are literal)', () => {
    expect(d.literal("it's")).toBe("'it''s'");
    expect(d.literal('a\\b')).toBe("'a\\b'");
    expect(d.literal('x\ny')).toBe("'x\ny'");
    expect(d.literal('a\0b')).toBe("('a' || chr(0) || 'b')");
  });

  it('writes numbers, bigints, booleans, null and dates', () => {
    expect(d.literal(42)).toBe('42');
    expect(d.literal(-1.5)).toBe('(-1.5)');
    expect(d.literal(2n ** 70n)).toBe('1180591620717411303424');
    expect(d.literal(-3n)).toBe('(-3)');
    expect(d.literal(Number.NaN)).toBe("'NaN'::DOUBLE");
    expect(d.literal(true)).toBe('TRUE');
    expect(d.literal(null)).toBe('NULL');
    expect(d.literal(new Date('2024-01-02T03:04:05.678Z'))).toBe("TIMESTAMP '2024-01-02 03:04:05.678'");
  });

  it('maps logical types to DuckDB names', () => {
    expect(
      ['string', 'integer', 'bigint', 'double', 'boolean', 'timestamp', 'date', 'json'].map((t) =>
        d.typeName(t as never),
      ),
    ).toEqual(['VARCHAR', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP', 'DATE', 'JSON']);
    expect(d.cast('x', 'bigint')).toBe('CAST(x AS BIGINT)');
    expect(d.sha256('email')).toBe('sha256(email)');
  });

  it('builds DDL', () => {
    const ref = { schema: 's', name: 't' };
    expect(d.createSchema('s')).toBe('CREATE SCHEMA IF NOT EXISTS "s"');
    expect(
      d.createTable(ref, [
        { name: 'id', type: 'bigint' },
        { name: 'e', type: 'string' },
      ]),
    ).toBe('CREATE TABLE IF NOT EXISTS "s"."t" ("id" BIGINT, "e" VARCHAR)');
    expect(d.createTable(ref, [{ name: 'id', type: 'integer' }], { replace: true })).toBe(
      'CREATE OR REPLACE TABLE "s"."t" ("id" INTEGER)',
    );
    expect(d.createTableAs(ref, 'select 1;\n')).toBe('CREATE OR REPLACE TABLE "s"."t" AS\nselect 1\n');
    expect(d.createView(ref, 'select 1')).toBe('CREATE OR REPLACE VIEW "s"."t" AS\nselect 1\n');
    expect(d.dropRelation(ref, 'view')).toBe('DROP VIEW IF EXISTS "s"."t"');
    expect(d.dropRelation(ref, 'table')).toBe('DROP TABLE IF EXISTS "s"."t"');
    expect(d.renameTable(ref, 'u')).toBe('ALTER TABLE "s"."t" RENAME TO "u"');
    expect(d.addColumn(ref, { name: 'new col', type: 'double' })).toBe(
      'ALTER TABLE "s"."t" ADD COLUMN IF NOT EXISTS "new col" DOUBLE',
    );
  });

  it('builds DML and set operations', () => {
    const ref = { schema: 's', name: 't' };
    expect(d.insertSelect(ref, ['a', 'b'], 'select 1, 2')).toBe(
      'INSERT INTO "s"."t" ("a", "b")\nselect 1, 2\n',
    );
    expect(d.deleteMatching(ref, { schema: 's', name: 'k' }, ['a', 'b'])).toBe(
      'DELETE FROM "s"."t" AS weft_target WHERE EXISTS (SELECT 1 FROM "s"."k" AS weft_source WHERE ' +
        'weft_source."a" = weft_target."a" AND weft_source."b" = weft_target."b")',
    );
    expect(d.except('select 1', 'select 2;')).toBe('(\nselect 1\n)\nEXCEPT\n(\nselect 2\n)');
  });

  it('reads relation kinds and columns from information_schema', () => {
    const ref = { schema: 's', name: "o'k" };
    expect(d.relationKindQuery(ref)).toContain('information_schema.tables');
    expect(d.relationKindQuery(ref)).toContain("lower('o''k')");
    expect(d.columnsQuery(ref)).toContain('ORDER BY ordinal_position');
  });
});
