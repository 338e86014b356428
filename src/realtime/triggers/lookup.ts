/**
 * Who an event is about: its identifiers in priority order (userId, anonymousId, traits.email,
 * traits.phone, context.device.id), the first one the serving store knows giving the profile.
 * The person key is what frequency caps count per: the profile id when the person is known, else
 * the event's first identifier (so an unknown visitor is still capped), else the event itself.
 */
import type { CollectedEvent } from '../../events/types.js';
import type { ProfileReader, ServedIdentifier, ServedProfile } from '../types.js';
import { valueAt } from './paths.js';

/** Which id type (identity.yml) each event field is looked up as. */
export interface IdTypeNames {
  userId: string;
  anonymousId: string;
  email: string;
  phone: string;
  deviceId: string;
}

/** The id type names of the demo project's identity.yml. */
export const DEFAULT_ID_TYPES: IdTypeNames = {
  userId: 'user_id',
  anonymousId: 'anonymous_id',
  email: 'email',
  phone: 'phone',
  deviceId: 'device_id',
};

/** The identifiers an event carries, in lookup order (empty values skipped). */
export function eventIdentifiers(
  event: CollectedEvent,
  names: IdTypeNames = DEFAULT_ID_TYPES,
): ServedIdentifier[] {
  const candidates: Array<[string, unknown]> = [
    [names.userId, event.userId],
    [names.anonymousId, event.anonymousId],
    [names.email, valueAt(event.traits, 'email') ?? valueAt(event.context, 'traits.email')],
    [names.phone, valueAt(event.traits, 'phone') ?? valueAt(event.context, 'traits.phone')],
    [names.deviceId, valueAt(event.context, 'device.id')],
  ];
  const found: ServedIdentifier[] = [];
  for (const [type, value] of candidates) {
    if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number')
      found.push({ type, value: String(value) });
  }
  return found;
}

/** The person behind an event: the profile (when the store knows them) and the cap key. */
export interface EventPerson {
  profile?: ServedProfile;
  personKey: string;
}

/**
 * Looks the event's identifiers up one by one until the store knows one. `knownTypes` (the
 * project's id types) skips identifiers the store cannot hold; undefined tries them all.
 */
export async function findPerson(
  reader: ProfileReader,
  event: CollectedEvent,
  names: IdTypeNames = DEFAULT_ID_TYPES,
  knownTypes?: ReadonlySet<string>,
): Promise<EventPerson> {
  const ids = eventIdentifiers(event, names);
  for (const id of ids) {
    if (knownTypes && !knownTypes.has(id.type)) continue;
    const profile = await reader.byIdentifier(id.type, id.value);
    if (profile) return { profile, personKey: `profile:${profile.profileId}` };
  }
  const first = ids[0];
  return { personKey: first ? `${first.type}:${first.value}` : `message:${event.messageId}` };
}
