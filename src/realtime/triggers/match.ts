/**
 * Which triggers an event fires, and for whom: `on:` first (no I/O), then the person is looked up
 * once per event (only when some trigger's `on:` matched), then `where:` over the live profile.
 */
import { createHash } from 'node:crypto';
import type { TriggerConfig } from '../../config/types.js';
import type { CollectedEvent } from '../../events/types.js';
import type { ProfileReader } from '../types.js';
import { matchesOn } from './event-match.js';
import { type EventPerson, findPerson, type IdTypeNames } from './lookup.js';
import { evaluateCondition, profileFacts } from './profile-condition.js';

/** One trigger that matched one event and its person. */
export interface Candidate {
  trigger: TriggerConfig;
  event: CollectedEvent;
  person: EventPerson;
  /** Unique per (trigger, messageId): the dedupe key of trigger_runs. */
  firingId: string;
}

/** sha256(trigger, messageId), 32 hex characters. */
export function firingIdOf(trigger: string, messageId: string): string {
  return createHash('sha256').update(`${trigger}\n${messageId}`).digest('hex').slice(0, 32);
}

/** How matching finds people. */
export interface MatchOptions {
  reader: ProfileReader;
  idTypes: IdTypeNames;
  /** The project's id types (identity.yml); undefined: try every identifier. */
  knownTypes?: ReadonlySet<string>;
}

/** Every (trigger, event) that matches, in event order then trigger order. Lookups run in parallel. */
export async function matchEvents(
  triggers: TriggerConfig[],
  events: CollectedEvent[],
  options: MatchOptions,
  now: Date,
): Promise<Candidate[]> {
  const perEvent = await Promise.all(
    events.map(async (event) => {
      const started = triggers.filter((t) => t.enabled && matchesOn(t.on, event, now));
      if (started.length === 0) return [];
      const person = await findPerson(options.reader, event, options.idTypes, options.knownTypes);
      const facts = profileFacts(person.profile);
      return started
        .filter((t) => t.where === undefined || evaluateCondition(t.where, facts, now))
        .map((trigger) => ({ trigger, event, person, firingId: firingIdOf(trigger.name, event.messageId) }));
    }),
  );
  return perEvent.flat();
}
