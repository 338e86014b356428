/**
 * Salesforce's JavaScript library (`jsforce`, the client Salesforce's own CLI is built on) drives
 * the Salesforce emulator through every operation weft's connector makes: the OAuth token
 * (client_credentials, and a refresh on INVALID_SESSION_ID), sObject Collections upsert by
 * external id, insert, update and delete (with per-record errors), describe (field discovery),
 * SOQL with `nextRecordsUrl` paging, `/limits`, the `Sforce-Limit-Info` header, a Bulk API 2.0
 * ingest job to its result CSVs, and error answers (`[{errorCode, message}]`) surfaced as jsforce's
 * own errors with Salesforce's errorCode.
 */
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_CAMPAIGN_ID,
  type SalesforceEmulatorOptions,
  type SalesforceEmulatorState,
  salesforceEmulator,
} from '../../../destinations/salesforce/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const VERSION = '62.0';
let emulator: RunningEmulator<SalesforceEmulatorState>;
let conn: jsforce.Connection;

/** A connection authorised with the client_credentials grant against `url`. */
async function connect(url = emulator.url): Promise<jsforce.Connection> {
  const connection = new jsforce.Connection({
    oauth2: { clientId: 'weft-sandbox-client', clientSecret: 'weft-sandbox-secret', loginUrl: url },
    loginUrl: url,
    version: VERSION,
  });
  await connection.authorize({ grant_type: 'client_credentials' });
  return connection;
}

/** jsforce's error for a call that must fail. */
async function failure(
  call: PromiseLike<unknown>,
): Promise<{ name: string; errorCode: string; message: string }> {
  const error = await Promise.resolve(call).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as { name: string; errorCode: string; message: string };
}

beforeAll(async () => {
  emulator = await startEmulator<SalesforceEmulatorOptions, SalesforceEmulatorState>(salesforceEmulator, {
    options: { bulkProcessingPolls: 1 },
  });
  conn = await connect();
});
afterAll(() => emulator.close());

describe('jsforce against the Salesforce emulator', () => {
  it('OAuth client_credentials: instance URL and the identity URL parsed into user and org ids', async () => {
    expect(conn.instanceUrl).toBe(emulator.url);
    expect(conn.accessToken).toBeTypeOf('string');
    expect(conn.userInfo).toMatchObject({ id: '005000000000001AAA', organizationId: '00D000000000001AAA' });
  });

  it('upsert by external id through sObject Collections: created, updated and a per-record error', async () => {
    const results = await conn.sobject('Contact').upsert(
      [
        { External_Id__c: 'c-1', LastName: 'Lovelace', Email: 'ada@example.com' },
        { External_Id__c: 'c-2', LastName: 'Hopper' },
        { External_Id__c: 'c-3', FirstName: 'No last name' },
      ],
      'External_Id__c',
      { allOrNone: false },
    );
    expect(results.map((r) => [r.success, r.created])).toEqual([
      [true, true],
      [true, true],
      [false, undefined],
    ]);
    expect(results[0]?.id).toMatch(/^003/);
    const failed = results[2] as { errors: Array<{ statusCode: string; fields: string[] }> };
    expect(failed.errors[0]).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });

    const again = await conn
      .sobject('Contact')
      .upsert([{ External_Id__c: 'c-1', Title: 'Countess' }], 'External_Id__c', { allOrNone: false });
    expect(again[0]).toMatchObject({ success: true, created: false, id: results[0]?.id });
    expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);
    expect(conn.limitInfo.apiUsage?.limit).toBe(100_000);
  });

  it('insert and update through sObject Collections, then a SOQL lookup by external id', async () => {
    const created = await conn
      .sobject('Lead')
      .create([{ LastName: 'Turing', Company: 'Bletchley', External_Id__c: 'l-1' }], { allOrNone: false });
    expect(created[0]).toMatchObject({ success: true });
    const updated = await conn
      .sobject('Lead')
      .update([{ Id: created[0]?.id as string, Company: 'NPL' }], { allOrNone: false });
    expect(updated[0]).toMatchObject({ success: true, id: created[0]?.id });

    const found = await conn.query<{ Id: string; External_Id__c: string }>(
      "SELECT Id, External_Id__c FROM Contact WHERE External_Id__c IN ('c-1','c-2')",
    );
    expect(found.totalSize).toBe(2);
    expect(found.done).toBe(true);
    expect(found.records.map((r) => r.External_Id__c).sort()).toEqual(['c-1', 'c-2']);
  });

  it('campaign membership: CampaignMember records created through Collections and queried back', async () => {
    const contact = await conn.query<{ Id: string }>("SELECT Id FROM Contact WHERE External_Id__c = 'c-1'");
    const contactId = contact.records[0]?.Id as string;
    const added = await conn
      .sobject('CampaignMember')
      .create([{ CampaignId: SANDBOX_CAMPAIGN_ID, ContactId: contactId }], { allOrNone: false });
    expect(added[0]).toMatchObject({ success: true });
    const members = await conn.query<{ Id: string; ContactId: string }>(
      `SELECT Id, ContactId FROM CampaignMember WHERE CampaignId = '${SANDBOX_CAMPAIGN_ID}' AND ContactId IN ('${contactId}')`,
    );
    expect(members.records.map((m) => m.ContactId)).toEqual([contactId]);
  });

  it('describe: fields with types, external id, picklist values and createable flags', async () => {
    const described = await conn.sobject('Contact').describe();
    const byName = new Map(described.fields.map((f) => [f.name, f]));
    expect(described.name).toBe('Contact');
    expect(byName.get('External_Id__c')).toMatchObject({ externalId: true, type: 'string' });
    expect(byName.get('LastName')?.nillable).toBe(false);
    expect(byName.get('Name')?.createable).toBe(false);
    expect(byName.get('LeadSource')?.picklistValues?.length).toBeGreaterThan(0);
  });

  it('limits and delete through Collections (a missing id is a per-record error)', async () => {
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(100_000);
    const lead = await conn.query<{ Id: string }>("SELECT Id FROM Lead WHERE External_Id__c = 'l-1'");
    const id = lead.records[0]?.Id as string;
    const deleted = await conn.sobject('Lead').destroy([id, '00Q000000000999AAA'], { allOrNone: false });
    expect(deleted[0]).toMatchObject({ success: true, id });
    expect(deleted[1]?.success).toBe(false);
    const errors = (deleted[1] as { errors: Array<{ statusCode: string }> }).errors;
    expect(errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    const again = await conn.sobject('Lead').destroy([id], { allOrNone: false });
    expect((again[0] as { errors: Array<{ statusCode: string }> }).errors[0]?.statusCode).toBe(
      'ENTITY_IS_DELETED',
    );
  });

  it('Bulk API 2.0: an upsert job from CSV to its successful and failed results', async () => {
    const csv = [
      'External_Id__c,LastName,Email',
      'b-1,Bulk One,one@example.com',
      'b-2,,two@example.com',
      'c-2,Hopper Again,grace@example.com',
    ].join('\n');
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'External_Id__c',
      lineEnding: 'LF',
      input: csv,
      pollInterval: 20,
      pollTimeout: 5_000,
    });
    const rows = results.successfulResults as unknown as Array<{
      External_Id__c: string;
      sf__Created: string;
    }>;
    expect(rows.map((r) => [r.External_Id__c, r.sf__Created])).toEqual([
      ['b-1', 'true'],
      ['c-2', 'false'],
    ]);
    expect(results.failedResults).toHaveLength(1);
    expect(results.failedResults[0]).toMatchObject({ External_Id__c: 'b-2' });
    expect(String(results.failedResults[0]?.sf__Error)).toMatch(/REQUIRED_FIELD_MISSING/);
    expect(results.unprocessedRecords).toEqual([]);
  });

  it('errors: unknown object (404 NOT_FOUND) and a bad SOQL query, as jsforce errors with errorCode', async () => {
    const missing = await failure(conn.sobject('NoSuchThing__c').describe());
    expect(missing.errorCode).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/does not exist/);
    const bad = await failure(conn.query('SELEKT nothing').run());
    expect(bad.errorCode).toMatch(/MALFORMED_QUERY|INVALID_FIELD|INVALID_TYPE/);
  });
});

describe('jsforce and the emulator’s query pages', () => {
  it('a result over the batch size comes in pages: nextRecordsUrl followed by queryMore', async () => {
    const paged = await startEmulator<SalesforceEmulatorOptions, SalesforceEmulatorState>(
      salesforceEmulator,
      {
        options: { queryBatchSize: 2 },
      },
    );
    try {
      const connection = await connect(paged.url);
      const keys = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'];
      await connection.sobject('Contact').upsert(
        keys.map((k) => ({ External_Id__c: k, LastName: k })),
        'External_Id__c',
        { allOrNone: false },
      );
      const soql = `SELECT Id, External_Id__c FROM Contact WHERE External_Id__c IN ('${keys.join("','")}')`;
      const first = await connection.query<{ External_Id__c: string }>(soql);
      expect(first).toMatchObject({ totalSize: 5, done: false });
      expect(first.records).toHaveLength(2);
      expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g/);
      const second = await connection.queryMore<{ External_Id__c: string }>(first.nextRecordsUrl as string);
      expect(second.records).toHaveLength(2);
      const all: Array<{ External_Id__c: string }> = [];
      await new Promise((resolve, reject) => {
        connection
          .query<{ External_Id__c: string }>(soql)
          .on('record', (record: { External_Id__c: string }) => all.push(record))
          .on('end', resolve)
          .on('error', reject)
          .run({ autoFetch: true, maxFetch: 100 });
      });
      expect(all.map((r) => r.External_Id__c).sort()).toEqual(keys);
      const gone = await failure(connection.queryMore(first.nextRecordsUrl as string));
      expect(gone.errorCode).toBe('INVALID_QUERY_LOCATOR');
    } finally {
      await paged.close();
    }
  });
});

describe('jsforce and the emulator’s sessions and quota', () => {
  it('an expired session is refreshed with the refresh_token grant and the call retried', async () => {
    const refreshing = new jsforce.Connection({
      oauth2: {
        clientId: 'weft-sandbox-client',
        clientSecret: 'weft-sandbox-secret',
        loginUrl: emulator.url,
      },
      instanceUrl: emulator.url,
      accessToken: 'expired-or-unknown-token',
      refreshToken: 'weft-sandbox-refresh-token',
      version: VERSION,
    });
    let refreshed = '';
    refreshing.on('refresh', (token: string) => {
      refreshed = token;
    });
    const limits = await refreshing.limits();
    expect(limits.DailyApiRequests?.Max).toBe(100_000);
    expect(refreshed).toBeTypeOf('string');
    expect(refreshed).not.toBe('');
    expect(emulator.snapshot().state.tokenGrants.map((g) => g.grant_type)).toContain('refresh_token');
  });

  it('over the daily quota: 403 REQUEST_LIMIT_EXCEEDED as a jsforce error', async () => {
    const spent = await startEmulator<SalesforceEmulatorOptions, SalesforceEmulatorState>(
      salesforceEmulator,
      {
        options: { dailyApiLimit: 10, apiUsage: 10 },
      },
    );
    try {
      const connection = await connect(spent.url);
      const refused = await failure(connection.limits());
      expect(refused.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(refused.message).toMatch(/TotalRequests Limit exceeded/);
    } finally {
      await spent.close();
    }
  });
});
