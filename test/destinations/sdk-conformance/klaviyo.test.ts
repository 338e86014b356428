/**
 * Klaviyo's official Node SDK (`klaviyo-api`) drives the Klaviyo emulator through every operation
 * weft's connector makes: bulk profile import jobs (with and without a list), job polling, the
 * job's import errors, the profile lookup by identifier filter, removal from a list, the
 * data-privacy deletion job and the account check; errors (400, 401, 404, 429 with Retry-After)
 * come back as the SDK's axios errors carrying Klaviyo's JSON:API `errors`. The SDK sends its own
 * `revision` header, which the emulator requires.
 */
import {
  AccountsApi,
  ApiKeySession,
  DataPrivacyApi,
  ListsApi,
  ProfilesApi,
  RetryWithExponentialBackoff,
} from 'klaviyo-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type KlaviyoEmulatorOptions,
  type KlaviyoEmulatorState,
  klaviyoEmulator,
} from '../../../destinations/klaviyo/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const KEY = 'pk_sandbox_0000000000000000000000';
const LIST = 'Y6nRLr';

let emulator: RunningEmulator<KlaviyoEmulatorState>;

/** The SDK's APIs on the emulator, with the SDK's own retries off (every answer is seen). */
function apis(key = KEY, url = emulator.url) {
  const session = new ApiKeySession(key, new RetryWithExponentialBackoff({ numRetries: 0 }));
  const at = <T extends { basePath: string }>(api: T): T => {
    api.basePath = url;
    return api;
  };
  return {
    profiles: at(new ProfilesApi(session)),
    lists: at(new ListsApi(session)),
    privacy: at(new DataPrivacyApi(session)),
    accounts: at(new AccountsApi(session)),
  };
}

/** The SDK's rejection for a call that must fail: an axios error with Klaviyo's JSON:API body. */
async function failure(call: Promise<unknown>): Promise<{
  status: number;
  headers: Record<string, string>;
  errors: Array<{ id: string; status: number; code: string; title: string; detail: string; source: unknown }>;
}> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as {
    isAxiosError?: boolean;
    response?: { status: number; headers: Record<string, string>; data: never };
  };
  expect(error?.isAxiosError).toBe(true);
  const response = error?.response as {
    status: number;
    headers: Record<string, string>;
    data: { errors: never };
  };
  return { status: response.status, headers: response.headers, errors: response.data.errors };
}

/** An import job of these profiles' attributes (optionally into the list). */
function importQuery(profiles: Array<Record<string, unknown>>, list?: string) {
  return {
    data: {
      type: 'profile-bulk-import-job' as const,
      attributes: {
        profiles: { data: profiles.map((attributes) => ({ type: 'profile' as const, attributes })) },
      },
      ...(list && { relationships: { lists: { data: [{ type: 'list' as const, id: list }] } } }),
    },
  };
}

beforeAll(async () => {
  emulator = await startEmulator<KlaviyoEmulatorOptions, KlaviyoEmulatorState>(klaviyoEmulator, {
    options: { readsToComplete: 2 },
  });
});
afterAll(() => emulator.close());

describe('klaviyo-api against the Klaviyo emulator', () => {
  it('the account check answers with the SDK’s revision header', async () => {
    const { body } = await apis().accounts.getAccounts();
    expect(body.data[0]?.type).toBe('account');
    const revision = emulator.snapshot().state.requests.at(-1)?.revision;
    expect(revision).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('bulk import into a list: 202 job, polled to complete, counts and dates parsed', async () => {
    const { profiles } = apis();
    const created = await profiles.bulkImportProfiles(
      importQuery(
        [
          { email: 'ada@example.com', firstName: 'Ada', properties: { plan: 'pro' } },
          { email: 'not-an-email' },
          { phoneNumber: '+15551234567', externalId: 'x-1' },
        ],
        LIST,
      ) as never,
    );
    expect(created.response.status).toBe(202);
    const id = created.body.data.id;
    expect(created.body.data.attributes.status).toBe('queued');
    expect(created.body.data.attributes.totalCount).toBe(3);
    expect(created.body.data.attributes.createdAt).toBeInstanceOf(Date);

    const first = await profiles.getBulkImportProfilesJob(id);
    expect(first.body.data.attributes.status).toBe('processing');
    const done = await profiles.getBulkImportProfilesJob(id);
    expect(done.body.data.attributes).toMatchObject({
      status: 'complete',
      totalCount: 3,
      completedCount: 2,
      failedCount: 1,
    });
    expect(done.body.data.attributes.completedAt).toBeInstanceOf(Date);
    expect(done.body.data.links.self).toContain(`/api/profile-bulk-import-jobs/${id}`);

    const errors = await profiles.getErrorsForBulkImportProfilesJob(id, { pageSize: 100 });
    expect(errors.body.data).toHaveLength(1);
    const [error] = errors.body.data;
    expect(error?.type).toBe('import-error');
    expect(error?.attributes.code).toBe('invalid');
    expect(error?.attributes.source.pointer).toMatch(/^\/data\/attributes\/profiles\/data\/1\//);
    expect(error?.attributes.originalPayload).toMatchObject({ email: 'not-an-email' });
    expect(errors.body.links?.next ?? null).toBeNull();

    expect(emulator.snapshot().state.lists[LIST]).toHaveLength(2);
  });

  it('the profile lookup by identifier filter, paged by cursor (the id removals need)', async () => {
    const { profiles } = apis();
    const page1 = await profiles.getProfiles({
      filter: 'any(email,["ada@example.com","nobody@example.com"])',
      fieldsProfile: ['email'],
      pageSize: 100,
    });
    expect(page1.body.data.map((p) => p.attributes.email)).toEqual(['ada@example.com']);
    expect(page1.body.data[0]?.id).toMatch(/^01[0-9A-F]{24}$/);
    expect(page1.body.data[0]?.links.self).toContain(`/api/profiles/${page1.body.data[0]?.id}`);

    const all = await profiles.getProfiles({ pageSize: 1 });
    expect(all.body.data).toHaveLength(1);
    const next = all.body.links?.next;
    expect(next).toBeTypeOf('string');
    // The SDK pulls the cursor out of an https `links.next` itself; the emulator is plain http.
    const cursor = new URL(next as string).searchParams.get('page[cursor]') as string;
    const page2 = await profiles.getProfiles({ pageSize: 1, pageCursor: cursor });
    expect(page2.body.data[0]?.id).not.toBe(all.body.data[0]?.id);
  });

  it('remove from a list (204), add by id (204), and the list read', async () => {
    const { profiles, lists } = apis();
    const found = await profiles.getProfiles({ filter: 'equals(email,"ada@example.com")' });
    const id = found.body.data[0]?.id as string;
    const removed = await lists.removeProfilesFromList(LIST, { data: [{ type: 'profile', id }] } as never);
    expect(removed.response.status).toBe(204);
    expect(emulator.snapshot().state.lists[LIST]).not.toContain(id);
    const added = await lists.addProfilesToList(LIST, { data: [{ type: 'profile', id }] } as never);
    expect(added.response.status).toBe(204);
    const list = await lists.getList(LIST);
    expect(list.body.data.id).toBe(LIST);
    expect(list.body.data.links.self).toContain(`/api/lists/${LIST}`);
  });

  it('the data-privacy deletion job is accepted (202) and the profile is gone', async () => {
    const { privacy } = apis();
    const answer = await privacy.requestProfileDeletion({
      data: {
        type: 'data-privacy-deletion-job',
        attributes: { profile: { data: { type: 'profile', attributes: { email: 'ada@example.com' } } } },
      },
    } as never);
    expect(answer.response.status).toBe(202);
    const emails = emulator.snapshot().state.profiles.map((p) => p.email);
    expect(emails).not.toContain('ada@example.com');
  });

  it('errors: 400 invalid job, 401 wrong key, 404 unknown list, with JSON:API error objects', async () => {
    const tooBig = await failure(
      apis().profiles.bulkImportProfiles(
        importQuery(Array.from({ length: 10_001 }, (_, i) => ({ externalId: `e${i}` }))) as never,
      ),
    );
    expect(tooBig.status).toBe(400);
    expect(tooBig.errors[0]).toMatchObject({
      status: 400,
      code: 'invalid',
      source: { pointer: expect.any(String) },
    });
    expect(tooBig.errors[0]?.id).toBeTypeOf('string');

    const denied = await failure(apis('pk_wrong').accounts.getAccounts());
    expect(denied.status).toBe(401);
    expect(denied.errors[0]?.code).toBe('authentication_failed');

    const missing = await failure(
      apis().profiles.bulkImportProfiles(importQuery([{ email: 'x@example.com' }], 'NOPE') as never),
    );
    expect(missing.status).toBe(404);
    expect(missing.errors[0]?.code).toBe('not_found');
  });
});

describe('klaviyo-api and the emulator’s rate limits', () => {
  it('past the burst: 429 throttled with Retry-After and RateLimit headers', async () => {
    const tight = await startEmulator<KlaviyoEmulatorOptions, KlaviyoEmulatorState>(klaviyoEmulator, {
      options: { limits: { other: { burstPerSecond: 1, steadyPerMinute: 1 } } },
    });
    try {
      const { accounts } = apis(KEY, tight.url);
      await accounts.getAccounts();
      const throttled = await failure(accounts.getAccounts());
      expect(throttled.status).toBe(429);
      expect(throttled.errors[0]).toMatchObject({ status: 429, code: 'throttled' });
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.headers['ratelimit-limit']).toBe('1');
      expect(throttled.headers['ratelimit-remaining']).toBe('0');
    } finally {
      await tight.close();
    }
  });
});
