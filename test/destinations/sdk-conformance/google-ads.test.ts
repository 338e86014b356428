/**
 * Google Ads has no official Node client that speaks REST: Google's own client libraries cover
 * Java, .NET, PHP, Python, Ruby and Perl; the npm packages (`google-ads-api`, `google-ads-node`)
 * are community clients over gRPC, and the REST discovery client (`googleapis`) does not include
 * the Google Ads API. So the emulator is held here to the documented REST shapes themselves (the
 * Google Ads REST reference and Google's JSON error format), with plain `fetch` and nothing of
 * weft's client: resource names, the long-running Operation of `:run`, `partialFailureError` as a
 * google.rpc.Status whose details are a `GoogleAdsFailure` locating each error by operation index,
 * GAQL search rows, and errors as `{error: {code, message, status, details}}`.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GoogleAdsEmulatorOptions,
  type GoogleAdsEmulatorState,
  googleAdsEmulator,
} from '../../../destinations/google_ads/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const CUSTOMER = '1234567890';
const LIST = `customers/${CUSTOMER}/userLists/7000000001`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const HEADERS = {
  authorization: 'Bearer sandbox-google-token',
  'developer-token': 'sandbox-developer-token',
  'content-type': 'application/json',
};

let emulator: RunningEmulator<GoogleAdsEmulatorState>;

/** POSTs a documented REST call; status and parsed JSON. */
async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = HEADERS,
  url = emulator.url,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/v19/customers/${CUSTOMER}/${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Google's JSON error format: `error.code` is the HTTP status, `status` the rpc code name. */
function expectGoogleError(answer: { status: number; json: Record<string, unknown> }, status: string) {
  const error = answer.json.error as {
    code: number;
    status: string;
    message: string;
    details: Array<{
      '@type': string;
      errors: Array<{ errorCode: Record<string, string>; message: string }>;
    }>;
  };
  expect(error.code).toBe(answer.status);
  expect(error.status).toBe(status);
  expect(error.message).toBeTypeOf('string');
  expect(error.details[0]?.['@type']).toMatch(
    /^type\.googleapis\.com\/google\.ads\.googleads\.v\d+\.errors\.GoogleAdsFailure$/,
  );
  return error.details[0]?.errors ?? [];
}

beforeAll(async () => {
  emulator = await startEmulator<GoogleAdsEmulatorOptions, GoogleAdsEmulatorState>(googleAdsEmulator, {
    options: { pollsToFinish: 1 },
  });
});
afterAll(() => emulator.close());

describe('the Google Ads emulator against the documented REST shapes', () => {
  it('a Customer Match job: create, addOperations with partial failure, run, search to SUCCESS', async () => {
    const created = await post('offlineUserDataJobs:create', {
      job: {
        type: 'CUSTOMER_MATCH_USER_LIST',
        customerMatchUserListMetadata: {
          userList: LIST,
          consent: { adUserData: 'GRANTED', adPersonalization: 'GRANTED' },
        },
      },
    });
    expect(created.status).toBe(200);
    const job = created.json.resourceName as string;
    expect(job).toMatch(new RegExp(`^customers/${CUSTOMER}/offlineUserDataJobs/\\d+$`));
    const jobPath = job.slice(`customers/${CUSTOMER}/`.length);

    const added = await post(`${jobPath}:addOperations`, {
      enablePartialFailure: true,
      operations: [
        { create: { userIdentifiers: [{ hashedEmail: sha('ada@example.com') }] } },
        { create: { userIdentifiers: [{ hashedEmail: 'not-a-hash' }] } },
        { create: { userIdentifiers: [{ hashedPhoneNumber: sha('+15551234567') }] } },
      ],
    });
    expect(added.status).toBe(200);
    const partial = added.json.partialFailureError as {
      code: number;
      message: string;
      details: Array<{
        '@type': string;
        errors: Array<{
          errorCode: Record<string, string>;
          location: { fieldPathElements: Array<{ fieldName: string; index?: number }> };
        }>;
      }>;
    };
    expect(partial.code).toBe(3); // google.rpc.Code INVALID_ARGUMENT
    expect(partial.details[0]?.['@type']).toMatch(/GoogleAdsFailure$/);
    expect(partial.details[0]?.errors).toEqual([
      expect.objectContaining({
        errorCode: { offlineUserDataJobError: 'INVALID_SHA256_FORMAT' },
        location: { fieldPathElements: [{ fieldName: 'operations', index: 1 }, { fieldName: 'create' }] },
      }),
    ]);

    const run = await post(`${jobPath}:run`, {});
    expect(run.status).toBe(200);
    expect(run.json.name).toMatch(new RegExp(`^customers/${CUSTOMER}/operations/`));

    const search = await post('googleAds:search', {
      query: `SELECT offline_user_data_job.resource_name, offline_user_data_job.status FROM offline_user_data_job WHERE offline_user_data_job.resource_name = '${job}'`,
    });
    const rows = search.json.results as unknown as Array<{
      offlineUserDataJob: { resourceName: string; status: string };
    }>;
    expect(rows[0]?.offlineUserDataJob).toMatchObject({ resourceName: job, status: 'SUCCESS' });
    expect(search.json.fieldMask).toContain('offlineUserDataJob.status');
    expect(emulator.snapshot().state.lists['7000000001']?.count).toBe(2);
  });

  it('without partial failure one bad operation refuses the request: 400 INVALID_ARGUMENT', async () => {
    const created = await post('offlineUserDataJobs:create', {
      job: { type: 'CUSTOMER_MATCH_USER_LIST', customerMatchUserListMetadata: { userList: LIST } },
    });
    const jobPath = String(created.json.resourceName).slice(`customers/${CUSTOMER}/`.length);
    const refused = await post(`${jobPath}:addOperations`, {
      operations: [{ create: { userIdentifiers: [{ hashedEmail: 'nope' }] } }],
    });
    expect(refused.status).toBe(400);
    const errors = expectGoogleError(refused, 'INVALID_ARGUMENT');
    expect(errors[0]?.errorCode).toEqual({ offlineUserDataJobError: 'INVALID_SHA256_FORMAT' });
  });

  it('auth errors: a wrong token and a missing developer-token, in Google’s error format', async () => {
    const body = {
      job: { type: 'CUSTOMER_MATCH_USER_LIST', customerMatchUserListMetadata: { userList: LIST } },
    };
    const token = await post('offlineUserDataJobs:create', body, {
      ...HEADERS,
      authorization: 'Bearer wrong',
    });
    expect(token.status).toBe(401);
    expectGoogleError(token, 'UNAUTHENTICATED');
    const { 'developer-token': _, ...withoutDeveloperToken } = HEADERS;
    const developer = await post('offlineUserDataJobs:create', body, withoutDeveloperToken);
    expect([401, 403]).toContain(developer.status);
    const errors = expectGoogleError(
      developer,
      developer.status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED',
    );
    expect(Object.keys(errors[0]?.errorCode ?? {})[0]).toMatch(/^(authenticationError|authorizationError)$/);
  });
});

describe('the Google Ads emulator’s quota', () => {
  it('429 RESOURCE_EXHAUSTED with quotaErrorDetails.retryDelay as a Duration string', async () => {
    const limited = await startEmulator<GoogleAdsEmulatorOptions>(googleAdsEmulator, {
      options: { quota: { requests: 1, perMs: 60_000, retryDelaySeconds: 30 } },
    });
    try {
      const query = {
        query:
          "SELECT offline_user_data_job.status FROM offline_user_data_job WHERE offline_user_data_job.resource_name = 'x'",
      };
      expect((await post('googleAds:search', query, HEADERS, limited.url)).status).toBe(200);
      const refused = await post('googleAds:search', query, HEADERS, limited.url);
      expect(refused.status).toBe(429);
      const errors = expectGoogleError(refused, 'RESOURCE_EXHAUSTED') as unknown as Array<{
        errorCode: Record<string, string>;
        details: { quotaErrorDetails: { retryDelay: string } };
      }>;
      expect(errors[0]?.errorCode).toEqual({ quotaError: 'RESOURCE_EXHAUSTED' });
      expect(errors[0]?.details.quotaErrorDetails.retryDelay).toMatch(/^\d+(\.\d+)?s$/);
    } finally {
      await limited.close();
    }
  });
});
