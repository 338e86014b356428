/**
 * `loadFromDatabase` from the real MariaDB into every live engine: exact types, cursor
 * increments, --full, the three modes, and errors that name the connection without its password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFromDatabase } from '../../src/load/database/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';
import {
  MARIADB_URL,
  mariadbAvailable,
  mariadbFixture,
  minimalProject,
  uniqueTable,
} from './database-support.js';
import { normalize } from './database-values.js';

const ROWS = 200;

/** Row i of the fixture: every value pinned, a few NULLs. */
function sourceRow(i: number) {
  return {
    id: i,
    amount: i % 7 === 0 ? null : `${i % 100}2345678901234567890123456.${String(i).padStart(10, '0')}`,
    big: `${9007199254740993n + BigInt(i)}`,
    day: i % 11 === 0 ? null : `2024-02-${String((i % 28) + 1).padStart(2, '0')}`,
    created: `2025-03-04 05:06:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}`,
    exact_ts: `2025-03-04 05:06:07.${String(100000 + i).padStart(6, '0')}`,
    note: i % 5 === 0 ? null : `é ñ 😀 “row” ${i}`,
    payload: i % 13 === 0 ? null : JSON.stringify({ i, tags: ['a', 'b'], nested: { ok: i % 2 === 0 } }),
    score: i / 8,
    updated_at: `2026-01-01 00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`,
  };
}

const KINDS = {
  id: 'bigint',
  amount: 'text',
  big: 'bigint',
  day: 'date',
  created: 'timestamp',
  exact_ts: 'text',
  note: 'text',
  payload: 'json',
  score: 'number',
  updated_at: 'timestamp',
} as const;

const describeMaria = describe.runIf(mariadbAvailable);

for (const { engine, config } of liveEngines()) {
  describeMaria(`weft load --from MariaDB into ${engine.name}`, () => {
    const d = engine.dialect;
    const schema = uniqueSchema('weft_dbload');
    const stateSchema = uniqueSchema('weft_dbstate');
    const table = uniqueTable('weft_orders');
    let maria: Knex;
    let warehouse: Warehouse;
    let dir: string;
    const project = () => minimalProject(dir, stateSchema);
    const into = `${schema}.orders`;

    async function sourceRows() {
      const rows = (await maria(table).select('*').orderBy('id')) as Array<Record<string, unknown>>;
      return rows.map((r) => normalize(r, KINDS));
    }
    async function loadedRows() {
      const rows = await warehouse.query(
        `SELECT * FROM ${d.qualify({ schema, name: 'orders' })} ORDER BY id`,
      );
      return rows.map((r) => normalize(r, KINDS));
    }

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dbload-'));
      warehouse = await engine.open(config, { projectDir: dir });
      maria = mariadbFixture();
      await maria.raw(`CREATE TABLE ${table} (
        id BIGINT PRIMARY KEY, amount DECIMAL(38,10), big BIGINT, day DATE, created DATETIME(3),
        exact_ts DATETIME(6), note VARCHAR(100) CHARACTER SET utf8mb4, payload JSON, score DOUBLE,
        updated_at DATETIME(3)) DEFAULT CHARSET=utf8mb4`);
      await maria(table).insert(Array.from({ length: ROWS }, (_, i) => sourceRow(i)));
    }, 120_000);
    afterAll(async () => {
      await maria?.raw(`DROP TABLE IF EXISTS ${table}`);
      await maria?.destroy();
      for (const s of [schema, stateSchema])
        await warehouse?.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdent(s)} CASCADE`).catch(() => undefined);
      await warehouse?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('replace: every type round-trips exactly (DECIMAL(38,10), BIGINT > 2^53, dates, fractions, NULLs, utf8, JSON)', async () => {
      const summary = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        table,
        into,
        mode: 'replace',
      });
      expect(summary.rows_read).toBe(ROWS);
      expect(summary.rows_loaded).toBe(ROWS);
      expect(summary.inputs).toEqual([`${MARIADB_URL} table ${table}`]);
      expect(summary.cursor).toBeUndefined();
      const loaded = await loadedRows();
      expect(loaded).toEqual(await sourceRows());
      expect(loaded[1]).toMatchObject({
        amount: '12345678901234567890123456.0000000001',
        big: '9007199254740994',
      });
    }, 120_000);

    it('cursor + key: the next load reads only new and changed rows (>= the stored value), then equals the source', async () => {
      const first = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        table,
        into,
        mode: 'replace',
        key: ['id'],
        cursor: 'updated_at',
        full: true,
      });
      expect(first).toMatchObject({ mode: 'replace', rows_read: ROWS, cursor: '2026-01-01 00:03:19.000' });
      await maria(table).insert([
        sourceRow(ROWS),
        { ...sourceRow(ROWS + 1), updated_at: '2026-02-01 00:00:01.000' },
      ]);
      await maria(table)
        .whereIn('id', [10, 20, 30])
        .update({ note: 'changed', updated_at: '2026-01-15 00:00:00.000' });
      const next = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        table,
        into,
        mode: 'replace',
        key: ['id'],
        cursor: 'updated_at',
      });
      // 2 new + 3 updated + the row sharing the stored maximum (read again, merged harmlessly)
      expect(next).toMatchObject({
        mode: 'upsert',
        rows_read: 6,
        rows_loaded: 6,
        cursor: '2026-02-01 00:00:01.000',
      });
      expect(await loadedRows()).toEqual(await sourceRows());
      const again = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        table,
        into,
        mode: 'replace',
        key: ['id'],
        cursor: 'updated_at',
      });
      expect(again.rows_read).toBe(1);
      const full = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        table,
        into,
        mode: 'upsert',
        key: ['id'],
        cursor: 'updated_at',
        full: true,
      });
      expect(full.rows_read).toBe(ROWS + 2);
      expect(await loadedRows()).toEqual(await sourceRows());
    }, 120_000);

    it('cursor without key appends only rows above the stored value (>)', async () => {
      const appendInto = `${schema}.orders_log`;
      const query = `SELECT id, updated_at FROM ${table}`;
      const first = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        query,
        into: appendInto,
        mode: 'replace',
        cursor: 'updated_at',
      });
      expect(first).toMatchObject({ mode: 'append', rows_read: ROWS + 2 });
      await maria(table).insert({ ...sourceRow(ROWS + 2), updated_at: '2026-03-01 00:00:00.000' });
      const next = await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        query,
        into: appendInto,
        mode: 'replace',
        cursor: 'updated_at',
      });
      expect(next).toMatchObject({ mode: 'append', rows_read: 1, cursor: '2026-03-01 00:00:00.000' });
      const [count] = await warehouse.query(
        `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ${d.qualify({ schema, name: 'orders_log' })}`,
      );
      expect([Number(count?.n), Number(count?.ids)]).toEqual([ROWS + 3, ROWS + 3]);
    }, 120_000);

    it('append without a cursor adds, replace swaps the whole table', async () => {
      const small = `${schema}.small`;
      const query = `SELECT id, note FROM ${table} WHERE id < 3`;
      await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        query,
        into: small,
        mode: 'replace',
      });
      await loadFromDatabase(project(), warehouse, { from: MARIADB_URL, query, into: small, mode: 'append' });
      const count = async () =>
        Number(
          (await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify({ schema, name: 'small' })}`))[0]?.n,
        );
      expect(await count()).toBe(6);
      await loadFromDatabase(project(), warehouse, {
        from: MARIADB_URL,
        query,
        into: small,
        mode: 'replace',
      });
      expect(await count()).toBe(3);
    }, 120_000);
  });
}

describeMaria('weft load --from MariaDB: errors name the connection, never the password', () => {
  const secret = 'Sup3r-s3cret_pw';
  const badUrl = MARIADB_URL.replace('://root@', `://root:${secret}@`);
  let warehouse: Warehouse;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dbload-err-'));
    const duck = liveEngines().find((e) => e.engine.name === 'duckdb')!;
    warehouse = await duck.engine.open(duck.config, { projectDir: dir });
  });
  afterAll(async () => {
    await warehouse?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const load = (from: string, table: string) =>
    loadFromDatabase(minimalProject(dir, 'weft_state'), warehouse, {
      from,
      table,
      into: 'shop.orders',
      mode: 'replace',
    });
  const failure = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { cause?: unknown };
    expect(error).toBeInstanceOf(Error);
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause ?? '')}`;
    expect(everything).not.toContain(secret);
    return error.message;
  };

  it('a wrong password', async () => {
    const message = await failure(load(badUrl, 'anything'));
    expect(message).toContain('cannot connect to mysql://root:***@127.0.0.1:3306/test');
    expect(message).toMatch(/Access denied/);
  });
  it('a missing table', async () => {
    const message = await failure(load(MARIADB_URL, 'weft_no_such_table'));
    expect(message).toContain(`cannot read table weft_no_such_table from ${MARIADB_URL}`);
    expect(message).toMatch(/doesn't exist/);
  });
  it('an unreachable host', async () => {
    const message = await failure(load(`mysql://root:${secret}@127.0.0.1:1/test`, 'orders'));
    expect(message).toContain('cannot connect to mysql://root:***@127.0.0.1:1/test');
    expect(message).toMatch(/ECONNREFUSED/);
  });
  it('a bad query', async () => {
    const error = await loadFromDatabase(minimalProject(dir, 'weft_state'), warehouse, {
      from: badUrl.replace(`:${secret}`, ''),
      query: 'SELEKT 1',
      into: 'shop.q',
      mode: 'replace',
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(`cannot run the --query on ${MARIADB_URL}`);
    expect(error?.message).toMatch(/SQL syntax/);
  });
});
