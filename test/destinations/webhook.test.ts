import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { startEmulator } from '../../src/sandbox/index.js';
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';

const BATCH = 25;

/** A webhook emulator that accepts at most BATCH rows, and settings sending batches of BATCH. */
async function webhookHarness(): Promise<ContractHarness> {
  const emulator = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator, {
    options: { secret: 'contract-secret-1234', maxRows: BATCH },
  });
  const settings = { ...emulator.settings, batch_size: BATCH };
  return {
    settings,
    invalidCredentials: { settings: { ...settings, secret: 'wrong-secret-5678' }, kind: 'auth' },
    readState: async (sync) => emulator.snapshot().state.records[sync] ?? {},
    batchSizes: async () => emulator.snapshot().state.batches.map((batch) => batch.rows),
    maxAcceptedRecords: BATCH,
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      prepare: async () =>
        emulator.injectFaults({ reject: [{ field: 'email', matches: '^invalid', reason: 'bad email' }] }),
      fields: (i) => ({ email: `invalid-${i}`, first_name: 'Bad', score: i }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('webhook', webhookHarness);
