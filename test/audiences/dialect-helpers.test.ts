/**
 * The dialect helpers audiences use (currentTimestamp, addDays, textMatches, hashBucket): SQL
 * shape for every registered engine, and behaviour on DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitBucket } from '../../src/audiences/index.js';
import { openWarehouse, registeredEngines } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

for (const engine of registeredEngines()) {
  const { dialect } = engine;
  describe(`${engine.name} audience helpers (pure)`, () => {
    it('rejects fractional days and bucket counts below one', () => {
      expect(() => dialect.addDays('x', 1.5)).toThrow(/whole number/);
      expect(() => dialect.hashBucket('x', 0)).toThrow(/at least one bucket/);
    });
  });
}

describe('duckdb audience helpers', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  });
  afterAll(async () => {
    await warehouse.close();
  });
  const one = async (sql: string) => (await warehouse.query(`SELECT ${sql} AS v`))[0]?.v;

  const texts = ['', 'plain', '100%', 'a_b', 'back\\slash', "it's", '%_\\', '🦆 ünï'];
  it('textMatches takes %, _ and \\ literally in contains / starts_with / ends_with', async () => {
    const subjects = ['plain text', '100% sure', 'a_b', 'axb', 'back\\slash', "it's", 'x%_\\y', '🦆 ünïcødé'];
    for (const subject of subjects) {
      for (const text of texts) {
        for (const how of ['contains', 'starts_with', 'ends_with'] as const) {
          const expected =
            how === 'contains'
              ? subject.includes(text)
              : how === 'starts_with'
                ? subject.startsWith(text)
                : subject.endsWith(text);
          const sql = warehouse.dialect.textMatches(warehouse.dialect.literal(subject), text, how);
          expect(await one(sql), `${how}(${JSON.stringify(subject)}, ${JSON.stringify(text)})`).toBe(
            expected,
          );
        }
      }
    }
  });

  it('textMatches is case-sensitive and NULL on NULL', async () => {
    expect(await one(warehouse.dialect.textMatches("'ABC'", 'b', 'contains'))).toBe(false);
    expect(await one(warehouse.dialect.textMatches('NULL', 'b', 'contains'))).toBe(null);
  });

  it('addDays moves timestamps and dates by whole days both ways', async () => {
    const d = warehouse.dialect;
    const at = d.literal(new Date('2025-03-01T12:00:00Z'));
    expect(String(await one(`CAST(${d.addDays(at, -1)} AS VARCHAR)`))).toBe('2025-02-28 12:00:00');
    expect(String(await one(`CAST(${d.addDays(at, 31)} AS VARCHAR)`))).toBe('2025-04-01 12:00:00');
    expect(String(await one(`CAST(${d.addDays("DATE '2024-03-01'", -1)} AS VARCHAR)`))).toBe(
      '2024-02-29 00:00:00',
    );
    expect(String(await one(`CAST(${d.addDays(at, 0)} AS VARCHAR)`))).toBe('2025-03-01 12:00:00');
  });

  it('currentTimestamp is UTC wall time, whatever the session time zone', async () => {
    await warehouse.execute("SET TimeZone = 'America/New_York'");
    const text = String(await one(`CAST(${warehouse.dialect.currentTimestamp()} AS VARCHAR)`));
    await warehouse.execute("SET TimeZone = 'UTC'");
    const now = new Date(`${text.replace(' ', 'T')}Z`).getTime();
    // A clock check, not a speed check: New York is 4-5 hours off UTC, far beyond this margin.
    expect(Math.abs(now - Date.now())).toBeLessThan(30 * 60 * 1000);
  });

  it('hashBucket equals the JS bucket (first 32 bits of SHA-256, mod n)', async () => {
    const inputs = ['a:b', 'win_back:p_000001', '', 'ünïcødé:🦆', "quote':x"];
    for (const input of inputs) {
      const sql = warehouse.dialect.hashBucket(warehouse.dialect.literal(input), 100);
      const [audience, ...rest] = input.split(':');
      const expected = input.includes(':') ? splitBucket(audience!, rest.join(':')) : undefined;
      const bucket = Number(await one(sql));
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(100);
      if (expected !== undefined) expect(bucket, input).toBe(expected);
    }
    expect(Number(await one(warehouse.dialect.hashBucket("'x'", 7)))).toBeLessThan(7);
  });
});
