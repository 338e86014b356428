/**
 * Google Ads connector details without the runner: error classification (retryDelay, quota,
 * CONCURRENT_MODIFICATION, config codes), auth headers the emulator checks, identifiers chunked
 * per request with partial failures mapped across chunks, and a job that never ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { refineGoogleAdsError } from '../../destinations/google_ads/errors.js';
import { googleAds } from '../../destinations/google_ads/index.js';
import {
  classifyHttpResponse,
  DestinationError,
  type DestinationRecord,
  invokePrimitive,
  sha256Hex,
} from '../../src/destination-kit/index.js';
import {
  type GoogleAdsEmulator,
  googleAdsContext,
  memberEmails,
  startGoogleAds,
} from './google-ads-harness.js';

function classify(status: number, rpcStatus: string, errorCode: Record<string, string>, extra: object = {}) {
  const body = JSON.stringify({
    error: {
      code: status,
      status: rpcStatus,
      message: 'm',
      details: [
        {
          '@type': 'type.googleapis.com/google.ads.googleads.v19.errors.GoogleAdsFailure',
          errors: [{ errorCode, message: 'e', ...extra }],
        },
      ],
    },
  });
  const info = { status, headers: new Headers(), body };
  const generic = classifyHttpResponse(status, info.headers, body) as DestinationError;
  return refineGoogleAdsError(info, generic) ?? generic;
}

const people = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})): DestinationRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    op: 'added',
    fields: { email: `p${i}@example.com`, ...extra(i) },
  }));

describe('google_ads errors', () => {
  it('honours retryDelay on RESOURCE_EXHAUSTED; a delay of hours ends the run as quota', () => {
    const quota = (delay: string) =>
      classify(
        429,
        'RESOURCE_EXHAUSTED',
        { quotaError: 'RESOURCE_EXHAUSTED' },
        { details: { quotaErrorDetails: { retryDelay: delay } } },
      );
    expect([quota('30s').kind, quota('30s').retryAfterMs]).toEqual(['rate_limit', 30_000]);
    expect(quota('1.5s').retryAfterMs).toBe(1_500);
    expect(quota('86400s').kind).toBe('quota');
  });

  it('retries CONCURRENT_MODIFICATION; unknown lists are config; bad tokens auth; bad rows record', () => {
    expect(classify(409, 'ABORTED', { databaseError: 'CONCURRENT_MODIFICATION' }).kind).toBe('retryable');
    expect(classify(400, 'INVALID_ARGUMENT', { offlineUserDataJobError: 'INVALID_USER_LIST_ID' }).kind).toBe(
      'config',
    );
    expect(classify(401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_INVALID' }).kind).toBe(
      'auth',
    );
    const bad = classify(400, 'INVALID_ARGUMENT', { offlineUserDataJobError: 'INVALID_SHA256_FORMAT' });
    expect([bad.kind, bad.message]).toEqual([
      'record',
      'Google Ads INVALID_ARGUMENT: INVALID_SHA256_FORMAT (offlineUserDataJobError) e',
    ]);
  });
});

describe('google_ads connector against the emulator', () => {
  let emulator: GoogleAdsEmulator;
  afterEach(async () => emulator?.close());

  it('sends developer-token and login-customer-id; without them the batch stops as auth', async () => {
    emulator = await startGoogleAds({ loginCustomerId: '9876543210' });
    const withManager = googleAdsContext(emulator, { settings: { login_customer_id: '987-654-3210' } });
    expect(
      (await invokePrimitive(googleAds, 'addMembers', withManager, people(1))).map((r) => r.status),
    ).toEqual(['ok']);
    const error = await invokePrimitive(
      googleAds,
      'addMembers',
      googleAdsContext(emulator, { settings: { login_customer_id: undefined } }),
      people(1),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).kind).toBe('auth');
    expect((error as DestinationError).message).toMatch(/USER_PERMISSION_DENIED/);
    const badDeveloper = googleAdsContext(emulator, {
      settings: { login_customer_id: '9876543210', developer_token: 'not-approved' },
    });
    const refused = await invokePrimitive(googleAds, 'addMembers', badDeveloper, people(1)).catch(
      (e: unknown) => e,
    );
    expect([(refused as DestinationError).kind, (refused as DestinationError).message]).toEqual([
      'auth',
      expect.stringMatching(/DEVELOPER_TOKEN_INVALID/),
    ]);
  });

  it('chunks operations by identifiers per request and maps partial failures to the right rows across chunks', async () => {
    emulator = await startGoogleAds();
    emulator.injectFaults({
      reject: [
        { field: 'hashedEmail', equals: sha256Hex('p4@example.com'), reason: 'INVALID_SHA256_FORMAT' },
      ],
    });
    const ctx = googleAdsContext(emulator, { settings: { identifiers_per_request: 4 } });
    // Two identifiers each (email and phone): two people per request.
    const records = people(5, (i) => ({ phone: `+1415555010${i}` }));
    const results = await invokePrimitive(googleAds, 'addMembers', ctx, records);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'rejected']);
    const adds = emulator.snapshot().state.requests.filter((r) => r.path.endsWith(':addOperations'));
    expect(adds.map((r) => [r.operations, r.identifiers])).toEqual([
      [2, 4],
      [2, 4],
      [1, 2],
    ]);
    expect(memberEmails(emulator)).toHaveLength(4);
    expect(emulator.snapshot().state.jobs).toHaveLength(1);
  });

  it('leaves members retryable when the job does not end within job_timeout_ms', async () => {
    emulator = await startGoogleAds({ pollsToFinish: 1_000, finishAfterMs: 60_000 });
    const ctx = googleAdsContext(emulator, { settings: { job_timeout_ms: 30 } });
    const results = await invokePrimitive(googleAds, 'addMembers', ctx, people(2));
    expect(results.map((r) => r.status)).toEqual(['retryable', 'retryable']);
    expect(results[0]?.status === 'retryable' && results[0].reason).toMatch(/still RUNNING after 30 ms/);
  });

  it('does not run a job when every row was refused', async () => {
    emulator = await startGoogleAds();
    emulator.injectFaults({
      reject: [{ field: 'hashedEmail', matches: '.*', reason: 'INVALID_SHA256_FORMAT' }],
    });
    const results = await invokePrimitive(googleAds, 'addMembers', googleAdsContext(emulator), people(2));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(emulator.snapshot().state.jobs.map((j) => j.status)).toEqual(['PENDING']);
  });
});
