/**
 * The BigQuery engine against the local BigQuery endpoint (test/support/bigquery-emulator):
 * auth, value types, errors, the cost guard, dry-run estimates, the catalog on a missing
 * dataset, retries and polling. No cloud access.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canEstimateCost } from '../../src/warehouse/abilities.js';
import { bigqueryEngine } from '../../src/warehouse/bigquery/index.js';
import { WarehouseError } from '../../src/warehouse/types.js';
import { newKeyPair } from '../support/bigquery-emulator/auth.js';
import { type BigQueryEmulator, startBigQueryEmulator } from '../support/bigquery-emulator/index.js';
import { emulatorConfig, openOnEmulator } from '../support/bigquery-emulator/open.js';

let emulator: BigQueryEmulator;

beforeAll(async () => {
  emulator = await startBigQueryEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<WarehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarehouseError);
  return error as WarehouseError;
}

/** Everything an error would print: message, cause and their inspection. */
function printed(error: WarehouseError): string {
  return `${error.message}\n${String(error.cause)}\n${JSON.stringify(error.cause ?? {})}`;
}

describe('open and auth', () => {
  test('a service-account key gets a token from the key token_uri and every call carries it', async () => {
    const before = emulator.requests.length;
    const warehouse = await openOnEmulator(emulator);
    await warehouse.close();
    const calls = emulator.requests.slice(before);
    expect(calls[0]).toMatchObject({ api: 'token', status: 200 });
    // The open check is a free dry run.
    expect(calls[1]).toMatchObject({ api: 'jobs.insert', status: 200 });
    expect(calls[1]?.body).toMatchObject({ configuration: { dryRun: true } });
  });

  test('key_file is read relative to the project directory', async () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'weft-bq-'));
    writeFileSync(join(projectDir, 'sa.json'), JSON.stringify(emulator.serviceAccountKey));
    const config = { ...emulatorConfig(emulator, { key_file: 'sa.json' }), credentials: undefined };
    const warehouse = await bigqueryEngine.open(config, { projectDir });
    expect(await warehouse.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await warehouse.close();
  });

  test('a key the server does not know fails open with what to do, and no secret in the message', async () => {
    const wrong = { ...emulator.serviceAccountKey, private_key: newKeyPair().privateKey };
    const error = await failure(openOnEmulator(emulator, { credentials: JSON.stringify(wrong) }));
    expect(error.message).toMatch(
      /Cannot authenticate to BigQuery project weft-test \(US\) with the service-account key in warehouse\.credentials/,
    );
    expect(error.message).toMatch(/Invalid JWT Signature/);
    expect(error.message).toMatch(/download a new JSON key/);
    const text = printed(error);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(wrong.private_key.split('\n')[1]);
    expect(text).not.toMatch(/eyJ[\w-]+\./);
  });

  test('a rejected token (401) is a WarehouseError without the token', async () => {
    const warehouse = await openOnEmulator(emulator);
    emulator.revokeTokens();
    const error = await failure(warehouse.query('SELECT 1 AS one'));
    expect(error.message).toMatch(/invalid authentication credentials/);
    expect(printed(error)).not.toMatch(/ya29\./);
    await warehouse.close();
  });

  test("API calls without a Bearer token get Google's 401 error JSON", async () => {
    const response = await fetch(`${emulator.url}/bigquery/v2/projects/${emulator.projectId}/jobs/x`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as {
      error: { code: number; errors: { reason: string }[]; status: string };
    };
    expect(body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(body.error.errors[0]?.reason).toBe('authError');
  });

  test('an unknown project fails open saying which setting to check', async () => {
    const error = await failure(openOnEmulator(emulator, { project: 'no-such-project' }));
    expect(error.message).toMatch(/no-such-project \(US\) was not found/);
    expect(error.message).toMatch(/warehouse\.project/);
  });

  test('a bigquery:// url (WEFT_TEST_BIGQUERY_URL in live-engines) fills the settings', async () => {
    const url = `bigquery://${emulator.projectId}?location=US&api_endpoint=${encodeURIComponent(emulator.url)}`;
    const config = { type: 'bigquery', url, credentials: JSON.stringify(emulator.serviceAccountKey) };
    const warehouse = await bigqueryEngine.open(config, { projectDir: process.cwd() });
    expect(await warehouse.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await warehouse.close();
  });

  test('BIGQUERY_EMULATOR_HOST is honoured when no api_endpoint is set', async () => {
    const saved = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = emulator.url;
    try {
      const before = emulator.requests.length;
      const warehouse = await openOnEmulator(emulator, { api_endpoint: undefined });
      expect(await warehouse.query('SELECT 3 AS three')).toEqual([{ three: 3 }]);
      await warehouse.close();
      expect(emulator.requests.slice(before).some((r) => r.api === 'jobs.getQueryResults')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = saved;
    }
  });

  test('an endpoint nobody answers fails open naming the endpoint and the settings', async () => {
    const error = await failure(openOnEmulator(emulator, { api_endpoint: 'http://127.0.0.1:9' }));
    expect(error.message).toMatch(
      /^Cannot reach the BigQuery API at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
    );
    expect(error.message).toMatch(/api_endpoint \/ BIGQUERY_EMULATOR_HOST/);
  }, 60_000);

  test('a missing permission fails open naming the roles to grant', async () => {
    emulator.setFault({ kind: 'accessDenied', api: 'jobs.insert' });
    const error = await failure(openOnEmulator(emulator));
    expect(error.message).toMatch(/may not run query jobs in BigQuery project weft-test \(US\)/);
    expect(error.message).toMatch(/bigquery\.jobs\.create permission/);
    expect(error.message).toMatch(/roles\/bigquery\.jobUser/);
  });

  test('rateLimitExceeded on the open check is retried, not reported as a permission problem', async () => {
    emulator.setFault({ kind: 'rateLimit', api: 'jobs.insert' });
    const warehouse = await openOnEmulator(emulator);
    await warehouse.close();
  });

  test('a missing project or malformed key is refused before any request', async () => {
    const before = emulator.requests.length;
    await expect(openOnEmulator(emulator, { project: undefined })).rejects.toThrow(/needs a project/);
    await expect(openOnEmulator(emulator, { credentials: '{"private_key": "x"' })).rejects.toThrow(
      /warehouse\.credentials is not valid JSON/,
    );
    expect(emulator.requests.length).toBe(before);
  });
});

describe('queries', () => {
  test('query returns plain JS values for BigQuery types', async () => {
    const warehouse = await openOnEmulator(emulator);
    const [row] = await warehouse.query(`SELECT
      42 AS small, 9007199254740993 AS big, 1.25 AS float, TRUE AS flag, 'text' AS str,
      TIMESTAMP '2024-01-02 03:04:05.678+00' AS ts, DATE '2024-02-29' AS day,
      NUMERIC '12.5' AS num, JSON '{"a": 1}' AS doc, CAST(NULL AS STRING) AS nothing`);
    expect(row).toEqual({
      small: 42,
      big: 9007199254740993n,
      float: 1.25,
      flag: true,
      str: 'text',
      ts: new Date('2024-01-02T03:04:05.678Z'),
      day: new Date('2024-02-29T00:00:00Z'),
      num: 12.5,
      doc: '{"a":1}',
      nothing: null,
    });
    await warehouse.close();
  });

  test("a failing statement is a WarehouseError with BigQuery's message and the SQL", async () => {
    const warehouse = await openOnEmulator(emulator);
    const missing = 'SELECT * FROM `nowhere_ds`.`t`';
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS `errors_ds`');
    const missingTable = 'SELECT * FROM `errors_ds`.`no_table`';
    const error = await failure(warehouse.query(missingTable));
    expect(error.message).toBe('Not found: Table weft-test:errors_ds.no_table was not found in location US');
    expect(error.sql).toBe(missingTable);
    const syntax = await failure(warehouse.execute('SELEC 1'));
    expect(syntax.sql).toBe('SELEC 1');
    expect(syntax.message).toMatch(/Syntax error/);
    // Only the dialect's catalog queries turn a missing dataset into no rows.
    const dataset = await failure(warehouse.query(missing));
    expect(dataset.message).toMatch(/^Not found: Dataset weft-test:nowhere_ds/);
    await warehouse.close();
  });

  test('relationKindQuery and columnsQuery on a missing dataset give no rows', async () => {
    const warehouse = await openOnEmulator(emulator);
    const ref = { schema: 'missing_dataset', name: 't' };
    expect(await warehouse.query(warehouse.dialect.relationKindQuery(ref))).toEqual([]);
    expect(await warehouse.query(warehouse.dialect.columnsQuery(ref))).toEqual([]);
    await warehouse.execute(warehouse.dialect.createSchema('catalog_ds'));
    await warehouse.execute(
      warehouse.dialect.createTable({ schema: 'catalog_ds', name: 't' }, [{ name: 'id', type: 'bigint' }]),
    );
    expect(
      await warehouse.query(warehouse.dialect.relationKindQuery({ schema: 'catalog_ds', name: 't' })),
    ).toEqual([{ kind: 'table' }]);
    await warehouse.close();
  });
});

describe('cost', () => {
  test('estimateCost dry-runs the query and reports the bytes it would process', async () => {
    const warehouse = await openOnEmulator(emulator);
    expect(canEstimateCost(warehouse)).toBe(true);
    const rows = Array.from({ length: 50 }, (_, i) => [i, `name ${i}`]);
    const ref = { schema: 'cost_ds', name: 'people' };
    await warehouse.load(
      ref,
      [
        { name: 'id', type: 'bigint' },
        { name: 'name', type: 'string' },
      ],
      rows,
    );
    const before = emulator.jobs.size;
    const estimate = await warehouse.estimateCost('SELECT id FROM `cost_ds`.`people`');
    // The emulator's estimate: rows × columns × 8 bytes for every table the query names.
    expect(estimate).toEqual({ bytesProcessed: 50 * 2 * 8 });
    expect(emulator.jobs.size).toBe(before); // a dry run runs nothing
    const error = await failure(warehouse.estimateCost('SELECT nope FROM `cost_ds`.`people`'));
    expect(error.sql).toBe('SELECT nope FROM `cost_ds`.`people`');
    await warehouse.close();
  });

  test('maximum_bytes_billed rides on every query job and a refusal says which setting to raise', async () => {
    const setup = await openOnEmulator(emulator);
    await setup.load({ schema: 'guard_ds', name: 't' }, [{ name: 'id', type: 'bigint' }], [[1], [2]]);
    await setup.close();
    const before = emulator.requests.length;
    const warehouse = await openOnEmulator(emulator, { maximum_bytes_billed: 1000 });
    expect(await warehouse.query('SELECT 1 AS one')).toEqual([{ one: 1 }]); // reads no table: bills nothing
    const sql = 'SELECT id FROM `guard_ds`.`t`';
    const error = await failure(warehouse.query(sql));
    expect(error.message).toMatch(
      /^Query exceeded limit for bytes billed: 1000\. 10485760 or higher required\./,
    );
    expect(error.message).toMatch(/Raise maximum_bytes_billed in weft\.yml/);
    expect(error.sql).toBe(sql);
    await warehouse.close();
    // Every job but the open check (a free dry run).
    const inserts = emulator.requests
      .slice(before)
      .filter((r) => r.api === 'jobs.insert')
      .slice(1);
    expect(inserts.length).toBeGreaterThanOrEqual(3);
    for (const insert of inserts) {
      const body = insert.body as { configuration: { query: { maximumBytesBilled?: string } } };
      expect(body.configuration.query.maximumBytesBilled).toBe('1000');
    }
  });

  test('every query job is labelled application=weft', async () => {
    const before = emulator.requests.length;
    const warehouse = await openOnEmulator(emulator);
    await warehouse.execute('SELECT 1');
    await warehouse.close();
    const inserts = emulator.requests
      .slice(before)
      .filter((r) => r.api === 'jobs.insert')
      .slice(1);
    expect(inserts.length).toBeGreaterThan(0);
    for (const insert of inserts) {
      expect((insert.body as { configuration: { labels?: unknown } }).configuration.labels).toEqual({
        application: 'weft',
      });
    }
  });
});

describe('retries and polling', () => {
  test('a 503 on jobs.insert is retried with the same job id', async () => {
    const warehouse = await openOnEmulator(emulator);
    const before = emulator.requests.length;
    emulator.setFault({ kind: 'error', status: 503, api: 'jobs.insert' });
    expect(await warehouse.query('SELECT 7 AS seven')).toEqual([{ seven: 7 }]);
    const inserts = emulator.requests.slice(before).filter((r) => r.api === 'jobs.insert');
    expect(inserts.map((r) => r.status)).toEqual([503, 200]);
    const ids = inserts.map((r) => (r.body as { jobReference: { jobId: string } }).jobReference.jobId);
    expect(ids[0]).toBe(ids[1]);
    await warehouse.close();
  });

  test('rateLimitExceeded on getQueryResults is retried', async () => {
    const warehouse = await openOnEmulator(emulator);
    const before = emulator.requests.length;
    emulator.setFault({ kind: 'rateLimit', api: 'jobs.getQueryResults' });
    expect(await warehouse.query('SELECT 8 AS eight')).toEqual([{ eight: 8 }]);
    const results = emulator.requests.slice(before).filter((r) => r.api === 'jobs.getQueryResults');
    expect(results.map((r) => r.status)).toEqual([403, 200]);
    await warehouse.close();
  });

  test('a job that stays RUNNING is polled until it is done', async () => {
    const warehouse = await openOnEmulator(emulator);
    const before = emulator.requests.length;
    emulator.setFault({ kind: 'slowJob', runningMs: 700 });
    expect(await warehouse.query('SELECT 9 AS nine')).toEqual([{ nine: 9 }]);
    const results = emulator.requests.slice(before).filter((r) => r.api === 'jobs.getQueryResults');
    expect(results.length).toBeGreaterThanOrEqual(3); // pollHoldMs 200: several jobComplete=false answers
    await warehouse.close();
  });
});

describe('default dataset', () => {
  test('the dataset setting resolves unqualified table names on every query job', async () => {
    const setup = await openOnEmulator(emulator);
    await setup.execute('CREATE SCHEMA IF NOT EXISTS `default_ds`');
    await setup.execute('CREATE OR REPLACE TABLE `default_ds`.`things` AS SELECT 5 AS n');
    await setup.close();
    const before = emulator.requests.length;
    const warehouse = await openOnEmulator(emulator, { dataset: 'default_ds' });
    expect(await warehouse.query('SELECT n FROM things')).toEqual([{ n: 5 }]);
    await warehouse.close();
    const inserts = emulator.requests
      .slice(before)
      .filter((r) => r.api === 'jobs.insert')
      .slice(1);
    for (const insert of inserts) {
      expect(insert.body).toMatchObject({
        configuration: { query: { defaultDataset: { projectId: 'weft-test', datasetId: 'default_ds' } } },
      });
    }
  });
});
