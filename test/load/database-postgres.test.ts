/**
 * `loadFromDatabase` from the local Postgres as a source (WEFT_TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/test; skipped with a reason unless WEFT_REQUIRE_PG=1):
 * exact types, a cursor increment, and a missing table's message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFromDatabase } from '../../src/load/database/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, postgresTestConfig, uniqueSchema } from '../support/live-engines.js';
import { minimalProject, postgresFixture, uniqueTable } from './database-support.js';
import { normalize } from './database-values.js';

const sourceUrl = postgresTestConfig()?.url as string | undefined;
const describePg = describe.runIf(Boolean(sourceUrl));
const KINDS = {
  id: 'bigint',
  amount: 'text',
  big: 'bigint',
  day: 'date',
  at_ms: 'timestamp',
  at_us: 'text',
  at_tz: 'timestamp',
  note: 'text',
  doc: 'json',
  ok: 'text',
} as const;

function row(i: number) {
  return {
    id: i,
    amount: i % 4 === 0 ? null : `${i}2345678901234567890123456.${String(i).padStart(10, '0')}`,
    big: `${9223372036854775000n + BigInt(i)}`,
    day: `2023-12-${String((i % 30) + 1).padStart(2, '0')}`,
    at_ms: `2024-05-06 07:08:09.${String(i).padStart(3, '0')}`,
    at_us: `2024-05-06 07:08:09.${String(123000 + i).padStart(6, '0')}`,
    at_tz: `2024-05-06 07:08:${String(i % 60).padStart(2, '0')}.5+02`,
    note: i % 3 === 0 ? null : `ü ß 🚀 ${i}`,
    doc: JSON.stringify({ i, list: [1, 2], s: 'x' }),
    ok: i % 2 === 0,
  };
}

for (const { engine, config } of liveEngines().filter((e) =>
  ['duckdb', 'postgres'].includes(e.engine.name),
)) {
  describePg(`weft load --from Postgres into ${engine.name}`, () => {
    const d = engine.dialect;
    const table = uniqueTable('weft_pg_src');
    const schema = uniqueSchema('weft_pgload');
    const stateSchema = uniqueSchema('weft_pgstate');
    let source: Knex;
    let warehouse: Warehouse;
    let dir: string;
    const project = () => minimalProject(dir, stateSchema);
    const expected = async () =>
      (
        await source.raw(
          `SELECT id, amount::text, big::text, day::text, at_ms::text, at_us::text, at_tz, note, doc::text, ok::text FROM ${table} ORDER BY id`,
        )
      ).rows.map((r: Record<string, unknown>) =>
        normalize({ ...r, ok: r.ok === 'true' ? 'true' : 'false' }, KINDS),
      );
    const loaded = async () =>
      (await warehouse.query(`SELECT * FROM ${d.qualify({ schema, name: 'items' })} ORDER BY id`)).map((r) =>
        normalize({ ...r, ok: String(r.ok) }, KINDS),
      );

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-pgload-'));
      warehouse = await engine.open(config, { projectDir: dir });
      source = postgresFixture(sourceUrl as string);
      await source.raw(`CREATE TABLE ${table} (id int8 PRIMARY KEY, amount numeric(38,10), big int8, day date,
        at_ms timestamp(3), at_us timestamp, at_tz timestamptz(3), note text, doc jsonb, ok boolean)`);
      await source(table).insert(Array.from({ length: 40 }, (_, i) => row(i)));
    }, 60_000);
    afterAll(async () => {
      await source?.raw(`DROP TABLE IF EXISTS ${table}`);
      await source?.destroy();
      for (const s of [schema, stateSchema])
        await warehouse?.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdent(s)} CASCADE`).catch(() => undefined);
      await warehouse?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('numeric(38,10), int8 near 2^63, date, timestamp(3), timestamp(6) as exact text, timestamptz, jsonb, NULLs round-trip', async () => {
      const summary = await loadFromDatabase(project(), warehouse, {
        from: sourceUrl as string,
        table,
        into: `${schema}.items`,
        mode: 'replace',
      });
      expect(summary.rows_read).toBe(40);
      const rows = await loaded();
      expect(rows).toEqual(await expected());
      expect(rows[1]).toMatchObject({ at_us: '2024-05-06 07:08:09.123001', big: '9223372036854775001' });
    }, 60_000);

    it('a cursor on a bigint id reads only the new rows', async () => {
      const request = {
        from: sourceUrl as string,
        table,
        into: `${schema}.items`,
        mode: 'replace' as const,
        key: ['id'],
        cursor: 'id',
      };
      const first = await loadFromDatabase(project(), warehouse, { ...request, full: true });
      expect(first).toMatchObject({ rows_read: 40, cursor: '39' });
      await source(table).insert([row(40), row(41)]);
      const next = await loadFromDatabase(project(), warehouse, request);
      expect(next).toMatchObject({ mode: 'upsert', rows_read: 3, cursor: '41' });
      expect(await loaded()).toEqual(await expected());
    }, 60_000);

    it('a missing table names the connection', async () => {
      const error = await loadFromDatabase(project(), warehouse, {
        from: sourceUrl as string,
        table: 'weft_missing_table',
        into: `${schema}.x`,
        mode: 'replace',
      }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toContain(`cannot read table weft_missing_table from ${sourceUrl}`);
      expect(error?.message).toMatch(/does not exist/);
    }, 60_000);
  });
}
