/**
 * Google Ads through the whole sync engine (runSync against the emulator): identifiers hashed
 * Google's way with the consent of the connection; a partial failure rejects exactly the bad rows;
 * CONCURRENT_MODIFICATION, a FAILED job and RESOURCE_EXHAUSTED are retried until the run succeeds;
 * removals send the identifiers kept at add time.
 */
import { describe, expect, it } from 'vitest';
import type { GoogleAdsEmulatorOptions } from '../../destinations/google_ads/emulator.js';
import type { SyncConfig } from '../../src/config/types.js';
import { sha256Hex } from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { syncConfig } from '../sync/helpers.js';
import {
  FAST_POLLING,
  type GoogleAdsEmulator,
  memberEmails,
  startGoogleAds,
  USER_LIST,
} from './google-ads-harness.js';
import { useSyncFixture } from './sync-fixture.js';

type Person = [
  id: string,
  email: string | null,
  phone: string | null,
  first: string | null,
  last: string | null,
  country: string | null,
  zip: string | null,
];

async function setPeople(warehouse: Warehouse, rows: Person[]): Promise<void> {
  await warehouse.load(
    { schema: 'app', name: 'people' },
    ['id', 'email', 'phone', 'first', 'last', 'country', 'zip'].map((name) => ({
      name,
      type: 'string' as const,
    })),
    rows,
  );
}

const person = (i: number): Person => [`u${i}`, `p${i}@example.com`, null, null, null, null, null];

const vipSync = (overrides: Partial<SyncConfig> = {}) =>
  syncConfig({
    name: 'google_ads_vip',
    from: 'app.people',
    connection: 'ads',
    mode: 'membership',
    list: USER_LIST,
    key: 'id',
    mappings: {
      email: 'email',
      phone: 'phone',
      first_name: 'first',
      last_name: 'last',
      country: 'country',
      zip: 'zip',
    },
    ...overrides,
  });

describe('google_ads through runSync', () => {
  const t = useSyncFixture<GoogleAdsEmulatorOptions, GoogleAdsEmulator>({
    prefix: 'weft-gads-',
    connection: 'ads',
    type: 'google_ads',
    start: startGoogleAds,
    settings: FAST_POLLING,
  });
  const errorCodes = () =>
    t.emulator.snapshot().state.requests.flatMap((r) => (r.errorCode ? [r.errorCode] : []));

  it("hashes Google's way (gmail dots and +tag dropped, E.164 phone, names; country and zip in clear) with the consent", async () => {
    const config = vipSync();
    const proj = await t.project([config], {}, { ad_user_data: 'GRANTED', ad_personalization: 'DENIED' });
    await setPeople(t.warehouse, [
      ['u1', ' John.Doe+Ads@Gmail.COM ', '(415) 555-0100', ' John ', "O'Brien", 'us', '94107-1234'],
    ]);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'success', succeeded: 1 });
    const { lastBodies } = t.emulator.snapshot().state;
    expect(lastBodies.create).toEqual({
      job: {
        type: 'CUSTOMER_MATCH_USER_LIST',
        customerMatchUserListMetadata: {
          userList: `customers/1234567890/userLists/${USER_LIST}`,
          consent: { adUserData: 'GRANTED', adPersonalization: 'DENIED' },
        },
      },
    });
    expect(lastBodies.addOperations).toEqual({
      enablePartialFailure: true,
      operations: [
        {
          create: {
            userIdentifiers: [
              { hashedEmail: sha256Hex('johndoe@gmail.com') },
              { hashedPhoneNumber: sha256Hex('+14155550100') },
              {
                addressInfo: {
                  hashedFirstName: sha256Hex('john'),
                  hashedLastName: sha256Hex('obrien'),
                  countryCode: 'US',
                  postalCode: '94107-1234',
                },
              },
            ],
          },
        },
      ],
    });
  });

  it('rejects exactly the rows Google refuses in partialFailureError, with the error code; the rest join', async () => {
    const config = vipSync();
    const proj = await t.project([config]);
    t.emulator.injectFaults({
      reject: [
        { field: 'hashedEmail', equals: sha256Hex('p2@example.com'), reason: 'INVALID_SHA256_FORMAT' },
        { field: 'hashedEmail', equals: sha256Hex('p4@example.com'), reason: 'INVALID_SHA256_FORMAT' },
      ],
    });
    await setPeople(t.warehouse, [
      ...Array.from({ length: 6 }, (_, i) => person(i)),
      ['u9', 'N/A', 'call me', 'Ann', null, null, null],
    ]);
    const { summary } = await runSync(proj, t.warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', succeeded: 4, rejected: 3 });
    const rows = await t.rejections(config.name);
    expect(rows.map((r) => r.key)).toEqual(['u2', 'u4', 'u9']);
    expect(rows[0]?.reason).toMatch(/^Google Ads: INVALID_SHA256_FORMAT \(offlineUserDataJobError\)/);
    expect(rows[2]?.reason).toMatch(/^no usable identifier/);
    expect(memberEmails(t.emulator).sort()).toEqual(
      [0, 1, 3, 5].map((i) => sha256Hex(`p${i}@example.com`)).sort(),
    );
  });

  it('retries CONCURRENT_MODIFICATION (another job on the list) and a FAILED job until the members are in', async () => {
    const config = vipSync();
    const proj = await t.project([config], { concurrentModifications: 2, failJobs: 1 });
    await setPeople(
      t.warehouse,
      Array.from({ length: 3 }, (_, i) => person(i)),
    );
    const { summary } = await runSync(proj, t.warehouse, config, { retry: { maxAttempts: 6, baseMs: 5 } });
    expect(summary).toMatchObject({ status: 'success', succeeded: 3, unacknowledged: 0 });
    expect(errorCodes().filter((c) => c === 'CONCURRENT_MODIFICATION')).toHaveLength(2);
    const jobs = t.emulator.snapshot().state.jobs;
    expect(jobs.map((j) => j.status)).toEqual(['PENDING', 'PENDING', 'FAILED', 'SUCCESS']);
    expect(memberEmails(t.emulator)).toHaveLength(3);
  });

  it('waits out RESOURCE_EXHAUSTED for the retryDelay Google names and finishes the run', async () => {
    const config = vipSync();
    // Three requests per 300 ms: the job's status read after create, add and run meets the quota.
    const proj = await t.project([config], { quota: { requests: 3, perMs: 300, retryDelaySeconds: 0.3 } });
    await setPeople(
      t.warehouse,
      Array.from({ length: 3 }, (_, i) => person(i)),
    );
    const { summary } = await runSync(proj, t.warehouse, config, { retry: { maxAttempts: 8 } });
    expect(summary).toMatchObject({ status: 'success', succeeded: 3 });
    expect(t.emulator.snapshot().state.quotaRefusals).toBeGreaterThan(0);
    // The running job was polled on after the wait, not replaced by a second one.
    expect(t.emulator.snapshot().state.jobs.map((j) => j.status)).toEqual(['SUCCESS']);
    expect(errorCodes()).toContain('RESOURCE_EXHAUSTED');
  });

  it('removes members with the identifiers kept when they were added', async () => {
    const config = vipSync();
    const proj = await t.project([config]);
    await setPeople(t.warehouse, [
      person(1),
      person(2),
      ['u3', null, '+442071838750', null, null, null, null],
    ]);
    await runSync(proj, t.warehouse, config);
    expect(t.emulator.snapshot().state.lists[USER_LIST]?.count).toBe(3);
    await setPeople(t.warehouse, [person(2)]);
    const { summary } = await runSync(proj, t.warehouse, config, { allowMassDelete: true });
    expect(summary).toMatchObject({ removed: 2, succeeded: 2 });
    expect(memberEmails(t.emulator)).toEqual([sha256Hex('p2@example.com')]);
    const last = t.emulator.snapshot().state.lastBodies.addOperations as {
      operations: Array<Record<string, unknown>>;
    };
    expect(last.operations.map((op) => Object.keys(op))).toEqual([['remove'], ['remove']]);
  });
});
