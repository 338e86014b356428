/** Shared test setup for the Meta connector: an emulator, contexts pointing at it, member lookups. */
import {
  type MetaEmulatorOptions,
  type MetaEmulatorState,
  metaEmulator,
} from '../../destinations/meta/emulator.js';
import { meta } from '../../destinations/meta/index.js';
import type { MetaSettings } from '../../destinations/meta/settings.js';
import {
  createDestinationContext,
  type DestinationContext,
  type DestinationLogger,
  parseSettings,
  sha256Hex,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running Meta emulator. */
export type MetaEmulator = RunningEmulator<MetaEmulatorState>;

/** The emulator's default audience id. */
export const AUDIENCE = '23850000000000001';

/** Starts an emulator with the given options. */
export function startMeta(options: Partial<MetaEmulatorOptions> = {}): Promise<MetaEmulator> {
  return startEmulator<MetaEmulatorOptions, MetaEmulatorState>(metaEmulator, { options });
}

/** A primitive context for the emulator's settings (plus overrides). */
export function metaContext(
  emulator: MetaEmulator,
  options: {
    settings?: Record<string, unknown>;
    logger?: DestinationLogger;
    list?: string;
    runId?: string;
  } = {},
): DestinationContext<MetaSettings> {
  const settings = parseSettings(meta, { ...emulator.settings, ...options.settings });
  return createDestinationContext(meta, settings, {
    syncName: 'meta_test',
    runId: options.runId ?? 'run-1',
    mode: 'membership',
    list: options.list ?? AUDIENCE,
    ...(options.logger && { logger: options.logger }),
  });
}

/** The audience's members' hashed emails. */
export function memberEmails(emulator: MetaEmulator, audience = AUDIENCE): string[] {
  return (emulator.snapshot().state.audiences[audience]?.members ?? []).map((m) => m.EMAIL ?? '');
}

/** SHA-256 of a normalized email (what Meta should receive for it). */
export const hashed = (text: string) => sha256Hex(text);
