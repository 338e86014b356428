/** The Klaviyo connector passes the destination contract against its emulator. */
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { LIST, startKlaviyo } from './klaviyo-harness.js';

/** Profiles are keyed by external_id, which is the suite's key. */
async function klaviyoHarness(): Promise<ContractHarness> {
  const emulator = await startKlaviyo();
  return {
    settings: emulator.settings,
    invalidCredentials: { settings: { ...emulator.settings, api_key: 'pk_wrong' }, kind: 'auth' },
    matchOn: 'external_id',
    list: LIST,
    fields: (i) => ({
      external_id: `k${i}`,
      email: `user${i}@example.com`,
      first_name: `User ${i}`,
      score: i,
    }),
    readState: async () =>
      Object.fromEntries(
        emulator
          .snapshot()
          .state.profiles.map((p) => [p.external_id, { email: p.email, attributes: p.attributes }]),
      ),
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.requests.filter((r) => r.path === '/api/profile-bulk-import-jobs' && r.status === 202)
        .map((r) => r.items ?? 0),
    maxAcceptedRecords: 10_000,
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      prepare: async () =>
        emulator.injectFaults({
          reject: [{ field: 'email', matches: '^bad', reason: 'Invalid email address' }],
        }),
      fields: (i) => ({ external_id: `k${i}`, email: `bad${i}@example.com` }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('klaviyo', klaviyoHarness);
