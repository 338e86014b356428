/** The Meta connector passes the destination contract against its emulator. */
import { sha256Hex } from '../../src/destination-kit/index.js';
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';
import { AUDIENCE, memberEmails, startMeta } from './meta-harness.js';

/** Email hash → suite key (`k<i>` for user<i>@example.com), built once for the keys the suite uses. */
const keyOfHash = new Map<string, string>();
for (let i = 0; i <= 20_001; i++) keyOfHash.set(sha256Hex(`user${i}@example.com`), `k${i}`);

async function metaHarness(): Promise<ContractHarness> {
  const emulator = await startMeta();
  return {
    settings: emulator.settings,
    invalidCredentials: {
      settings: { ...emulator.settings, access_token: 'EAAB-wrong-token' },
      kind: 'auth',
    },
    list: AUDIENCE,
    // Meta keeps hashes only: map them back to the suite's keys.
    readState: async () =>
      Object.fromEntries(
        memberEmails(emulator).map((hash) => [keyOfHash.get(hash) ?? `?${hash}`, { EMAIL: hash }]),
      ),
    batchSizes: async () =>
      emulator
        .snapshot()
        .state.requests.filter((r) => r.path.endsWith('/users') && r.status === 200)
        .map((r) => r.rows ?? 0),
    maxAcceptedRecords: 10_000,
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      // Meta counts the row invalid and names its value in invalid_entry_samples.
      prepare: async () =>
        emulator.injectFaults({
          reject: [{ field: 'EMAIL', equals: sha256Hex('bad2@example.com'), reason: 'Invalid email hash' }],
        }),
      fields: (i) => ({ email: `bad${i}@example.com`, first_name: `Bad ${i}` }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('meta', metaHarness);
