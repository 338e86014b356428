/**
 * Klaviyo without the runner: the job's life (queued → processing → complete), import errors
 * tied to rows, throttled polls that wait instead of creating the job twice, Retry-After and
 * RateLimit-Reset, JSON:API messages, list removal by looked-up ids, the emulator's revision rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { klaviyo } from '../../destinations/klaviyo/index.js';
import { DestinationError, type DestinationRecord } from '../../src/destination-kit/index.js';
import {
  type KlaviyoEmulator,
  klaviyoContext,
  LIST,
  profilesByEmail,
  startKlaviyo,
} from './klaviyo-harness.js';

const people = (n: number, from = 0): DestinationRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `p${from + i}@example.com`,
    op: 'added' as const,
    fields: { email: `P${from + i}@Example.com`, first_name: `P${from + i}`, plan: 'gold' },
  }));

async function failure(promise: Promise<unknown>): Promise<DestinationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DestinationError);
  return error as DestinationError;
}

describe('klaviyo connector', () => {
  let emulator: KlaviyoEmulator;
  afterEach(async () => {
    await emulator?.close();
  });
  const upsert = (records: DestinationRecord[], settings: Record<string, unknown> = {}) =>
    klaviyo.upsert?.(klaviyoContext(emulator, { settings }), records) ??
    Promise.reject(new Error('no upsert'));

  it('creates one job, polls it through queued and processing to complete, then acknowledges the rows', async () => {
    emulator = await startKlaviyo({ readsToComplete: 4 });
    const results = await upsert(people(3));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    const requests = emulator
      .snapshot()
      .state.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/, ':id')}`);
    expect(requests).toEqual([
      'POST /api/profile-bulk-import-jobs',
      ...Array(4).fill('GET /api/profile-bulk-import-jobs/:id'),
    ]);
    // Identifiers are normalized; other fields are profile attributes or custom properties.
    expect(profilesByEmail(emulator)['p0@example.com']).toEqual({
      email: 'p0@example.com',
      first_name: 'P0',
      properties: { plan: 'gold' },
    });
  });

  it('maps import errors back to their rows (by identifier) and rejects rows with unusable identifiers before sending', async () => {
    emulator = await startKlaviyo();
    emulator.injectFaults({
      reject: [{ field: 'email', equals: 'p1@example.com', reason: 'Email is suppressed' }],
    });
    const records = [...people(3), { key: 'x', op: 'added' as const, fields: { first_name: 'Nobody' } }];
    records.push({ key: 'bad-phone', op: 'added', fields: { phone_number: '12' } });
    const results = await upsert(records);
    expect(results).toEqual([
      { status: 'ok' },
      { status: 'rejected', reason: 'invalid: Email is suppressed' },
      { status: 'ok' },
      { status: 'rejected', reason: "email 'x' is not valid for Klaviyo" },
      { status: 'rejected', reason: "phone_number '12' is not valid for Klaviyo" },
    ]);
    expect(emulator.snapshot().state.jobs).toMatchObject([{ total_count: 3, failed_count: 1 }]);
  });

  it('waits out a throttled status poll (Retry-After) instead of failing and re-creating the job', async () => {
    emulator = await startKlaviyo({
      readsToComplete: 3,
      limits: { 'jobs.read': { burstPerSecond: 1, steadyPerMinute: 100 } },
    });
    const results = await upsert(people(2));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok']);
    const { requests } = emulator.snapshot().state;
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const throttled = requests.findIndex((r) => r.status === 429);
    expect(throttled).toBeGreaterThan(0);
    const next = requests[throttled + 1];
    expect((next?.at ?? 0) - (requests[throttled]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('a throttled job creation is rate_limit with the Retry-After wait and a JSON:API message', async () => {
    emulator = await startKlaviyo({ limits: { 'jobs.create': { burstPerSecond: 1, steadyPerMinute: 100 } } });
    await upsert(people(1));
    const error = await failure(upsert(people(1, 1)));
    expect(error.kind).toBe('rate_limit');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(error.message).toMatch(/^Klaviyo 429: throttled: Request was throttled/);
  });

  it('reads RateLimit-Reset when a 429 has no Retry-After', () => {
    const generic = new DestinationError('rate_limit', 'rate limited (HTTP 429)', { status: 429 });
    const headers = new Headers({ 'ratelimit-reset': '7' });
    const refined = klaviyo.refineError?.(
      { status: 429, headers, body: '{"errors":[{"code":"throttled"}]}' },
      generic,
    );
    expect([refined?.kind, refined?.retryAfterMs]).toEqual(['rate_limit', 7000]);
  });

  it('adds to a list through the import job and removes by ids looked up with filter=any(email,…)', async () => {
    emulator = await startKlaviyo();
    const ctx = klaviyoContext(emulator, { mode: 'membership' });
    await klaviyo.addMembers?.(ctx, people(3));
    const listed = () => emulator.snapshot().state.lists[LIST] ?? [];
    expect(listed()).toHaveLength(3);
    const removals = ['p0@example.com', 'p2@example.com', 'nobody@example.com'].map((key) => ({
      key,
      op: 'removed' as const,
      fields: {},
    }));
    const results = await klaviyo.removeMembers?.(ctx, removals);
    expect(results?.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    const p1 = emulator.snapshot().state.profiles.find((p) => p.email === 'p1@example.com');
    expect(listed()).toEqual([p1?.id]);
    const calls = emulator.snapshot().state.requests.filter((r) => !r.path.startsWith('/api/profile-bulk'));
    expect(calls.map((r) => [r.method, r.path, r.items])).toEqual([
      ['GET', '/api/profiles', undefined],
      ['DELETE', `/api/lists/${LIST}/relationships/profiles`, 2],
    ]);
  });

  it('deletePerson asks for a data-privacy deletion by email', async () => {
    emulator = await startKlaviyo();
    const ctx = klaviyoContext(emulator, { mode: 'membership' });
    await klaviyo.addMembers?.(ctx, people(2));
    await klaviyo.deletePerson?.(ctx, 'P0@example.com');
    expect(emulator.snapshot().state.profiles.map((p) => p.email)).toEqual(['p1@example.com']);
    expect(emulator.snapshot().state.lists[LIST]).toHaveLength(1);
  });

  it('the emulator refuses a request without the revision header, as Klaviyo does', async () => {
    emulator = await startKlaviyo();
    const response = await fetch(`${emulator.url}/api/accounts`, {
      headers: { authorization: `Klaviyo-API-Key ${String(emulator.settings.api_key)}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ source: { pointer: string } }> };
    expect(body.errors[0]?.source.pointer).toBe('/headers/revision');
    await klaviyo.testConnection?.(klaviyoContext(emulator));
    expect(emulator.snapshot().state.requests.map((r) => [r.revision, r.status])).toEqual([
      [null, 400],
      ['2024-10-15', 200],
    ]);
  });
});
