/**
 * The Salesforce connector's pieces against the emulator, without the runner: record error
 * shapes and messages, the 200-record limit, error refinement, both OAuth grants, update by
 * looked-up id (SOQL escaping), describe → field specs, CSV and Sforce-Limit-Info parsing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../destinations/salesforce/csv.js';
import { refineError } from '../../destinations/salesforce/errors.js';
import { salesforce } from '../../destinations/salesforce/index.js';
import { checkReserve, observeUsage, parseLimitInfo } from '../../destinations/salesforce/usage.js';
import {
  classifyHttpResponse,
  createDestinationContext,
  DestinationError,
  type DestinationRecord,
  invokePrimitive,
  type PrimitiveName,
  parseSettings,
  type SyncMode,
} from '../../src/destination-kit/index.js';
import { recordsByExternalId, type SalesforceSandbox, startSalesforce } from './salesforce-harness.js';

let emulator: SalesforceSandbox;
beforeEach(async () => {
  emulator = await startSalesforce();
});
afterEach(async () => {
  await emulator.close();
});

const context = (mode: SyncMode = 'upsert', settings: Record<string, unknown> = {}) =>
  createDestinationContext(salesforce, parseSettings(salesforce, { ...emulator.settings, ...settings }), {
    syncName: 'api_test',
    runId: 'run-1',
    mode,
    object: 'Contact',
    matchOn: 'External_Id__c',
  });
const record = (key: string, fields: Record<string, unknown>): DestinationRecord => ({
  key,
  op: 'added',
  fields,
});
const call = (
  primitive: PrimitiveName,
  records: DestinationRecord[],
  mode: SyncMode = 'upsert',
  settings = {},
) => invokePrimitive(salesforce, primitive, context(mode, settings), records);

describe('salesforce record errors', () => {
  it("rejects each bad record with Salesforce's code, message and fields; the others are upserted", async () => {
    const results = await call('upsert', [
      record('a', { LastName: 'Ok', Email: 'a@example.com' }),
      record('b', { Email: 'b@example.com' }),
      record('c', { LastName: 'x'.repeat(81) }),
      record('d', { LastName: 'Pick', LeadSource: 'Billboard' }),
    ]);
    expect(results[0]).toMatchObject({ status: 'ok', destinationId: expect.stringMatching(/^003/) });
    expect(results.slice(1)).toEqual([
      {
        status: 'rejected',
        reason: 'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName)',
      },
      {
        status: 'rejected',
        reason: `STRING_TOO_LONG: Last Name: data value too large: ${'x'.repeat(40)} (max length=80) (fields: LastName)`,
      },
      {
        status: 'rejected',
        reason:
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: Billboard (fields: LeadSource)',
      },
    ]);
    expect(Object.keys(recordsByExternalId(emulator))).toEqual(['a']);
  });

  it('refuses more than 200 records as Salesforce does (a record error for the whole call)', async () => {
    const records = Array.from({ length: 201 }, (_, i) => record(`k${i}`, { LastName: 'L' }));
    const error = await call('upsert', records).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).kind).toBe('record');
    expect((error as DestinationError).message).toContain('EXCEEDED_ID_LIMIT');
  });

  it('an unknown field stops the run (config), not each record', async () => {
    const error = await call('upsert', [record('a', { LastName: 'L', Nope__c: 1 })]).catch((e: unknown) => e);
    expect((error as DestinationError).kind).toBe('config');
    expect((error as DestinationError).message).toContain("No such column 'Nope__c'");
  });
});

describe('salesforce error refinement', () => {
  const refine = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    const headers = new Headers();
    return refineError(
      { status, headers, body: text },
      classifyHttpResponse(status, headers, text) as DestinationError,
    );
  };
  it('maps Salesforce codes to what the runner should do', () => {
    expect(
      refine(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }])?.kind,
    ).toBe('quota');
    expect(refine(403, [{ message: 'no access', errorCode: 'INSUFFICIENT_ACCESS' }])?.kind).toBe('auth');
    expect(refine(503, [{ message: 'down', errorCode: 'SERVER_UNAVAILABLE' }])?.kind).toBe('retryable');
    expect(refine(400, [{ message: 'locked', errorCode: 'UNABLE_TO_LOCK_ROW' }])?.kind).toBe('retryable');
    expect(
      refine(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])?.kind,
    ).toBe('auth');
    expect(refine(400, [{ message: 'No such column', errorCode: 'INVALID_FIELD' }])?.kind).toBe('config');
    expect(refine(400, [{ message: 'bad', errorCode: 'JSON_PARSER_ERROR' }])?.kind).toBe('record');
  });
});

describe('salesforce OAuth', () => {
  it('works with the refresh_token grant and refuses a wrong refresh token as auth', async () => {
    const refresh = { auth: 'refresh_token', refresh_token: 'weft-sandbox-refresh-token' };
    const ok = await call('upsert', [record('r1', { LastName: 'R' })], 'upsert', refresh);
    expect(ok[0]?.status).toBe('ok');
    expect(emulator.snapshot().state.tokenGrants.map((g) => g.grant_type)).toEqual(['refresh_token']);
    const error = await call('upsert', [record('r2', { LastName: 'R' })], 'upsert', {
      ...refresh,
      refresh_token: 'revoked-token',
    }).catch((e: unknown) => e);
    expect((error as DestinationError).kind).toBe('auth');
    expect((error as DestinationError).message).toContain('invalid_grant');
  });
});

describe('salesforce update and lookups', () => {
  it('updates records found by external id (quotes escaped in SOQL) and rejects unknown ones', async () => {
    await call('upsert', [record("o'neil", { LastName: 'Before' }), record('plain', { LastName: 'Before' })]);
    const results = await call(
      'update',
      [record("o'neil", { LastName: 'After' }), record('missing', { LastName: 'X' })],
      'update',
    );
    expect(results[0]).toEqual({ status: 'ok', destinationId: expect.stringMatching(/^003/) });
    expect(results[1]).toEqual({
      status: 'rejected',
      reason: "no Contact with External_Id__c = 'missing' (update mode never creates)",
    });
    const held = recordsByExternalId(emulator);
    expect([held["o'neil"]?.LastName, held.plain?.LastName, held.missing]).toEqual([
      'After',
      'Before',
      undefined,
    ]);
  });
});

describe('salesforce describe', () => {
  it('reads types, required fields, restricted picklists, lengths and read-only fields', async () => {
    const fields = await salesforce.discoverFields?.(context('upsert'));
    expect(fields?.LastName).toMatchObject({ type: 'string', required: true, maxLength: 80 });
    expect(fields?.Email).toMatchObject({ type: 'string', maxLength: 80 });
    expect(fields?.Email?.required).toBeUndefined();
    expect(fields?.LeadSource?.options).toContain('Web');
    expect(fields?.Lifetime_Value__c?.type).toBe('number');
    expect(fields?.HasOptedOutOfEmail).toMatchObject({ type: 'boolean' });
    expect(fields?.HasOptedOutOfEmail?.required).toBeUndefined(); // defaulted on create
    expect(fields?.Name?.readOnly).toBe(true);
    // Updates never create, so nothing is required.
    const forUpdate = await salesforce.discoverFields?.(context('update'));
    expect(forUpdate?.LastName?.required).toBeUndefined();
  });
});

describe('salesforce wire formats', () => {
  it('round-trips CSV cells with commas, quotes and line breaks', () => {
    const rows = [
      ['a,b', 'say "hi"', 'line\nbreak'],
      ['', ' edge ', 'plain'],
    ];
    expect(parseCsv(toCsv(['x', 'y', 'z'], rows))).toEqual([['x', 'y', 'z'], ...rows]);
  });
  it('reads Sforce-Limit-Info', () => {
    expect(parseLimitInfo('api-usage=10018/100000')).toEqual({ used: 10018, max: 100000 });
    expect(parseLimitInfo('per-app-api-usage=1/10(appName=x), api-usage=5/15000')).toEqual({
      used: 5,
      max: 15000,
    });
    expect(parseLimitInfo(null)).toBeUndefined();
  });
  it('warns once past 80% of the daily allowance and refuses calls within the reserve', () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const seen = (used: number) =>
      observeUsage('usage-test', new Headers({ 'sforce-limit-info': `api-usage=${used}/1000` }), logger);
    seen(700);
    expect(() => checkReserve('usage-test', 5)).not.toThrow();
    seen(850);
    seen(900);
    expect(warnings).toEqual(['salesforce API usage is high']);
    seen(951);
    expect(() => checkReserve('usage-test', 5)).toThrow(/951\/1000: 49 calls left, within the 5% reserve/);
    expect(() => checkReserve('usage-test', 0)).not.toThrow();
    seen(1000);
    expect(() => checkReserve('usage-test', 0)).toThrow(/0 calls left/);
  });
});
