/** Shared test setup for the Mailchimp connector: an emulator and its members by suite key. */
import {
  type MailchimpEmulatorOptions,
  type MailchimpEmulatorState,
  type MailchimpMember,
  mailchimpEmulator,
} from '../../destinations/mailchimp/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running Mailchimp emulator. */
export type MailchimpEmulator = RunningEmulator<MailchimpEmulatorState>;

/** Starts an emulator with the given options. */
export function startMailchimp(options: Partial<MailchimpEmulatorOptions> = {}): Promise<MailchimpEmulator> {
  return startEmulator<MailchimpEmulatorOptions, MailchimpEmulatorState>(mailchimpEmulator, { options });
}

/** Members of the emulator's first audience that are not archived, by email. */
export function activeMembers(
  emulator: MailchimpEmulator,
  listId = 'a1b2c3d4e5',
): Record<string, MailchimpMember> {
  const members = emulator.snapshot().state.members[listId] ?? {};
  return Object.fromEntries(Object.entries(members).filter(([, m]) => m.status !== 'archived'));
}
