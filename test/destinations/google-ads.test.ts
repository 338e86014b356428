/** The Google Ads connector passes the destination contract against its emulator. */
import { sha256Hex } from '../../src/destination-kit/index.js';
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { FAST_POLLING, memberEmails, startGoogleAds, USER_LIST } from './google-ads-harness.js';

/** Email hash → suite key (`k<i>` for user<i>@example.com). */
const keyOfHash = new Map<string, string>();
for (let i = 0; i <= 20_001; i++) keyOfHash.set(sha256Hex(`user${i}@example.com`), `k${i}`);

async function googleAdsHarness(): Promise<ContractHarness> {
  const emulator = await startGoogleAds();
  const settings = { ...emulator.settings, ...FAST_POLLING };
  return {
    settings,
    invalidCredentials: { settings: { ...settings, access_token: 'ya29.wrong-token' }, kind: 'auth' },
    list: USER_LIST,
    // Google keeps hashes only: map them back to the suite's keys.
    readState: async () =>
      Object.fromEntries(
        memberEmails(emulator).map((hash) => [keyOfHash.get(hash) ?? `?${hash}`, { hashedEmail: hash }]),
      ),
    // One job per batch: the operations of each job that succeeded.
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.jobs.filter((job) => job.status === 'SUCCESS')
        .map((job) => job.operations),
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      // Google refuses the operation at its index in partialFailureError.
      prepare: async () =>
        emulator.injectFaults({
          reject: [
            { field: 'hashedEmail', equals: sha256Hex('bad2@example.com'), reason: 'INVALID_SHA256_FORMAT' },
          ],
        }),
      fields: (i) => ({ email: `bad${i}@example.com` }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('google_ads', googleAdsHarness);
