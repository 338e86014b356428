/** The BigQuery engine's pure conversions: wire values to JS, JS values to load JSON, error classification. */
import { describe, expect, test } from 'vitest';
import { readRows } from '../../src/warehouse/bigquery/read-values.js';
import {
  isBytesBilledLimit,
  isMissingDataset,
  safeCause,
  scrubSecrets,
  statementError,
} from '../../src/warehouse/bigquery/statement-error.js';
import { jsonLine, toJsonValue } from '../../src/warehouse/bigquery/write-values.js';
import { ExactNumber } from '../../src/warehouse/exact-number.js';

describe('readRows', () => {
  const field = (name: string, type: string, extra: object = {}) => ({ name, type, ...extra });

  test('scalars in every encoding the API uses', () => {
    const fields = [
      field('i', 'INT64'),
      field('big', 'INTEGER'),
      field('f', 'FLOAT64'),
      field('nan', 'FLOAT'),
      field('b', 'BOOL'),
      field('ts_us', 'TIMESTAMP'),
      field('ts_s', 'TIMESTAMP'),
      field('dt', 'DATETIME'),
      field('d', 'DATE'),
      field('bytes', 'BYTES'),
      field('json', 'JSON'),
    ];
    const [row] = readRows(fields, [
      {
        f: [
          { v: '-12' },
          { v: '-9223372036854775808' },
          { v: '2.5' },
          { v: 'NaN' },
          { v: 'false' },
          { v: '1704164645678901' },
          { v: '1.704164645678E9' },
          { v: '2024-01-02T03:04:05.678901' },
          { v: '2024-02-29' },
          { v: Buffer.from('hi').toString('base64') },
          { v: '{"a":1}' },
        ],
      },
    ]);
    expect(row).toEqual({
      i: -12,
      big: -9223372036854775808n,
      f: 2.5,
      nan: Number.NaN,
      b: false,
      ts_us: new Date('2024-01-02T03:04:05.678Z'),
      ts_s: new Date('2024-01-02T03:04:05.678Z'),
      dt: new Date('2024-01-02T03:04:05.678Z'),
      d: new Date('2024-02-29T00:00:00Z'),
      bytes: Buffer.from('hi'),
      json: '{"a":1}',
    });
  });

  test('NUMERIC: numbers when exact, bigints for big whole numbers, else an ExactNumber', () => {
    const fields = [field('n', 'NUMERIC')];
    const values = ['12.50', '123456789012345678901234567890', '0.1', '12345678901234567.123456789', '-7'];
    const rows = readRows(
      fields,
      values.map((v) => ({ f: [{ v }] })),
    );
    expect(rows.map((r) => r.n)).toEqual([
      12.5,
      123456789012345678901234567890n,
      0.1,
      new ExactNumber('12345678901234567.123456789'),
      -7,
    ]);
  });

  test('nulls, arrays and structs', () => {
    const fields = [
      field('tags', 'STRING', { mode: 'REPEATED' }),
      field('point', 'RECORD', { fields: [field('x', 'INT64'), field('y', 'FLOAT64')] }),
      field('none', 'STRING'),
    ];
    const [row] = readRows(fields, [
      { f: [{ v: [{ v: 'a' }, { v: 'b' }] }, { v: { f: [{ v: '1' }, { v: '2.5' }] } }, { v: null }] },
    ]);
    expect(row).toEqual({ tags: ['a', 'b'], point: { x: 1, y: 2.5 }, none: null });
  });
});

describe('load values', () => {
  test('JSON values BigQuery reads back exactly', () => {
    expect(toJsonValue(2n ** 62n, 'bigint')).toBe('4611686018427387904');
    expect(toJsonValue(Number.NaN, 'double')).toBe('NaN');
    expect(toJsonValue(Number.NEGATIVE_INFINITY, 'double')).toBe('-Infinity');
    expect(toJsonValue('2024-01-02 03:04:05', 'timestamp')).toBe('2024-01-02T03:04:05.000Z');
    expect(toJsonValue(new Date('2024-01-02T23:00:00Z'), 'date')).toBe('2024-01-02');
    expect(toJsonValue({ a: 1n }, 'json')).toBe('{"a":1}');
    expect(toJsonValue(undefined, 'string')).toBeNull();
  });

  test('a value that does not fit names its column', () => {
    expect(() => toJsonValue(2 ** 40, 'integer')).toThrow(/expected integer/);
    expect(() =>
      jsonLine(
        [1, 'x'],
        [
          { name: 'a', type: 'bigint' },
          { name: 'flag', type: 'boolean' },
        ],
      ),
    ).toThrow('column "flag" (boolean) expected boolean, got "x" (string)');
  });
});

describe('errors', () => {
  const apiError = (code: number | undefined, reason: string, message: string) =>
    Object.assign(new Error(message), { code, errors: [{ reason, message }] });

  test('only a 404 for a dataset counts as a missing dataset', () => {
    expect(
      isMissingDataset(apiError(404, 'notFound', 'Not found: Dataset p:ds was not found in location US')),
    ).toBe(true);
    expect(
      isMissingDataset(
        apiError(undefined, 'notFound', 'Not found: Dataset p:ds was not found in location US'),
      ),
    ).toBe(true);
    expect(
      isMissingDataset(apiError(404, 'notFound', 'Not found: Table p:ds.t was not found in location US')),
    ).toBe(false);
    expect(isMissingDataset(apiError(403, 'accessDenied', 'Not found: Dataset p:ds'))).toBe(false);
    expect(isMissingDataset(apiError(400, 'invalidQuery', 'Syntax error'))).toBe(false);
  });

  test('the cost guard refusal says which setting to raise', () => {
    const refusal = apiError(
      400,
      'bytesBilledLimitExceeded',
      'Query exceeded limit for bytes billed: 1000. 10485760 or higher required.',
    );
    expect(isBytesBilledLimit(refusal)).toBe(true);
    const error = statementError(refusal, 'SELECT 1', '1000');
    expect(error.message).toMatch(/maximum_bytes_billed \(1000 bytes\)/);
    expect(error.sql).toBe('SELECT 1');
  });

  test('keys and tokens are cut out of messages and causes', () => {
    const secret = 'ya29.a0AfH6SMBsecret-token';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl';
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----';
    const text = scrubSecrets(`token ${secret}, Bearer abc.def, assertion ${jwt}, key ${pem}`);
    for (const leaked of [secret, 'abc.def', jwt, 'MIIEv']) expect(text).not.toContain(leaked);
    const cause = safeCause(
      Object.assign(new Error(`failed with ${secret}`), {
        code: 401,
        request: { headers: { authorization: `Bearer ${secret}` } },
      }),
    );
    expect(JSON.stringify(cause)).not.toContain(secret);
    expect(cause.message).toBe('failed with [redacted]');
  });
});
