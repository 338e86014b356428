/** Shared test setup for the Klaviyo connector. */
import {
  type KlaviyoEmulatorOptions,
  type KlaviyoEmulatorState,
  klaviyoEmulator,
} from '../../destinations/klaviyo/emulator.js';
import { klaviyo } from '../../destinations/klaviyo/index.js';
import type { KlaviyoSettings } from '../../destinations/klaviyo/settings.js';
import {
  createDestinationContext,
  type DestinationContext,
  parseSettings,
  type SyncMode,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running Klaviyo emulator. */
export type KlaviyoEmulator = RunningEmulator<KlaviyoEmulatorState>;

/** The emulator's list. */
export const LIST = 'Y6nRLr';

/** Starts an emulator with the given options. */
export function startKlaviyo(options: Partial<KlaviyoEmulatorOptions> = {}): Promise<KlaviyoEmulator> {
  return startEmulator<KlaviyoEmulatorOptions, KlaviyoEmulatorState>(klaviyoEmulator, { options });
}

/** A primitive context for the emulator's settings (plus overrides). */
export function klaviyoContext(
  emulator: KlaviyoEmulator,
  options: { mode?: SyncMode; matchOn?: string; settings?: Record<string, unknown> } = {},
): DestinationContext<KlaviyoSettings> {
  return createDestinationContext(
    klaviyo,
    parseSettings(klaviyo, { ...emulator.settings, ...options.settings }),
    {
      syncName: 'klaviyo_test',
      runId: 'run-1',
      mode: options.mode ?? 'upsert',
      matchOn: options.matchOn ?? 'email',
      list: LIST,
    },
  );
}

/** The emulator's profiles by email. */
export function profilesByEmail(emulator: KlaviyoEmulator): Record<string, Record<string, unknown>> {
  return Object.fromEntries(emulator.snapshot().state.profiles.map((p) => [p.email ?? p.id, p.attributes]));
}
