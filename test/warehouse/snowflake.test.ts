import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeEngine } from '../../src/warehouse/snowflake/index.js';
import { type Warehouse, type WarehouseConnectionConfig, WarehouseError } from '../../src/warehouse/types.js';
import { keyPairConfig, passwordConfig } from '../support/snowflake-emulator/config.js';
import { type SnowflakeEmulator, startSnowflakeEmulator } from '../support/snowflake-emulator/index.js';

let emulator: SnowflakeEmulator;
let projectDir: string;

beforeAll(async () => {
  emulator = await startSnowflakeEmulator();
  projectDir = await mkdtemp(path.join(tmpdir(), 'weft-snowflake-test-'));
});
afterAll(async () => {
  await emulator?.close();
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
});

async function withWarehouse<T>(
  config: WarehouseConnectionConfig,
  body: (warehouse: Warehouse) => Promise<T>,
) {
  const warehouse = await snowflakeEngine.open(config, { projectDir });
  try {
    return await body(warehouse);
  } finally {
    await warehouse.close();
  }
}

async function openFailure(config: WarehouseConnectionConfig): Promise<WarehouseError> {
  const error = await snowflakeEngine.open(config, { projectDir }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WarehouseError);
  return error as WarehouseError;
}

describe('snowflake engine: login', () => {
  it('logs in with a password, tags the session and works in UTC', async () => {
    const before = emulator.queryTags.length;
    await withWarehouse(passwordConfig(emulator, { query_tag: 'weft-ci' }), async (warehouse) => {
      expect(await warehouse.query('SELECT 1 AS "n"')).toEqual([{ n: 1 }]);
    });
    expect(emulator.queryTags.slice(before)).toEqual(['weft-ci']);
    const select = emulator.requests.find((request) => request.sqlText === 'SELECT 1 AS "n"');
    expect(select?.queryTag).toBe('weft-ci');
    const alter = emulator.requests.find((request) => request.sqlText?.startsWith('ALTER SESSION'));
    expect(alter?.sqlText).toContain("TIMEZONE = 'UTC'");
  });

  it("tags sessions 'weft' by default", async () => {
    const before = emulator.queryTags.length;
    await withWarehouse(passwordConfig(emulator), async () => undefined);
    expect(emulator.queryTags.slice(before)).toEqual(['weft']);
  });

  it('logs in with a key pair from private_key and from private_key_path (relative to the project)', async () => {
    await withWarehouse(keyPairConfig(emulator), async (warehouse) => {
      expect(await warehouse.query('SELECT 2 AS "n"')).toEqual([{ n: 2 }]);
    });
    await writeFile(path.join(projectDir, 'rsa_key.p8'), emulator.users.keyed.keyPair.privateKey);
    const fromFile = keyPairConfig(emulator, { private_key: undefined, private_key_path: 'rsa_key.p8' });
    await withWarehouse(fromFile, async (warehouse) => {
      expect(await warehouse.query('SELECT 3 AS "n"')).toEqual([{ n: 3 }]);
    });
  });

  it('a wrong password fails to open with an actionable error that does not show the password', async () => {
    const error = await openFailure(passwordConfig(emulator, { password: 'not-the-password-123' }));
    expect(error.message).toContain('Incorrect username or password was specified.');
    expect(error.message).toContain('warehouse.password');
    expect(error.message).toContain(`${emulator.users.password.name}@${emulator.account}`);
    expect(error.message).not.toContain('not-the-password-123');
  });

  it('an unregistered key fails to open with advice about RSA_PUBLIC_KEY, without the key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const error = await openFailure(keyPairConfig(emulator, { private_key: privateKey }));
    expect(error.message).toContain('JWT token is invalid');
    expect(error.message).toContain('RSA_PUBLIC_KEY');
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('a key that is not PEM fails with advice about private_key_path', async () => {
    const error = await openFailure(keyPairConfig(emulator, { private_key: 'not a key' }));
    expect(error.message).toMatch(/private key could not be read/);
  });

  it('an unreachable endpoint fails with advice about the account and access_url', async () => {
    const error = await openFailure(passwordConfig(emulator, { access_url: 'http://127.0.0.1:9' }));
    expect(error.message).toMatch(/could not be reached|access_url/);
    expect(error.message).not.toContain(emulator.users.password.password);
  }, 60_000);

  it('refuses a config without a password or key', async () => {
    const error = await openFailure(passwordConfig(emulator, { password: undefined }));
    expect(error.message).toContain('private_key_path');
  });
});

describe('snowflake engine: statements', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await snowflakeEngine.open(passwordConfig(emulator), { projectDir });
  });
  afterAll(async () => {
    await warehouse?.close();
  });

  it('returns plain JS values per Snowflake type', async () => {
    const rows = await warehouse.query(
      `SELECT 42 AS "small", 9007199254740993 AS "big", 1.5::FLOAT AS "dbl", 2.25::NUMBER(10,2) AS "dec",
        TRUE AS "flag", 'x''y' AS "text", '2024-01-02 03:04:05.678'::TIMESTAMP_NTZ AS "ts",
        '2024-02-29'::DATE AS "day", PARSE_JSON('{"a":[1,2]}') AS "variant", NULL AS "nothing",
        'inf'::FLOAT AS "inf"`,
    );
    expect(rows).toEqual([
      {
        small: 42,
        big: 9007199254740993n,
        dbl: 1.5,
        dec: 2.25,
        flag: true,
        text: "x'y",
        ts: new Date('2024-01-02T03:04:05.678Z'),
        day: new Date('2024-02-29T00:00:00Z'),
        variant: { a: [1, 2] },
        nothing: null,
        inf: Number.POSITIVE_INFINITY,
      },
    ]);
    expect(Object.getPrototypeOf(rows[0]?.ts)).toBe(Date.prototype);
  });

  it('hands result names back lower-case: the session stores quoted and unquoted names upper-case', async () => {
    expect(await warehouse.query('SELECT 1 AS n, 2 AS "m", 3 AS "Mixed"')).toEqual([
      { n: 1, m: 2, mixed: 3 },
    ]);
    const tableRows = await warehouse.query(
      'SELECT table_name AS "t" FROM INFORMATION_SCHEMA.TABLES WHERE 1 = 0',
    );
    expect(tableRows).toEqual([]);
  });

  it('runs several statements in one execute, one request each, and query returns the last result', async () => {
    await warehouse.execute(
      'CREATE SCHEMA IF NOT EXISTS "multi"; CREATE OR REPLACE TABLE "multi"."t" ("v" VARCHAR); INSERT INTO "multi"."t" VALUES (\'a;b\')',
    );
    const rows = await warehouse.query('SELECT 0 AS "x"; SELECT "v" FROM "multi"."t"');
    expect(rows).toEqual([{ v: 'a;b' }]);
  });

  it('a SQL error is a WarehouseError with Snowflake message, code and the SQL', async () => {
    const sql = 'SELECT * FROM "nowhere"."missing"';
    const error = await warehouse.query(sql).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).sql).toBe(sql);
    expect((error as WarehouseError).message).toMatch(/SQL compilation error/);
    expect((error as WarehouseError).message).toContain('002003');
    // The session still works afterwards.
    expect(await warehouse.query('SELECT 1 AS "ok"')).toEqual([{ ok: 1 }]);
  });

  it('retries a query-request answered with HTTP 503', async () => {
    emulator.setFault({ kind: 'unavailable', path: '/queries/v1/query-request', times: 1 });
    const before = emulator.requests.length;
    expect(await warehouse.query('SELECT 7 AS "n"')).toEqual([{ n: 7 }]);
    const statuses = emulator.requests
      .slice(before)
      .filter((request) => request.path === '/queries/v1/query-request')
      .map((request) => request.status);
    expect(statuses).toEqual([503, 200]);
  });

  it('renews an expired session token with the master token and carries on', async () => {
    emulator.setFault({ kind: 'sessionExpired', times: 1 });
    const before = emulator.requests.length;
    expect(await warehouse.query('SELECT 8 AS "n"')).toEqual([{ n: 8 }]);
    const paths = emulator.requests.slice(before).map((request) => request.path);
    expect(paths).toEqual([
      '/queries/v1/query-request',
      '/session/token-request',
      '/queries/v1/query-request',
    ]);
  });
});

describe('snowflake engine: close', () => {
  it('close is idempotent, logs the session out, and later calls fail', async () => {
    const sessions = emulator.openSessions();
    const warehouse = await snowflakeEngine.open(passwordConfig(emulator), { projectDir });
    expect(emulator.openSessions()).toBe(sessions + 1);
    await warehouse.close();
    await warehouse.close();
    expect(emulator.openSessions()).toBe(sessions);
    await expect(warehouse.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
