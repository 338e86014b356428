/**
 * No value altered in transit (issue 18, item 1): exact decimals, big integers and big numbers
 * inside JSON, read from every warehouse (DuckDB and Postgres for real; BigQuery and Snowflake
 * through their value readers, as they would arrive on the wire), mapped with each field type
 * and sent by every connector to its emulator: the bytes each request carries hold the exact
 * digits, as a JSON number for number/integer/json/free-form fields and as text for string
 * fields (docs/destinations/README.md, "Exact numbers").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Column } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulators } from '../../destinations/emulators.js';
import { registeredDestinations } from '../../destinations/index.js';
import {
  type AnyDestination,
  createDestinationContext,
  type FieldSpec,
  invokePrimitive,
  type PrimitiveName,
  parseSettings,
  type SyncMode,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { compileMappings } from '../../src/sync/mapping/compile.js';
import { readRows } from '../../src/warehouse/bigquery/read-values.js';
import { openWarehouse } from '../../src/warehouse/index.js';
import { rowReader } from '../../src/warehouse/snowflake/read-values.js';
import type { Row } from '../../src/warehouse/types.js';
import { FAST_POLLING, USER_LIST } from '../destinations/google-ads-harness.js';
import { LIST as KLAVIYO_LIST } from '../destinations/klaviyo-harness.js';
import { AUDIENCE as META_AUDIENCE } from '../destinations/meta-harness.js';

const DEC = '12345678901234567890.1234567891';
const HUGE = '170141183460469231731687303715884105727';
const BIG = '9223372036854775807';
const IN_JSON = '12345678901234567890123';

/** Digits a rounding path would have produced: none may appear in any request. */
const ROUNDED = [
  /12345678901234567000/,
  /1\.2345678901234568e\+22/,
  /1\.7014118346046923e\+38/,
  /9223372036854776000/,
];

/** The same logical row in every warehouse: email, dec DECIMAL(38,10), huge, big, small, doc JSON. */
const DUCKDB_SQL = `SELECT 'a@x.com' AS email, ${DEC}::DECIMAL(38,10) AS dec, ${HUGE}::HUGEINT AS huge,
  ${BIG}::BIGINT AS big, 42::BIGINT AS small, 12.50::DECIMAL(10,2) AS price,
  '{"n": ${IN_JSON}, "f": 0.5}'::JSON AS doc`;
const POSTGRES_SQL = `SELECT 'a@x.com' AS email, ${DEC}::numeric(38,10) AS dec, ${HUGE}::numeric AS huge,
  ${BIG}::int8 AS big, 42::int8 AS small, 12.50::numeric(10,2) AS price,
  '{"n": ${IN_JSON}, "f": 0.5}'::jsonb AS doc`;

function bigqueryRow(): Row {
  const fields = [
    { name: 'email', type: 'STRING' },
    { name: 'dec', type: 'BIGNUMERIC' },
    { name: 'huge', type: 'BIGNUMERIC' },
    { name: 'big', type: 'INT64' },
    { name: 'small', type: 'INT64' },
    { name: 'price', type: 'NUMERIC' },
  ];
  const values = ['a@x.com', `${DEC}000`, HUGE, BIG, '42', '12.50'];
  const [row] = readRows(fields, [{ f: values.map((v) => ({ v })) }]);
  // BigQuery hands JSON columns over as text (parsed by the mapping's json field, if any).
  return { ...row, doc: { n: BigInt(IN_JSON), f: 0.5 } };
}

function snowflakeRow(): Row {
  const column = (name: string, type: string, scale = 0) =>
    ({ getName: () => name.toUpperCase(), getType: () => type, getScale: () => scale }) as unknown as Column;
  const read = rowReader([
    column('email', 'text'),
    column('dec', 'fixed', 10),
    column('huge', 'fixed'),
    column('big', 'fixed'),
    column('small', 'fixed'),
    column('price', 'fixed', 2),
  ]);
  // NUMBER arrives as text (fetchAsString: ['Number']); NUMBER(38,0) holds HUGE's 39 digits? No: 38 max, so 38 here.
  return {
    ...read(['a@x.com', DEC, HUGE.slice(0, 38), BIG, '42', '12.50']),
    doc: { n: BigInt(IN_JSON), f: 0.5 },
  };
}

/** One connector's case: how a row is sent and what its request must hold. */
interface Case {
  mode: SyncMode;
  primitive: PrimitiveName;
  /** Destination field specs (undefined: free-form) and the mapping to them. */
  fields?: Record<string, FieldSpec>;
  mappings: Record<string, string>;
  settings?: Record<string, unknown>;
  object?: string;
  matchOn?: string;
  list?: string;
  bulk?: boolean;
  /** Patterns the request bodies (or the file written) must contain. */
  expect: (huge: string) => RegExp[];
}

const asNumber = (field: string, digits: string) =>
  new RegExp(`"${field}":${digits.replace('.', '\\.')}[,}]`);
const asText = (field: string, digits: string) => new RegExp(`"${field}":"${digits.replace('.', '\\.')}"`);
const freeForm = (huge: string) => [
  asNumber('dec', DEC),
  asNumber('huge', huge),
  asNumber('big', BIG),
  asNumber('small', '42'),
  asNumber('price', '12.5'),
  new RegExp(`"doc":\\{[^}]*"n":${IN_JSON}[,}]`),
];
const all = {
  email: 'email',
  dec: 'dec',
  huge: 'huge',
  big: 'big',
  small: 'small',
  price: 'price',
  doc: 'doc',
};

const CASES: Record<string, Case> = {
  webhook: { mode: 'upsert', primitive: 'upsert', mappings: all, expect: freeForm },
  braze: { mode: 'upsert', primitive: 'upsert', mappings: all, expect: freeForm },
  klaviyo: {
    mode: 'upsert',
    primitive: 'upsert',
    mappings: all,
    matchOn: 'email',
    list: KLAVIYO_LIST,
    settings: { poll_interval_ms: 10 },
    expect: freeForm,
  },
  file: { mode: 'upsert', primitive: 'upsert', mappings: all, expect: freeForm },
  hubspot: {
    mode: 'upsert',
    primitive: 'upsert',
    object: 'contacts',
    matchOn: 'email',
    fields: { email: { type: 'string' }, lifetime_value: { type: 'number' }, company: { type: 'string' } },
    mappings: { email: 'email', lifetime_value: 'dec', company: 'huge' },
    expect: (huge) => [asNumber('lifetime_value', DEC), asText('company', huge)],
  },
  salesforce: {
    mode: 'upsert',
    primitive: 'upsert',
    object: 'Contact',
    matchOn: 'External_Id__c',
    fields: {
      LastName: { type: 'string' },
      Lifetime_Value__c: { type: 'number' },
      Title: { type: 'string' },
    },
    mappings: { LastName: 'email', Lifetime_Value__c: 'dec', Title: 'huge' },
    expect: (huge) => [asNumber('Lifetime_Value__c', DEC), asText('Title', huge)],
  },
  salesforce_bulk: {
    mode: 'upsert',
    primitive: 'upsert',
    object: 'Contact',
    matchOn: 'External_Id__c',
    bulk: true,
    settings: { bulk_poll_ms: 5 },
    fields: {
      LastName: { type: 'string' },
      Lifetime_Value__c: { type: 'number' },
      Title: { type: 'string' },
    },
    mappings: { LastName: 'email', Lifetime_Value__c: 'dec', Title: 'huge' },
    expect: (huge) => [new RegExp(`a@x\\.com,${DEC.replace('.', '\\.')},${huge}`)],
  },
  mailchimp: {
    mode: 'upsert',
    primitive: 'upsert',
    fields: { email: { type: 'string' }, AMOUNT: { type: 'number' }, ACCOUNT: { type: 'string' } },
    mappings: { email: 'email', AMOUNT: 'dec', ACCOUNT: 'huge' },
    expect: (huge) => [asNumber('AMOUNT', DEC), asText('ACCOUNT', huge)],
  },
  slack: {
    mode: 'insert',
    primitive: 'insert',
    settings: { template: 'dec {{dec}} huge {{huge}} doc {{json doc}}' },
    mappings: { dec: 'dec', huge: 'huge', doc: 'doc' },
    expect: (huge) => [
      new RegExp(`dec ${DEC.replace('.', '\\.')} huge ${huge} doc \\{[^}]*\\\\"n\\\\":${IN_JSON}[,}]`),
    ],
  },
  meta: {
    mode: 'membership',
    primitive: 'addMembers',
    list: META_AUDIENCE,
    mappings: { email: 'email', external_id: 'huge' },
    fields: { email: { type: 'string' }, external_id: { type: 'string' } },
    expect: (huge) => [new RegExp(`"${huge}"`)],
  },
  google_ads: {
    mode: 'membership',
    primitive: 'addMembers',
    list: USER_LIST,
    settings: FAST_POLLING,
    mappings: { email: 'email', external_id: 'huge' },
    fields: { email: { type: 'string' }, external_id: { type: 'string' } },
    expect: (huge) => [new RegExp(`"thirdPartyUserId":"${huge}"`)],
  },
};

const postgresUrl = process.env.WEFT_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (process.env.WEFT_REQUIRE_PG === '1')
      throw new Error(`WEFT_REQUIRE_PG=1 but Postgres is not reachable: ${(error as Error).message}`);
    console.warn(`Skipping the Postgres rows: ${(error as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('exact numbers from every warehouse through every connector', () => {
  const rows: Record<string, Row> = {};
  const running = new Map<string, RunningEmulator<unknown>>();
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-exact-'));
    const duck = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
    rows.duckdb = (await duck.query(DUCKDB_SQL))[0] as Row;
    await duck.close();
    if (await postgresReachable()) {
      const postgres = await openWarehouse({ type: 'postgres', url: postgresUrl }, { projectDir: dir });
      rows.postgres = (await postgres.query(POSTGRES_SQL))[0] as Row;
      await postgres.close();
    }
    rows.bigquery = bigqueryRow();
    rows.snowflake = snowflakeRow();
    for (const emulator of emulators) {
      // Slack's one message per second would make the four warehouses' messages wait.
      const options = emulator.name === 'slack' ? { rateLimit: null } : {};
      running.set(emulator.name, await startEmulator(emulator, { options }));
    }
  });
  afterAll(async () => {
    for (const emulator of running.values()) await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has a case for every registered connector', () => {
    const covered = new Set(Object.keys(CASES).map((name) => name.replace(/_bulk$/, '')));
    expect(
      registeredDestinations()
        .map((d) => d.type)
        .filter((type) => !covered.has(type)),
    ).toEqual([]);
  });

  it('reads every warehouse exactly', () => {
    for (const [engine, row] of Object.entries(rows)) {
      expect(String(row.dec), engine).toBe(DEC);
      expect(typeof row.big, engine).toBe('bigint');
      expect(row.small, engine).toBe(42);
      expect(row.price, engine).toBe(12.5);
    }
    expect(String(rows.duckdb?.huge)).toBe(HUGE);
    expect(String((rows.duckdb?.doc as { n: unknown } | undefined)?.n)).toBe(IN_JSON);
    if (rows.postgres) expect(String((rows.postgres.doc as { n: unknown }).n)).toBe(IN_JSON);
  });

  for (const [name, spec] of Object.entries(CASES)) {
    it(`${name}: every request carries the exact digits`, async () => {
      const type = name.replace(/_bulk$/, '');
      const destination = registeredDestinations().find((d) => d.type === type) as AnyDestination;
      for (const [engine, row] of Object.entries(rows)) {
        const huge = String(row.huge);
        const bodies = await send(
          destination,
          spec,
          row,
          running.get(type),
          path.join(dir, `${name}-${engine}`),
        );
        const text = bodies.join('\n');
        for (const pattern of spec.expect(huge)) expect(text, `${name} from ${engine}`).toMatch(pattern);
        for (const rounded of ROUNDED) expect(text, `${name} from ${engine}`).not.toMatch(rounded);
      }
    });
  }
});

/** Maps the row as a sync would and sends it through the connector's primitive; returns what went out. */
async function send(
  destination: AnyDestination,
  spec: Case,
  row: Row,
  emulator: RunningEmulator<unknown> | undefined,
  fileDir: string,
): Promise<string[]> {
  const mapper = compileMappings(spec.mappings, Object.keys(row), spec.fields);
  const mapped = mapper.map(row);
  if (!mapped.ok) throw new Error(mapped.reason);
  const bodies: string[] = [];
  const capture: typeof fetch = async (input, init) => {
    const body = init?.body;
    if (typeof body === 'string') bodies.push(body);
    else if (body instanceof Uint8Array) bodies.push(Buffer.from(body).toString());
    return fetch(input, init);
  };
  const settings = parseSettings(destination, {
    ...(emulator?.settings as Record<string, unknown> | undefined),
    ...(destination.type === 'file' && { path: fileDir }),
    ...spec.settings,
  });
  const ctx = createDestinationContext(destination, settings, {
    syncName: 'exact',
    runId: 'r1',
    mode: spec.mode,
    ...(spec.object && { object: spec.object }),
    ...(spec.matchOn && { matchOn: spec.matchOn }),
    ...(spec.list && { list: spec.list }),
    fetch: capture,
  });
  const record = { key: 'a@x.com', fields: mapped.fields, op: 'added' as const };
  const results = await invokePrimitive(destination, spec.primitive, { ...ctx, bulk: spec.bulk === true }, [
    record,
  ]);
  expect(results, `${destination.type}: ${JSON.stringify(results)}`).toEqual([
    expect.objectContaining({ status: 'ok' }),
  ]);
  if (destination.type === 'file')
    for (const file of fs.readdirSync(fileDir))
      bodies.push(fs.readFileSync(path.join(fileDir, file), 'utf8'));
  return bodies;
}
