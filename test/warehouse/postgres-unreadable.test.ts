/**
 * One bad value never blocks a sync, on Postgres (issue 18, item 2): DATE 'infinity', a
 * year-294000 TIMESTAMP and TIMESTAMPTZ '-infinity' are read as UnreadableValues (the row is
 * rejected with the reason, the result is not failed), a year-20000 DATE still reads as a Date,
 * and the planner's count finds exactly the rows holding such values. Fails instead of skipping
 * when WEFT_REQUIRE_PG=1.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMappings } from '../../src/sync/mapping/compile.js';
import { countUnreadableRows } from '../../src/sync/planner/unreadable.js';
import { openWarehouse } from '../../src/warehouse/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { UnreadableValue } from '../../src/warehouse/unreadable-value.js';

const url = process.env.WEFT_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (process.env.WEFT_REQUIRE_PG === '1')
      throw new Error(`WEFT_REQUIRE_PG=1 but Postgres is not reachable: ${(error as Error).message}`);
    console.warn(`Skipping: Postgres is not reachable (${(error as Error).message})`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const live = await reachable();
const schema = `weft_unreadable_${process.pid}_${Date.now() % 100000}`;

describe.runIf(live)('postgres values JavaScript cannot hold', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openWarehouse({ type: 'postgres', url }, { projectDir: process.cwd() });
    await warehouse.execute(`CREATE SCHEMA ${schema}`);
    await warehouse.execute(`CREATE TABLE ${schema}.plan AS
      SELECT * FROM (VALUES
        ('added', 'p0', DATE '2025-01-01', TIMESTAMP '2025-01-01 10:00:00'),
        ('added', 'p1', DATE 'infinity', TIMESTAMP '2025-01-01 10:00:00'),
        ('changed', 'p2', DATE '2025-01-01', TIMESTAMP '294000-01-01 00:00:00'),
        ('changed', 'p3', DATE '-infinity', TIMESTAMP 'infinity'),
        ('removed', 'p4', DATE 'infinity', TIMESTAMP '2025-01-01 10:00:00')
      ) AS v("__weft_change", email, since, seen_at)`);
  });
  afterAll(async () => {
    await warehouse?.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await warehouse?.close();
  });

  it('reads them as UnreadableValues instead of failing or changing them', async () => {
    const [row] = await warehouse.query(`SELECT DATE 'infinity' AS d, TIMESTAMP '294000-01-01 00:00:00' AS t,
      TIMESTAMPTZ '-infinity' AS tz, DATE '20000-01-01' AS far, TIMESTAMP '2025-01-02 03:04:05' AS ok`);
    expect(row?.d).toEqual(new UnreadableValue('infinity', 'DATE', "DATE 'infinity' is not a point in time"));
    expect(row?.t).toBeInstanceOf(UnreadableValue);
    expect(String(row?.t)).toBe('294000-01-01 00:00:00');
    expect(row?.tz).toBeInstanceOf(UnreadableValue);
    expect(row?.far).toEqual(new Date('+020000-01-01T00:00:00Z'));
    expect(row?.ok).toEqual(new Date('2025-01-02T03:04:05Z'));
  });

  it('rejects only the rows holding them, with the reason', async () => {
    const rows = await warehouse.query(`SELECT email, since, seen_at FROM ${schema}.plan ORDER BY email`);
    const mapper = compileMappings({}, ['email', 'since', 'seen_at'], undefined);
    const mapped = rows.map((row) => mapper.map(row));
    expect(mapped.map((m) => m.ok)).toEqual([true, false, false, false, false]);
    expect(mapped[1]).toEqual({
      ok: false,
      reason: expect.stringMatching(/column 'since' holds DATE 'infinity', which cannot be sent as a date/),
    });
  });

  it('counts the plan rows to send that hold them, per column', async () => {
    const columns = [
      { name: 'email', type: 'text' },
      { name: 'since', type: 'date' },
      { name: 'seen_at', type: 'timestamp without time zone' },
    ];
    const counted = await countUnreadableRows(warehouse, { schema, name: 'plan' }, columns, [
      'email',
      'since',
      'seen_at',
    ]);
    expect(counted).toMatchObject({ rows: 3, columns: { since: 2, seen_at: 2 } });
    expect(
      await countUnreadableRows(warehouse, { schema, name: 'plan' }, columns, ['email']),
    ).toBeUndefined();
  });
});
