/** Shared test setup for the HubSpot connector: an emulator and contexts pointing at it. */

import {
  type HubspotEmulatorOptions,
  type HubspotEmulatorState,
  hubspotEmulator,
} from '../../destinations/hubspot/emulator.js';
import { hubspot } from '../../destinations/hubspot/index.js';
import type { HubspotSettings } from '../../destinations/hubspot/settings.js';
import {
  createDestinationContext,
  type DestinationContext,
  parseSettings,
  type SyncMode,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running HubSpot emulator. */
export type HubspotEmulator = RunningEmulator<HubspotEmulatorState>;

/** Starts an emulator with the given options. */
export function startHubspot(options: Partial<HubspotEmulatorOptions> = {}): Promise<HubspotEmulator> {
  return startEmulator<HubspotEmulatorOptions, HubspotEmulatorState>(hubspotEmulator, { options });
}

/** A primitive context for the emulator's settings (plus overrides). */
export function hubspotContext(
  emulator: HubspotEmulator,
  options: {
    mode?: SyncMode;
    object?: string;
    matchOn?: string;
    list?: string;
    settings?: Record<string, unknown>;
    fetch?: typeof fetch;
  } = {},
): DestinationContext<HubspotSettings> {
  const settings = parseSettings(hubspot, { ...emulator.settings, ...options.settings });
  return createDestinationContext(hubspot, settings, {
    syncName: 'hubspot_test',
    runId: 'run-1',
    mode: options.mode ?? 'upsert',
    object: options.object ?? 'contacts',
    matchOn: options.matchOn ?? 'email',
    ...(options.list !== undefined && { list: options.list }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
  });
}

/** Properties without the ones HubSpot sets itself (ids, timestamps). */
export function userProperties(properties: Record<string, string>): Record<string, string> {
  const { hs_object_id: _id, createdate: _c, lastmodifieddate: _m, ...rest } = properties;
  return rest;
}

/** The emulator's contacts keyed by a property (default email), user properties only. */
export function contactsBy(
  emulator: HubspotEmulator,
  property = 'email',
): Record<string, Record<string, string>> {
  const contacts = emulator.snapshot().state.records.contacts ?? {};
  return Object.fromEntries(Object.values(contacts).map((p) => [p[property] as string, userProperties(p)]));
}

/** The emulator's contacts keyed by email, user properties only. */
export function contactsByEmail(emulator: HubspotEmulator): Record<string, Record<string, string>> {
  return contactsBy(emulator, 'email');
}
