/** The Salesforce connector passes the destination contract against its emulator. */
import { SANDBOX_CAMPAIGN_ID } from '../../destinations/salesforce/emulator.js';
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { recordsByExternalId, startSalesforce } from './salesforce-harness.js';

async function salesforceHarness(): Promise<ContractHarness> {
  const emulator = await startSalesforce();
  return {
    settings: emulator.settings,
    invalidCredentials: {
      settings: { ...emulator.settings, client_secret: 'wrong-secret-1234' },
      kind: 'auth',
    },
    object: 'Contact',
    matchOn: 'External_Id__c',
    list: SANDBOX_CAMPAIGN_ID,
    fields: (i) => ({ LastName: `User ${i}`, Email: `user${i}@example.com`, Lifetime_Value__c: i }),
    readState: async () => recordsByExternalId(emulator),
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.writes.filter((w) => w.op === 'upsert')
        .map((w) => w.records),
    maxAcceptedRecords: 200,
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      // Salesforce itself refuses an invalid email (INVALID_EMAIL_ADDRESS for that record only).
      prepare: async () => undefined,
      fields: (i) => ({ LastName: 'Bad', Email: 'not-an-email', Lifetime_Value__c: i }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('salesforce', salesforceHarness);
