/**
 * HubSpot's official Node SDK (`@hubspot/api-client`) drives the HubSpot emulator through every
 * operation weft's connector makes: batch upsert/update/read/archive (contacts and a custom
 * object), list add-and-remove, property discovery, GDPR delete, and the 401, 400 and 429 answers.
 * The SDK throws `ApiException` on any status its spec does not list for an operation, so an
 * emulator answer HubSpot would never give fails here.
 */
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubspotEmulator, startHubspot } from '../hubspot-harness.js';

let emulator: HubspotEmulator;
let client: Client;

/** An SDK client for the emulator (no SDK retries: every answer is seen as it came). */
function sdk(token = 'sandbox-token'): Client {
  return new Client({ accessToken: token, basePath: emulator.url, numberOfApiCallRetries: 0 });
}

/**
 * GDPR delete through the SDK's generic `apiRequest` (13.x generates a GDPR API but exposes it on
 * no client property); it returns node-fetch's Response, errors included.
 */
function gdprDelete(body: { objectId: string; idProperty?: string }) {
  return client.apiRequest({ method: 'POST', path: '/crm/v3/objects/contacts/gdpr-delete', body });
}

/** The SDK's error for a call that must fail. */
async function failure(call: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error?.constructor.name).toBe('ApiException');
  return error as { code: number; body: Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startHubspot({ customObjects: ['pets'], validateEmails: true });
  client = sdk();
});
afterAll(() => emulator.close());

describe('@hubspot/api-client against the HubSpot emulator', () => {
  it('batch upsert: creates (200, not 201) and updates, with new, ids, dates and trace ids parsed', async () => {
    const created = await client.crm.contacts.batchApi.upsert({
      inputs: [
        {
          id: 'ada@example.com',
          idProperty: 'email',
          properties: { firstname: 'Ada' },
          objectWriteTraceId: '0',
        },
        {
          id: 'bob@example.com',
          idProperty: 'email',
          properties: { firstname: 'Bob' },
          objectWriteTraceId: '1',
        },
      ],
    });
    expect(created.status).toBe('COMPLETE');
    expect(created.results.map((r) => [r.objectWriteTraceId, r._new, r.properties.firstname])).toEqual([
      ['0', true, 'Ada'],
      ['1', true, 'Bob'],
    ]);
    expect(created.results[0]?.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(created.results[0]?.createdAt.getTime())).toBe(false);
    expect(created.completedAt).toBeInstanceOf(Date);

    const again = await client.crm.contacts.batchApi.upsert({
      inputs: [{ id: 'ada@example.com', idProperty: 'email', properties: { lastname: 'Lovelace' } }],
    });
    expect(again.results[0]?._new).toBe(false);
    expect(again.results[0]?.id).toBe(created.results[0]?.id);
  });

  it('batch upsert with a bad row: 207 parsed as results plus errors tied by objectWriteTraceId', async () => {
    const answer = await client.crm.contacts.batchApi.upsert({
      inputs: [
        {
          id: 'cy@example.com',
          idProperty: 'email',
          properties: { firstname: 'Cy' },
          objectWriteTraceId: 'a',
        },
        {
          id: 'dee@example.com',
          idProperty: 'email',
          properties: { lifecyclestage: 'not-a-stage' },
          objectWriteTraceId: 'b',
        },
      ],
    });
    expect(answer.results.map((r) => r.objectWriteTraceId)).toEqual(['a']);
    expect('errors' in answer).toBe(true);
    const errors = (answer as { errors: Array<{ category: string; message: string; context: unknown }> })
      .errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.category).toBe('VALIDATION_ERROR');
    expect(errors[0]?.context).toMatchObject({ objectWriteTraceId: ['b'] });
  });

  it('batch update by record id, and batch read by email with a missing id (207 OBJECT_NOT_FOUND)', async () => {
    const read = await client.crm.contacts.batchApi.read({
      idProperty: 'email',
      properties: ['email', 'firstname'],
      propertiesWithHistory: [],
      inputs: [{ id: 'ada@example.com' }, { id: 'nobody@example.com' }],
    });
    expect(read.results.map((r) => r.properties.email)).toEqual(['ada@example.com']);
    const errors = (read as { errors?: Array<{ category: string; context: Record<string, string[]> }> })
      .errors;
    expect(errors?.[0]?.category).toBe('OBJECT_NOT_FOUND');
    expect(errors?.[0]?.context.ids).toEqual(['nobody@example.com']);

    const id = read.results[0]?.id as string;
    const updated = await client.crm.contacts.batchApi.update({
      inputs: [{ id, properties: { city: 'London' }, objectWriteTraceId: '7' }],
    });
    expect(updated.results[0]?.properties.city).toBe('London');
    expect(updated.results[0]?.updatedAt).toBeInstanceOf(Date);
  });

  it('a custom object: upsert by its unique property through the generic objects API', async () => {
    const answer = await client.crm.objects.batchApi.upsert('pets', {
      inputs: [{ id: 'p-1', idProperty: 'external_id', properties: { name: 'Rex' } }],
    });
    expect(answer.results[0]?._new).toBe(true);
    expect(answer.results[0]?.properties.name).toBe('Rex');
  });

  it('list membership add-and-remove: the answer (sic recordsIdsAdded) parses', async () => {
    const read = await client.crm.contacts.batchApi.read({
      idProperty: 'email',
      properties: ['email'],
      propertiesWithHistory: [],
      inputs: [{ id: 'ada@example.com' }, { id: 'bob@example.com' }],
    });
    const [ada, bob] = read.results.map((r) => r.id);
    const added = await client.crm.lists.membershipsApi.addAndRemove('1', {
      recordIdsToAdd: [ada as string, bob as string, '999999'],
      recordIdsToRemove: [],
    });
    expect(added.recordsIdsAdded.sort()).toEqual([ada, bob].sort());
    expect(added.recordIdsMissing).toEqual(['999999']);
    const removed = await client.crm.lists.membershipsApi.addAndRemove('1', {
      recordIdsToAdd: [],
      recordIdsToRemove: [bob as string],
    });
    expect(removed.recordIdsRemoved).toEqual([bob]);
    const missingList = await failure(
      client.crm.lists.membershipsApi.addAndRemove('404404', { recordIdsToAdd: [], recordIdsToRemove: [] }),
    );
    expect(missingList.code).toBe(404);
    expect(missingList.body.category).toBe('OBJECT_NOT_FOUND');
  });

  it('field discovery: properties parse with types, options and read-only metadata', async () => {
    const properties = await client.crm.properties.coreApi.getAll('contacts');
    const byName = new Map(properties.results.map((p) => [p.name, p]));
    expect(byName.get('email')?.type).toBe('string');
    expect(byName.get('lifecyclestage')?.options.map((o) => o.value)).toContain('customer');
    expect(byName.get('hs_object_id')?.modificationMetadata?.readOnlyValue).toBe(true);
    const unknown = await failure(client.crm.properties.coreApi.getAll('no_such_object'));
    expect(unknown.code).toBe(400);
    expect(unknown.body.category).toBe('VALIDATION_ERROR');
  });

  it('mirror delete (batch archive, 204) and GDPR delete (204; 404 for a contact HubSpot lacks)', async () => {
    await client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'gone@example.com', idProperty: 'email', properties: {} },
        { id: 'erase@example.com', idProperty: 'email', properties: {} },
      ],
    });
    const read = await client.crm.contacts.batchApi.read({
      idProperty: 'email',
      properties: ['email'],
      propertiesWithHistory: [],
      inputs: [{ id: 'gone@example.com' }],
    });
    await expect(
      client.crm.contacts.batchApi.archive({ inputs: [{ id: read.results[0]?.id as string }] }),
    ).resolves.toBeUndefined();
    const erased = await gdprDelete({ objectId: 'erase@example.com', idProperty: 'email' });
    expect(erased.status).toBe(204);
    const again = await gdprDelete({ objectId: 'erase@example.com', idProperty: 'email' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    const emails = Object.values(emulator.snapshot().state.records.contacts ?? {}).map((p) => p.email);
    expect(emails).not.toContain('gone@example.com');
    expect(emails).not.toContain('erase@example.com');
  });

  it('errors: 400 batch validation, 401 bad token, as ApiException with HubSpot’s body fields', async () => {
    const tooMany = await failure(
      client.crm.contacts.batchApi.upsert({
        inputs: Array.from({ length: 101 }, (_, i) => ({
          id: `u${i}@example.com`,
          idProperty: 'email',
          properties: {},
        })),
      }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(String(tooMany.body.message)).toContain('101');
    expect(typeof tooMany.body.correlationId).toBe('string');

    const denied = await failure(sdk('wrong-token').crm.properties.coreApi.getAll('contacts'));
    expect(denied.code).toBe(401);
    expect(denied.body.category).toBe('INVALID_AUTHENTICATION');
  });
});

describe('@hubspot/api-client and the emulator’s rate limit', () => {
  it('429 past the rolling window: ApiException with HubSpot’s message and the limit headers', async () => {
    const limited = await startHubspot({ limits: { max: 1, intervalMs: 60_000, daily: 100 } });
    try {
      const client = new Client({ accessToken: 'sandbox-token', basePath: limited.url });
      await client.crm.properties.coreApi.getAll('contacts');
      const error = await failure(client.crm.properties.coreApi.getAll('contacts'));
      expect(error.code).toBe(429);
      expect(error.body.message).toBe('You have reached your ten_secondly_rolling limit.');
      // The SDK's own retry decorator keys on policyName (TEN_SECONDLY_ROLLING → wait 10 s).
      expect(error.body).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
      expect(typeof error.body.correlationId).toBe('string');
      const headers = (error as unknown as { headers: Record<string, string> }).headers;
      expect(headers['x-hubspot-ratelimit-remaining']).toBe('0');
      expect(headers['x-hubspot-ratelimit-max']).toBe('1');
    } finally {
      await limited.close();
    }
  });
});
