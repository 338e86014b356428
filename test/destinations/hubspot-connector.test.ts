/** HubSpot connector specifics against the emulator: payloads, HubSpot's error quirks, lists, GDPR, properties. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hubspot } from '../../destinations/hubspot/index.js';
import type { HubspotSettings } from '../../destinations/hubspot/settings.js';
import {
  type DestinationContext,
  DestinationError,
  type DestinationRecord,
  effectiveLimits,
  invokePrimitive,
  type PrimitiveName,
  parseSettings,
} from '../../src/destination-kit/index.js';
import { contactsByEmail, type HubspotEmulator, hubspotContext, startHubspot } from './hubspot-harness.js';

const added = (key: string, fields: Record<string, unknown>, destinationId?: string): DestinationRecord => ({
  key,
  op: 'added',
  fields,
  ...(destinationId && { destinationId }),
});
const removed = (key: string, destinationId?: string): DestinationRecord => ({
  key,
  op: 'removed',
  fields: {},
  ...(destinationId && { destinationId }),
});

async function failure(promise: Promise<unknown>): Promise<DestinationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DestinationError);
  return error as DestinationError;
}

describe('hubspot connector', () => {
  let emulator: HubspotEmulator;
  beforeEach(async () => {
    emulator = await startHubspot({ customObjects: ['pets'] });
  });
  afterEach(() => emulator.close());

  const call = (
    primitive: PrimitiveName,
    records: DestinationRecord[],
    ctx: DestinationContext<HubspotSettings> = hubspotContext(emulator),
  ) => invokePrimitive(hubspot, primitive, ctx, records);
  const lastBody = (method: string, path: string) =>
    emulator.snapshot().state.lastBodies[`${method} ${path}`];

  it('upserts by idProperty with an objectWriteTraceId per input and keeps HubSpot ids', async () => {
    const results = await call('upsert', [
      added('a@example.com', { email: 'a@example.com', firstname: 'Ann', lifetime_value: 12.5 }),
      added('b@example.com', { email: 'B@Example.com', firstname: 'Bob', lifetime_value: null }),
    ]);
    expect(lastBody('POST', '/crm/v3/objects/contacts/batch/upsert')).toEqual({
      inputs: [
        {
          id: 'a@example.com',
          idProperty: 'email',
          objectWriteTraceId: '0',
          properties: { email: 'a@example.com', firstname: 'Ann', lifetime_value: 12.5 },
        },
        {
          id: 'B@Example.com',
          idProperty: 'email',
          objectWriteTraceId: '1',
          properties: { email: 'B@Example.com', firstname: 'Bob', lifetime_value: '' },
        },
      ],
    });
    const contacts = emulator.snapshot().state.records.contacts ?? {};
    expect(results).toEqual(Object.entries(contacts).map(([id]) => ({ status: 'ok', destinationId: id })));
    expect(contactsByEmail(emulator)['b@example.com']).toEqual({ email: 'b@example.com', firstname: 'Bob' });
  });

  it("maps 207 errors back to their rows with HubSpot's message", async () => {
    const results = await call('upsert', [
      added('a@example.com', { email: 'a@example.com' }),
      added('nope', { email: 'nope', firstname: 'X' }),
      added('c@example.com', { email: 'c@example.com', shoe_size: 44 }),
      added('d@example.com', { email: 'd@example.com', lifecyclestage: 'royalty' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'rejected', 'rejected', 'rejected']);
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : ''));
    expect(reasons[1]).toMatch(
      /^VALIDATION_ERROR: Property values were not valid: .*Email address nope is invalid/,
    );
    expect(reasons[2]).toContain('Property \\"shoe_size\\" does not exist');
    expect(reasons[3]).toContain('royalty was not one of the allowed options');
    expect(Object.keys(contactsByEmail(emulator))).toEqual(['a@example.com']);
  });

  it('rejects a record whose match_on value is empty without sending it (the key is no email)', async () => {
    const upserted = await call('upsert', [
      added('profile-1', { email: null, firstname: 'Nomail' }),
      added('profile-2', { email: 'two@example.com' }),
    ]);
    expect(upserted[0]).toEqual({
      status: 'rejected',
      reason: 'email is empty: HubSpot finds contacts records by it',
    });
    expect(upserted[1]?.status).toBe('ok');
    expect(
      (lastBody('POST', '/crm/v3/objects/contacts/batch/upsert') as { inputs: unknown[] }).inputs,
    ).toHaveLength(1);
    const members = await call(
      'addMembers',
      [added('profile-1', { email: '' })],
      hubspotContext(emulator, { mode: 'membership', list: '1' }),
    );
    expect(members).toEqual([
      { status: 'rejected', reason: 'email is empty: HubSpot finds contacts records by it' },
    ]);
  });

  it('treats a 2xx with neither results nor errors as a failure: nothing is known to be applied', async () => {
    const emptyAnswer: typeof fetch = async () =>
      new Response(JSON.stringify({ status: 'COMPLETE', results: [] }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    const error = await failure(
      call(
        'upsert',
        [added('a@example.com', { email: 'a@example.com' })],
        hubspotContext(emulator, { fetch: emptyAnswer }),
      ),
    );
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatch(/no results and no errors/);
  });

  it('classifies HubSpot 429s by policy, 423 as a wait of at least 2 s, an unknown object as config', async () => {
    const rate = (policyName: string) => ({
      status: 'error',
      message: 'You have reached your limit.',
      errorType: 'RATE_LIMIT',
      policyName,
    });
    emulator.injectFaults({
      fail: [
        { kind: 'status', status: 429, body: rate('DAILY') },
        { kind: 'status', status: 429, body: rate('TEN_SECONDLY_ROLLING') },
        { kind: 'status', status: 423, body: { status: 'error', message: 'locked' } },
      ],
    });
    const batch = [added('a@example.com', { email: 'a@example.com' })];
    const daily = await failure(call('upsert', batch));
    expect([daily.kind, daily.code]).toEqual(['quota', 'DAILY']);
    const rolling = await failure(call('upsert', batch));
    expect([rolling.kind, rolling.code, rolling.retryAfterMs]).toEqual([
      'rate_limit',
      'TEN_SECONDLY_ROLLING',
      1000,
    ]);
    const locked = await failure(call('upsert', batch));
    expect(locked.kind).toBe('retryable');
    expect(locked.retryAfterMs).toBeGreaterThanOrEqual(2000);
    const unknown = await failure(call('upsert', batch, hubspotContext(emulator, { object: 'spaceships' })));
    expect(unknown.kind).toBe('config');
  });

  it("answers the emulator's own rolling-window and daily 429s with the right kinds and headers", async () => {
    await emulator.close();
    emulator = await startHubspot({ limits: { max: 2, intervalMs: 60_000, daily: 3 } });
    const batch = [added('a@example.com', { email: 'a@example.com' })];
    await call('upsert', batch);
    const response = await fetch(`${emulator.url}/crm/v3/properties/contacts`, {
      headers: { authorization: 'Bearer sandbox-token' },
    });
    expect(
      Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('x-hubspot'))),
    ).toEqual({
      'x-hubspot-ratelimit-max': '2',
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '60000',
      'x-hubspot-ratelimit-daily': '3',
      'x-hubspot-ratelimit-daily-remaining': '1',
    });
    const rolling = await failure(call('upsert', batch));
    // No Retry-After: a tenth of the window the headers name, at most 2 s.
    expect([rolling.kind, rolling.code, rolling.retryAfterMs]).toEqual([
      'rate_limit',
      'TEN_SECONDLY_ROLLING',
      2000,
    ]);
    expect(emulator.snapshot().state.rateLimited).toEqual({ TEN_SECONDLY_ROLLING: 1, DAILY: 0 });
  });

  it("adds list members by ids from batch read, rejects unknown contacts, removes by the snapshot's id", async () => {
    const [ann] = await call('upsert', [added('a@example.com', { email: 'a@example.com' })]);
    const annId = ann?.status === 'ok' ? ann.destinationId : undefined;
    const ctx = hubspotContext(emulator, { mode: 'membership', list: '1' });
    const results = await call(
      'addMembers',
      [added('p1', { email: 'A@example.com' }), added('p2', { email: 'zed@example.com' })],
      ctx,
    );
    expect(results).toEqual([
      { status: 'ok', destinationId: annId },
      {
        status: 'rejected',
        reason: 'no contacts record with email=zed@example.com in HubSpot: sync contacts first',
      },
    ]);
    expect(lastBody('POST', '/crm/v3/objects/contacts/batch/read')).toEqual({
      idProperty: 'email',
      properties: ['email'],
      inputs: [{ id: 'A@example.com' }, { id: 'zed@example.com' }],
    });
    expect(emulator.snapshot().state.lists['1']?.members).toEqual([annId]);
    const reads = () =>
      emulator.snapshot().state.requests.filter((r) => r.path.endsWith('/batch/read')).length;
    const before = reads();
    expect(await call('removeMembers', [removed('p1', annId)], ctx)).toEqual([
      { status: 'ok', destinationId: annId },
    ]);
    expect(reads()).toBe(before);
    expect(lastBody('PUT', '/crm/v3/lists/1/memberships/add-and-remove')).toEqual({
      recordIdsToAdd: [],
      recordIdsToRemove: [annId],
    });
    expect(emulator.snapshot().state.lists['1']?.members).toEqual([]);
    // A stale id (the contact was deleted in HubSpot) is rejected with the reason.
    const stale = await call('addMembers', [added('p9', { email: 'gone@example.com' }, '999999')], ctx);
    expect(stale[0]).toEqual({
      status: 'rejected',
      reason: 'HubSpot has no contacts record 999999 (deleted?) to add to list 1',
    });
    // An unknown list is a config problem for the whole run.
    const missingList = hubspotContext(emulator, { mode: 'membership', list: '77' });
    expect(
      (await failure(call('addMembers', [added('p1', { email: 'a@example.com' }, annId)], missingList))).kind,
    ).toBe('config');
  });

  it('archives mirror deletes by id, resolving keys it has no id for; a missing record counts as deleted', async () => {
    const created = await call(
      'upsert',
      ['a', 'b', 'c'].map((n) => added(`${n}@example.com`, { email: `${n}@example.com` })),
    );
    const bId = created[1]?.status === 'ok' ? created[1].destinationId : undefined;
    const results = await call(
      'remove',
      [removed('a@example.com'), removed('b@example.com', bId), removed('x@example.com')],
      hubspotContext(emulator, { mode: 'mirror' }),
    );
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(Object.keys(contactsByEmail(emulator))).toEqual(['c@example.com']);
  });

  it('updates only existing records (by id when known) and rejects the others', async () => {
    const [ann] = await call('upsert', [
      added('a@example.com', { email: 'a@example.com', firstname: 'Ann' }),
    ]);
    const annId = ann?.status === 'ok' ? ann.destinationId : undefined;
    const ctx = hubspotContext(emulator, { mode: 'update' });
    const results = await call(
      'update',
      [added('a@example.com', { firstname: 'Anna' }, annId), added('new@example.com', { firstname: 'New' })],
      ctx,
    );
    expect(results[0]).toEqual({ status: 'ok', destinationId: annId });
    expect(results[1]?.status === 'rejected' && results[1].reason).toMatch(
      /no contacts record with that email in HubSpot \(update mode never creates\)/,
    );
    expect(
      (lastBody('POST', '/crm/v3/objects/contacts/batch/update') as { inputs: unknown[] }).inputs[0],
    ).toEqual({
      id: annId,
      properties: { firstname: 'Anna' },
      objectWriteTraceId: '0',
    });
    expect(contactsByEmail(emulator)).toEqual({
      'a@example.com': { email: 'a@example.com', firstname: 'Anna' },
    });
  });

  it('writes custom objects by name with their unique property', async () => {
    const ctx = hubspotContext(emulator, { object: 'pets', matchOn: 'external_id' });
    const results = await call('upsert', [added('pet-1', { name: 'Rex', status: 'active' })], ctx);
    expect(results[0]?.status).toBe('ok');
    expect(Object.values(emulator.snapshot().state.records.pets ?? {})[0]).toMatchObject({
      external_id: 'pet-1',
      name: 'Rex',
    });
    const fields = await hubspot.discoverFields?.(ctx);
    expect(fields?.status).toEqual({
      type: 'string',
      description: 'Status',
      options: ['active', 'inactive'],
    });
  });

  it('discovers contact properties: types, enumeration options, read-only ones', async () => {
    const fields = await hubspot.discoverFields?.(hubspotContext(emulator));
    expect(fields?.email).toMatchObject({ type: 'string' });
    expect(fields?.lifetime_value).toMatchObject({ type: 'number' });
    expect(fields?.vip).toMatchObject({ type: 'boolean' });
    expect(fields?.lifecyclestage?.options).toContain('customer');
    expect(fields?.createdate).toMatchObject({ type: 'datetime', readOnly: true });
    expect(fields?.hs_email_domain?.readOnly).toBe(true);
  });

  it('GDPR-deletes a contact by email or id; an unknown one is already gone', async () => {
    const created = await call(
      'upsert',
      ['a', 'b'].map((n) => added(`${n}@example.com`, { email: `${n}@example.com` })),
    );
    const ctx = hubspotContext(emulator);
    await hubspot.deletePerson?.(ctx, 'A@example.com');
    await hubspot.deletePerson?.(
      ctx,
      created[1]?.status === 'ok' ? (created[1].destinationId as string) : '',
    );
    await hubspot.deletePerson?.(ctx, 'nobody@example.com');
    expect(contactsByEmail(emulator)).toEqual({});
    expect(lastBody('POST', '/crm/v3/objects/contacts/gdpr-delete')).toEqual({
      objectId: 'nobody@example.com',
      idProperty: 'email',
    });
  });

  it('takes its limits from the account tier and its account from host and portal id, never the token', () => {
    const limits = (tier: string) =>
      effectiveLimits(hubspot, parseSettings(hubspot, { access_token: 't', tier }));
    expect(limits('free')).toMatchObject({
      rateLimit: { requests: 100, perMs: 10_000 },
      dailyQuota: 250_000,
      batch: { maxRecords: 100 },
    });
    expect(limits('professional')).toMatchObject({
      rateLimit: { requests: 190, perMs: 10_000 },
      dailyQuota: 650_000,
    });
    expect(limits('capacity_pack')).toMatchObject({
      rateLimit: { requests: 250, perMs: 10_000 },
      dailyQuota: 1_000_000,
    });
    const account = (settings: Record<string, unknown>) =>
      hubspot.account?.(parseSettings(hubspot, { access_token: 'secret-token', ...settings }));
    expect(account({ portal_id: 42 })).toBe('https://api.hubapi.com#portal-42');
    expect(account({})).toBe('https://api.hubapi.com');
    expect(account({ portal_id: 42 })).not.toContain('secret-token');
  });
});
