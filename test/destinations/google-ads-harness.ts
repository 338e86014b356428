/** Shared test setup for the Google Ads connector: an emulator, contexts pointing at it, member lookups. */
import {
  type GoogleAdsEmulatorOptions,
  type GoogleAdsEmulatorState,
  googleAdsEmulator,
} from '../../destinations/google_ads/emulator.js';
import { googleAds } from '../../destinations/google_ads/index.js';
import type { GoogleAdsSettings } from '../../destinations/google_ads/settings.js';
import {
  createDestinationContext,
  type DestinationContext,
  type DestinationLogger,
  parseSettings,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running Google Ads emulator. */
export type GoogleAdsEmulator = RunningEmulator<GoogleAdsEmulatorState>;

/** The emulator's default user list id. */
export const USER_LIST = '7000000001';

/** Fast polling for tests (the emulator finishes a job after two status reads). */
export const FAST_POLLING = { poll_interval_ms: 5 };

/** Starts an emulator with the given options. */
export function startGoogleAds(options: Partial<GoogleAdsEmulatorOptions> = {}): Promise<GoogleAdsEmulator> {
  return startEmulator<GoogleAdsEmulatorOptions, GoogleAdsEmulatorState>(googleAdsEmulator, { options });
}

/** A primitive context for the emulator's settings (plus overrides). */
export function googleAdsContext(
  emulator: GoogleAdsEmulator,
  options: { settings?: Record<string, unknown>; logger?: DestinationLogger; list?: string } = {},
): DestinationContext<GoogleAdsSettings> {
  const settings = parseSettings(googleAds, { ...emulator.settings, ...FAST_POLLING, ...options.settings });
  return createDestinationContext(googleAds, settings, {
    syncName: 'google_ads_test',
    runId: 'run-1',
    mode: 'membership',
    list: options.list ?? USER_LIST,
    ...(options.logger && { logger: options.logger }),
  });
}

/** The user list's members' hashed emails. */
export function memberEmails(emulator: GoogleAdsEmulator, list = USER_LIST): string[] {
  return (emulator.snapshot().state.lists[list]?.members ?? []).map((m) => m.hashedEmail ?? '');
}
