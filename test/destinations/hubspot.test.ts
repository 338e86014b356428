/** The HubSpot connector passes the destination contract against its emulator. */
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { contactsByEmail, startHubspot } from './hubspot-harness.js';

/**
 * The suite's keys (`k0`…) become the contacts' email (the id value when no email is mapped), so
 * the emulator runs without email validation here; its other checks stay on.
 */
async function hubspotHarness(): Promise<ContractHarness> {
  const emulator = await startHubspot({ validateEmails: false });
  return {
    settings: emulator.settings,
    invalidCredentials: {
      settings: { ...emulator.settings, access_token: 'wrong-token-1234' },
      kind: 'auth',
    },
    fields: (i) => ({ firstname: `User ${i}`, lastname: 'Contract', lifetime_value: i }),
    readState: async () => contactsByEmail(emulator),
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
      fields: (i) => ({ firstname: 'Bad', lifecyclestage: 'not-a-stage', lifetime_value: i }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('hubspot', hubspotHarness);
