/** The HubSpot connector passes the destination contract against its emulator. */
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { contactsBy, startHubspot } from './hubspot-harness.js';

/**
 * The suite's keys (`k0`…) are no emails: contacts are matched on `weft_id`, a unique custom
 * property of the emulator's portal, which takes the key as its value.
 */
async function hubspotHarness(): Promise<ContractHarness> {
  const emulator = await startHubspot();
  return {
    settings: emulator.settings,
    invalidCredentials: {
      settings: { ...emulator.settings, access_token: 'wrong-token-1234' },
      kind: 'auth',
    },
    object: 'contacts',
    matchOn: 'weft_id',
    fields: (i) => ({ email: `user${i}@example.com`, firstname: `User ${i}`, lifetime_value: i }),
    readState: async () => contactsBy(emulator, 'weft_id'),
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.requests.filter((r) => r.path.endsWith('/batch/upsert') && r.status < 300)
        .map((r) => r.inputs ?? 0),
    maxAcceptedRecords: 100,
    list: '1',
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      // HubSpot itself refuses a value outside an enumeration's options (a 207 row error).
      prepare: async () => undefined,
      fields: (i) => ({ email: `bad${i}@example.com`, lifecyclestage: 'not-a-stage', lifetime_value: i }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('hubspot', hubspotHarness);
