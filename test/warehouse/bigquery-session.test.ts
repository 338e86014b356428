/**
 * The BigQuery engine's session (one per warehouse: `_SESSION` temp tables, transactions, ended
 * on close) and the dialect's statements run end to end through the client, against the local
 * BigQuery endpoint.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BigQueryWarehouse } from '../../src/warehouse/bigquery/warehouse.js';
import type { ColumnDef, RelationRef } from '../../src/warehouse/types.js';
import { type BigQueryEmulator, startBigQueryEmulator } from '../support/bigquery-emulator/index.js';
import { openOnEmulator } from '../support/bigquery-emulator/open.js';

let emulator: BigQueryEmulator;

beforeAll(async () => {
  emulator = await startBigQueryEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

interface InsertBody {
  configuration: {
    query: {
      query: string;
      createSession?: boolean;
      connectionProperties?: { key: string; value: string }[];
    };
  };
}

function queryJobs(from: number): InsertBody['configuration']['query'][] {
  return emulator.requests
    .slice(from)
    .filter(
      (r) =>
        r.api === 'jobs.insert' && !(r.body as { configuration: { dryRun?: boolean } }).configuration.dryRun,
    )
    .map((r) => (r.body as InsertBody).configuration.query);
}

describe('session', () => {
  test('the first job creates a session, every later job joins it, close aborts it', async () => {
    const before = emulator.requests.length;
    const warehouse = await openOnEmulator(emulator);
    const temp = warehouse.dialect.tempRelation('scratch');
    await warehouse.execute(warehouse.dialect.createTempTableAs(temp, 'SELECT 1 AS id UNION ALL SELECT 2'));
    expect(await warehouse.query(`SELECT COUNT(*) AS c FROM ${warehouse.dialect.qualify(temp)}`)).toEqual([
      { c: 2 },
    ]);
    const sessionId = warehouse.sessionId;
    expect(sessionId).toBeDefined();
    await warehouse.close();
    await warehouse.close(); // idempotent: no second abort
    const jobs = queryJobs(before);
    expect(jobs[0]?.createSession).toBe(true);
    for (const job of jobs.slice(1)) {
      expect(job.createSession).toBeUndefined();
      expect(job.connectionProperties).toEqual([{ key: 'session_id', value: sessionId }]);
    }
    expect(jobs.at(-1)?.query).toBe('CALL BQ.ABORT_SESSION()');
    expect(jobs.filter((job) => job.query.includes('ABORT_SESSION'))).toHaveLength(1);
  });

  test('temp tables live in their session only', async () => {
    const first = await openOnEmulator(emulator);
    const second = await openOnEmulator(emulator);
    const temp = first.dialect.tempRelation('mine');
    await first.execute(first.dialect.createTempTableAs(temp, 'SELECT 1 AS id'));
    await second.execute('SELECT 1'); // second has its own session now
    await expect(second.query(`SELECT * FROM ${second.dialect.qualify(temp)}`)).rejects.toThrow(
      /Not found: Table/,
    );
    expect(await first.query(`SELECT id FROM ${first.dialect.qualify(temp)}`)).toEqual([{ id: 1 }]);
    await first.close();
    await second.close();
  });

  test('a dry run joins the session, so it sees its temp tables', async () => {
    const warehouse = await openOnEmulator(emulator);
    const temp = warehouse.dialect.tempRelation('priced');
    await warehouse.execute(warehouse.dialect.createTempTableAs(temp, 'SELECT 1 AS id'));
    const estimate = await warehouse.estimateCost(`SELECT id FROM ${warehouse.dialect.qualify(temp)}`);
    expect(estimate.bytesProcessed).toBe(0);
    await expect(warehouse.estimateCost('SELECT id FROM _SESSION.not_there')).rejects.toThrow(
      /Not found: Table/,
    );
    await warehouse.close();
  });

  test('a transaction commits its statements together', async () => {
    const warehouse = await openOnEmulator(emulator);
    const ref = { schema: 'tx_ds', name: 'ledger' };
    await warehouse.execute(warehouse.dialect.createSchema(ref.schema));
    await warehouse.execute(
      warehouse.dialect.createTable(ref, [{ name: 'id', type: 'bigint' }], { replace: true }),
    );
    const table = warehouse.dialect.qualify(ref);
    const result = await warehouse.transaction(async () => {
      await warehouse.execute(`INSERT INTO ${table} (id) VALUES (1)`);
      await warehouse.execute(`INSERT INTO ${table} (id) VALUES (2)`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await warehouse.query(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);

    const failed = warehouse.transaction(async () => {
      await warehouse.execute(`INSERT INTO ${table} (id) VALUES (3)`);
      throw new Error('body failed');
    });
    await expect(failed).rejects.toThrow('body failed');
    expect(await warehouse.query(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    await warehouse.close();
  });

  test('a transaction uses BigQuery spellings and rolls back when a statement fails', async () => {
    const warehouse = await openOnEmulator(emulator);
    const before = emulator.requests.length;
    const ref = { schema: 'tx_ds', name: 'strict' };
    await warehouse.execute(warehouse.dialect.createSchema(ref.schema));
    await warehouse.execute(
      warehouse.dialect.createTable(ref, [{ name: 'id', type: 'bigint' }], { replace: true }),
    );
    const table = warehouse.dialect.qualify(ref);
    const failed = warehouse.transaction(async () => {
      await warehouse.execute(`INSERT INTO ${table} (id) VALUES (1)`);
      await warehouse.execute(`INSERT INTO ${table} (no_such_column) VALUES (2)`);
    });
    await expect(failed).rejects.toMatchObject({ name: 'WarehouseError' });
    expect(await warehouse.query(`SELECT COUNT(*) AS c FROM ${table}`)).toEqual([{ c: 0 }]);
    const statements = queryJobs(before).map((job) => job.query);
    expect(statements).toContain('BEGIN TRANSACTION');
    expect(statements).toContain('ROLLBACK');
    await warehouse.close();
  });
});

describe('dialect statements through the client', () => {
  let warehouse: BigQueryWarehouse;
  const people: RelationRef = { schema: 'dialect_ds', name: 'people' };
  const columns: ColumnDef[] = [
    { name: 'id', type: 'bigint' },
    { name: 'name', type: 'string' },
  ];

  beforeAll(async () => {
    warehouse = await openOnEmulator(emulator);
    await warehouse.execute(warehouse.dialect.createSchema(people.schema));
  });
  afterAll(async () => {
    await warehouse?.close();
  });

  const q = (ref: RelationRef) => warehouse.dialect.qualify(ref);

  test('createTable (with a primary key), insertSelect, createTableAs, createView, relationKindQuery', async () => {
    const d = warehouse.dialect;
    await warehouse.execute(d.createTable(people, columns, { replace: true, primaryKey: ['id'] }));
    await warehouse.execute(
      d.insertSelect(people, ['id', 'name'], `SELECT 1 AS id, 'Ada' AS name UNION ALL SELECT 2, 'Bob'`),
    );
    const copy = { schema: 'dialect_ds', name: 'people_copy' };
    await warehouse.execute(d.createTableAs(copy, `SELECT id, UPPER(name) AS name FROM ${q(people)}`));
    const view = { schema: 'dialect_ds', name: 'people_view' };
    await warehouse.execute(d.createView(view, `SELECT name FROM ${q(copy)} WHERE id = 2`));
    expect(await warehouse.query(`SELECT name FROM ${q(view)}`)).toEqual([{ name: 'BOB' }]);
    expect(await warehouse.query(d.relationKindQuery(view))).toEqual([{ kind: 'view' }]);
    expect(await warehouse.query(d.relationKindQuery(copy))).toEqual([{ kind: 'table' }]);
    expect(await warehouse.query(d.columnsQuery(copy))).toEqual([
      { name: 'id', type: 'INT64' },
      { name: 'name', type: 'STRING' },
    ]);
  });

  test('renameTable, dropRelation and except', async () => {
    const d = warehouse.dialect;
    const old = { schema: 'dialect_ds', name: 'old_name' };
    await warehouse.execute(d.createTableAs(old, 'SELECT 1 AS id UNION ALL SELECT 1 UNION ALL SELECT 2'));
    await warehouse.execute(d.renameTable(old, 'new_name'));
    const renamed = { schema: 'dialect_ds', name: 'new_name' };
    expect(await warehouse.query(d.relationKindQuery(old))).toEqual([]);
    expect(await warehouse.query(d.except(`SELECT id FROM ${q(renamed)}`, 'SELECT 2 AS id'))).toEqual([
      { id: 1 },
    ]);
    await warehouse.execute(d.dropRelation(renamed, 'table'));
    expect(await warehouse.query(d.relationKindQuery(renamed))).toEqual([]);
  });

  test('merge updates, inserts and deletes; deleteMatching removes matching keys', async () => {
    const d = warehouse.dialect;
    const target = { schema: 'dialect_ds', name: 'merge_target' };
    await warehouse.execute(
      d.createTableAs(target, `SELECT 1 AS id, 'a' AS name UNION ALL SELECT 2, 'b' UNION ALL SELECT 3, 'c'`),
    );
    const source = `SELECT 1 AS id, 'A' AS name, FALSE AS gone UNION ALL SELECT 2, 'B', TRUE UNION ALL SELECT 4, 'D', FALSE`;
    for (const statement of d.merge(target, source, ['id'], ['name'], { deleteWhen: 'weft_source.gone' })) {
      await warehouse.execute(statement);
    }
    expect(await warehouse.query(`SELECT id, name FROM ${q(target)} ORDER BY id`)).toEqual([
      { id: 1, name: 'A' },
      { id: 3, name: 'c' },
      { id: 4, name: 'D' },
    ]);
    const keys = { schema: 'dialect_ds', name: 'merge_keys' };
    await warehouse.execute(d.createTableAs(keys, 'SELECT 3 AS id'));
    await warehouse.execute(d.deleteMatching(target, keys, ['id']));
    expect(await warehouse.query(`SELECT id FROM ${q(target)} ORDER BY id`)).toEqual([{ id: 1 }, { id: 4 }]);
  });
});
