/**
 * The BigQuery engine's stream (getQueryResults pages of chunkRows rows) and load (load jobs
 * with a multipart NDJSON upload) against the local BigQuery endpoint.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BigQueryWarehouse } from '../../src/warehouse/bigquery/warehouse.js';
import { type ColumnDef, WarehouseError } from '../../src/warehouse/types.js';
import { type BigQueryEmulator, startBigQueryEmulator } from '../support/bigquery-emulator/index.js';
import { openOnEmulator } from '../support/bigquery-emulator/open.js';

let emulator: BigQueryEmulator;
let warehouse: BigQueryWarehouse;

beforeAll(async () => {
  emulator = await startBigQueryEmulator();
  warehouse = await openOnEmulator(emulator);
});
afterAll(async () => {
  await warehouse?.close();
  await emulator?.close();
});

const numbers: ColumnDef[] = [
  { name: 'n', type: 'bigint' },
  { name: 'label', type: 'string' },
];

/** The configuration of the last load job the endpoint ran. */
function lastLoadConfiguration() {
  return [...emulator.jobs.values()].filter((job) => 'load' in job.configuration).at(-1)?.configuration;
}

function pageCalls(from: number) {
  return emulator.requests
    .slice(from)
    .filter((r) => r.api === 'jobs.getQueryResults' && r.params.maxResults !== '0');
}

describe('stream', () => {
  beforeAll(async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [i + 1, `row ${i + 1}`]);
    await warehouse.load({ schema: 'stream_ds', name: 'numbers' }, numbers, rows);
  });

  test('yields pages of chunkRows rows, one getQueryResults call per page', async () => {
    const before = emulator.requests.length;
    const chunks: number[][] = [];
    for await (const chunk of warehouse.stream('SELECT n FROM `stream_ds`.`numbers` ORDER BY n', {
      chunkRows: 10,
    })) {
      chunks.push(chunk.map((row) => row.n as number));
    }
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const calls = pageCalls(before);
    expect(calls.map((c) => c.params.maxResults)).toEqual(['10', '10', '10']);
    expect(calls[0]?.params.pageToken).toBeUndefined();
    expect(calls[1]?.params.pageToken).toBeDefined();
  });

  test('breaking early stops fetching pages', async () => {
    const before = emulator.requests.length;
    for await (const chunk of warehouse.stream('SELECT n FROM `stream_ds`.`numbers` ORDER BY n', {
      chunkRows: 5,
    })) {
      expect(chunk).toHaveLength(5);
      break;
    }
    expect(pageCalls(before)).toHaveLength(1);
    // The warehouse is still usable after the abandoned stream.
    expect(await warehouse.query('SELECT COUNT(*) AS c FROM `stream_ds`.`numbers`')).toEqual([{ c: 25 }]);
  });

  test('a failing query fails the stream with a WarehouseError carrying the SQL', async () => {
    const sql = 'SELECT missing_column FROM `stream_ds`.`numbers`';
    const consume = async () => {
      for await (const _ of warehouse.stream(sql)) {
        // nothing
      }
    };
    await expect(consume()).rejects.toMatchObject({ name: 'WarehouseError', sql });
  });
});

describe('load', () => {
  const columns: ColumnDef[] = [
    { name: 'id', type: 'bigint' },
    { name: 'name', type: 'string' },
    { name: 'score', type: 'double' },
    { name: 'active', type: 'boolean' },
    { name: 'seen_at', type: 'timestamp' },
    { name: 'born', type: 'date' },
    { name: 'traits', type: 'json' },
    { name: 'small', type: 'integer' },
  ];
  const ref = { schema: 'load_ds', name: 'people' };

  test('replace runs a load job with the columns as schema and reads back the same values', async () => {
    const before = emulator.requests.length;
    const count = await warehouse.load(ref, columns, [
      [
        9007199254740993n,
        'Ada',
        1.5,
        true,
        new Date('2024-01-02T03:04:05.678Z'),
        '1990-05-06',
        { vip: true },
        7,
      ],
      [2, 'Bob', null, false, '2024-03-04 05:06:07', new Date('2000-01-01T00:00:00Z'), '{"a":1}', null],
    ]);
    expect(count).toBe(2);
    const rows = await warehouse.query(`SELECT * FROM \`load_ds\`.\`people\` ORDER BY name`);
    expect(rows).toEqual([
      {
        id: 9007199254740993n,
        name: 'Ada',
        score: 1.5,
        active: true,
        seen_at: new Date('2024-01-02T03:04:05.678Z'),
        born: new Date('1990-05-06T00:00:00Z'),
        traits: '{"vip":true}',
        small: 7,
      },
      {
        id: 2,
        name: 'Bob',
        score: null,
        active: false,
        seen_at: new Date('2024-03-04T05:06:07Z'),
        born: new Date('2000-01-01T00:00:00Z'),
        traits: '{"a":1}',
        small: null,
      },
    ]);
    const upload = emulator.requests.slice(before).find((r) => r.api === 'jobs.upload');
    expect(upload?.params.uploadType).toBe('multipart');
    expect(lastLoadConfiguration()).toMatchObject({
      load: {
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_IF_NEEDED',
        destinationTable: { projectId: 'weft-test', datasetId: 'load_ds', tableId: 'people' },
        schema: {
          fields: expect.arrayContaining([{ name: 'seen_at', type: 'TIMESTAMP', mode: 'NULLABLE' }]),
        },
      },
    });
    expect(emulator.requests.slice(before).some((r) => r.path.includes('insertAll'))).toBe(false);
  });

  test('replace replaces the rows, append adds to them', async () => {
    const two = [
      [1, 'one'],
      [2, 'two'],
    ];
    const target = { schema: 'load_ds', name: 'modes' };
    await warehouse.load(target, numbers, two);
    await warehouse.load(target, numbers, [[3, 'three']]);
    expect(await warehouse.query('SELECT n FROM `load_ds`.`modes` ORDER BY n')).toEqual([{ n: 3 }]);
    await warehouse.load(target, numbers, two, { mode: 'append' });
    expect(lastLoadConfiguration()).toMatchObject({ load: { writeDisposition: 'WRITE_APPEND' } });
    expect(await warehouse.query('SELECT n FROM `load_ds`.`modes` ORDER BY n')).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
  });

  test('rows from an async iterable stream into the upload', async () => {
    async function* generate() {
      for (let i = 0; i < 3000; i++) yield [i, `label ${i}`];
    }
    expect(await warehouse.load({ schema: 'load_ds', name: 'many' }, numbers, generate())).toBe(3000);
    expect(await warehouse.query('SELECT COUNT(*) AS c, SUM(n) AS s FROM `load_ds`.`many`')).toEqual([
      { c: 3000, s: (2999 * 3000) / 2 },
    ]);
  });

  test('rows are uploaded while they are produced, not gathered first', async () => {
    let uploadStartedBeforeTheEnd = false;
    async function* generate() {
      for (let i = 0; i < 40_000; i++) {
        if (i === 30_000)
          uploadStartedBeforeTheEnd = emulator.requests.some(
            (r) => r.api === 'jobs.upload' && r.status === 0,
          );
        yield [i, `a label long enough to fill the upload buffers quickly ${i}`];
      }
    }
    expect(await warehouse.load({ schema: 'load_ds', name: 'streamed' }, numbers, generate())).toBe(40_000);
    expect(uploadStartedBeforeTheEnd).toBe(true);
  });

  test('an upload the server refuses fails the load with its message and keeps the table', async () => {
    const target = { schema: 'load_ds', name: 'refused' };
    await warehouse.load(target, numbers, [[1, 'kept']]);
    emulator.setFault({ kind: 'error', status: 503, api: 'jobs.upload' });
    await expect(warehouse.load(target, numbers, [[2, 'lost']])).rejects.toThrow(
      /Error encountered during execution/,
    );
    expect(await warehouse.query('SELECT n FROM `load_ds`.`refused`')).toEqual([{ n: 1 }]);
  });

  test('a bad value fails with its row and column and leaves the table as it was', async () => {
    const target = { schema: 'load_ds', name: 'kept' };
    await warehouse.load(target, numbers, [[1, 'kept']]);
    const error = await warehouse
      .load(target, numbers, [
        [2, 'fine'],
        ['not a number', 'bad'],
      ])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toBe(
      'Cannot load row 2 into `load_ds`.`kept`: column "n" (bigint) expected bigint, got "not a number" (string)',
    );
    expect(await warehouse.query('SELECT n, label FROM `load_ds`.`kept`')).toEqual([{ n: 1, label: 'kept' }]);
  });

  test('append with other columns is refused by BigQuery', async () => {
    const target = { schema: 'load_ds', name: 'shape' };
    await warehouse.load(target, numbers, [[1, 'a']]);
    const other: ColumnDef[] = [{ name: 'other', type: 'string' }];
    await expect(warehouse.load(target, other, [['x']], { mode: 'append' })).rejects.toThrow(
      /Provided Schema does not match Table weft-test:load_ds\.shape/,
    );
  });

  test('no rows still creates (replace: empties) the table', async () => {
    const target = { schema: 'load_ds', name: 'empty' };
    await warehouse.load(target, numbers, [[1, 'a']]);
    expect(await warehouse.load(target, numbers, [])).toBe(0);
    expect(await warehouse.query('SELECT COUNT(*) AS c FROM `load_ds`.`empty`')).toEqual([{ c: 0 }]);
    expect(
      await warehouse.load({ schema: 'load_new_ds', name: 'fresh' }, numbers, [], { mode: 'append' }),
    ).toBe(0);
    expect(
      await warehouse.query(warehouse.dialect.columnsQuery({ schema: 'load_new_ds', name: 'fresh' })),
    ).toEqual([
      { name: 'n', type: 'INT64' },
      { name: 'label', type: 'STRING' },
    ]);
  });
});
