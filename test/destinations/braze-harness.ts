/** Shared test setup for the Braze connector. */
import {
  type BrazeEmulatorOptions,
  type BrazeEmulatorState,
  brazeEmulator,
} from '../../destinations/braze/emulator.js';
import { braze } from '../../destinations/braze/index.js';
import type { BrazeSettings } from '../../destinations/braze/settings.js';
import {
  createDestinationContext,
  type DestinationContext,
  parseSettings,
  type SyncMode,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running Braze emulator. */
export type BrazeEmulator = RunningEmulator<BrazeEmulatorState>;

/** Starts an emulator with the given options. */
export function startBraze(options: Partial<BrazeEmulatorOptions> = {}): Promise<BrazeEmulator> {
  return startEmulator<BrazeEmulatorOptions, BrazeEmulatorState>(brazeEmulator, { options });
}

/** A primitive context for the emulator's settings. */
export function brazeContext(
  emulator: BrazeEmulator,
  mode: SyncMode = 'upsert',
): DestinationContext<BrazeSettings> {
  return createDestinationContext(braze, parseSettings(braze, emulator.settings), {
    syncName: 'braze_test',
    runId: 'run-1',
    mode,
    matchOn: 'external_id',
  });
}
