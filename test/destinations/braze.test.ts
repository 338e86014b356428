/** The Braze connector passes the destination contract against its emulator. */
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { startBraze } from './braze-harness.js';

/** Users are keyed by external_id, which is the suite's key. */
async function brazeHarness(): Promise<ContractHarness> {
  const emulator = await startBraze();
  return {
    settings: emulator.settings,
    invalidCredentials: { settings: { ...emulator.settings, api_key: 'wrong-key' }, kind: 'auth' },
    matchOn: 'external_id',
    fields: (i) => ({
      external_id: `k${i}`,
      email: `user${i}@example.com`,
      first_name: `User ${i}`,
      score: i,
    }),
    readState: async () => emulator.snapshot().state.users,
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.requests.filter((r) => r.path === '/users/track' && r.status < 300)
        .map((r) => r.objects),
    maxAcceptedRecords: 75,
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

runContractSuite('braze', brazeHarness);
