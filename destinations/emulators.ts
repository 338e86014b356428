/** Every connector's local emulator, served by `weft sandbox` (src/sandbox/start.ts). */
import type { EmulatorDefinition } from '../src/sandbox/types.js';
import { brazeEmulator } from './braze/emulator.js';
import { googleAdsEmulator } from './google_ads/emulator.js';
import { hubspotEmulator } from './hubspot/emulator.js';
import { klaviyoEmulator } from './klaviyo/emulator.js';
import { mailchimpEmulator } from './mailchimp/emulator.js';
import { metaEmulator } from './meta/emulator.js';
import { salesforceEmulator } from './salesforce/emulator.js';
import { slackEmulator } from './slack/emulator.js';
import { webhookEmulator } from './webhook/emulator.js';

/** Emulators in `weft sandbox` port order (the first gets the base port). */
// biome-ignore lint/suspicious/noExplicitAny: each emulator has its own options type
export const emulators: EmulatorDefinition<any>[] = [
  webhookEmulator,
  hubspotEmulator,
  salesforceEmulator,
  slackEmulator,
  mailchimpEmulator,
  metaEmulator,
  brazeEmulator,
  googleAdsEmulator,
  klaviyoEmulator,
];
