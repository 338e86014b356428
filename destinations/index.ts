/** The destination registry: every built-in connector, by its connection `type`. */
import type { AnyDestination } from '../src/destination-kit/index.js';
import { braze } from './braze/index.js';
import { file } from './file/index.js';
import { googleAds } from './google_ads/index.js';
import { hubspot } from './hubspot/index.js';
import { klaviyo } from './klaviyo/index.js';
import { mailchimp } from './mailchimp/index.js';
import { meta } from './meta/index.js';
import { salesforce } from './salesforce/index.js';
import { slack } from './slack/index.js';
import { webhook } from './webhook/index.js';

const destinations = new Map<string, AnyDestination>([
  [webhook.type, webhook],
  [slack.type, slack],
  [file.type, file],
  [hubspot.type, hubspot],
  [salesforce.type, salesforce],
  [mailchimp.type, mailchimp],
  [meta.type, meta],
  [braze.type, braze],
  [googleAds.type, googleAds],
  [klaviyo.type, klaviyo],
]);

/** The destination for a connection type, or undefined when none is registered. */
export function getDestination(type: string): AnyDestination | undefined {
  return destinations.get(type);
}

/** Every registered destination, in registration order. */
export function registeredDestinations(): AnyDestination[] {
  return [...destinations.values()];
}
