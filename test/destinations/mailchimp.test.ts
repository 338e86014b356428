/** The Mailchimp connector passes the destination contract against its emulator. */
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { activeMembers, startMailchimp } from './mailchimp-harness.js';

/** Suite keys `k<i>` are the people `user<i>@example.com`; the membership tag is `vip`. */
async function mailchimpHarness(): Promise<ContractHarness> {
  const emulator = await startMailchimp();
  return {
    settings: emulator.settings,
    invalidCredentials: { settings: { ...emulator.settings, api_key: 'wrong0000-sandbox1' }, kind: 'auth' },
    matchOn: 'email',
    list: 'vip',
    fields: (i) => ({ email: `user${i}@example.com`, FNAME: `User ${i}`, LNAME: `No ${i}` }),
    readState: async () =>
      Object.fromEntries(
        Object.entries(activeMembers(emulator)).map(([email, m]) => [
          email.replace(/^user(\d+)@example\.com$/, 'k$1'),
          { status: m.status, merge_fields: m.merge_fields, tags: m.tags },
        ]),
      ),
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.requests.filter((r) => r.members !== undefined && r.status === 200)
        .map((r) => r.members ?? 0),
    maxAcceptedRecords: 500,
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      prepare: async () =>
        emulator.injectFaults({ reject: [{ field: 'email', matches: '^bad', reason: 'bad looks fake' }] }),
      fields: (i) => ({ email: `bad${i}@example.com`, FNAME: 'Bad' }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('mailchimp', mailchimpHarness);
