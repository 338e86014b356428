/**
 * The live overlay's records and keys (in a store's LiveKv):
 *   p:<profileId>          LiveRecord: a profile as live identity knows it
 *   i:<type>:<value>       the live profile holding an identifier stitched live
 *   b:<profileId>          the live profile a loaded (built) profile was stitched into
 *   m:<profileId>          where a live profile merged away went (followed by reads)
 *   h:<type>:<value>       a hub or shared value of the last build (never merged on)
 *   e:<profileId>          the profile's last events seen live (events.ts)
 *   x:<hash>               an identifier hash a privacy erasure suppressed: never stitched again
 */
import { createHash } from 'node:crypto';
import { PROFILE_ID_LENGTH } from '../../identity/stable-ids.js';

/** An identifier stitched live, with when it was first seen (the event's timestamp). */
export interface LiveIdentifier {
  type: string;
  value: string;
  /** ISO instant, or null when unknown. */
  seenAt: string | null;
}

/** How old a profile is, in the identity build's anchor order (AGE_ORDER in src/identity/nodes.ts). */
export interface Age {
  /** First seen (ISO), null last. */
  seenAt: string | null;
  /** The anchor's id type priority; -1 for a loaded profile (its anchor is not known here). */
  priority: number;
  /** `type:value` of the anchor, or the profile id of a loaded profile. */
  tie: string;
}

/** A profile of the overlay: loaded profiles stitched together and identifiers seen live. */
export interface LiveRecord {
  profileId: string;
  /** Loaded profiles (profile ids of the last load) this profile covers. */
  bases: string[];
  /** Identifiers stitched live (not necessarily absent from the load). */
  identifiers: LiveIdentifier[];
  age: Age;
  /** Live profile ids that merged into this one. */
  merged: string[];
  /** Live counters' state by trait (counters.ts). */
  counters: Record<string, unknown>;
  /** When it was last changed (server clock, ISO). */
  updatedAt: string;
}

export const key = {
  profile: (id: string) => `p:${id}`,
  identifier: (type: string, value: string) => `i:${type}:${value}`,
  base: (id: string) => `b:${id}`,
  moved: (id: string) => `m:${id}`,
  hub: (type: string, value: string) => `h:${type}:${value}`,
  events: (id: string) => `e:${id}`,
  /** `hash` as src/privacy/hash.ts computes it. */
  suppressed: (hash: string) => `x:${hash}`,
};

/** The profile id the identity build gives a profile anchored on `type:value` (src/identity/stable-ids.ts). */
export function profileIdOf(type: string, value: string): string {
  return createHash('sha256').update(`${type}:${value}`).digest('hex').slice(0, PROFILE_ID_LENGTH);
}

/** Negative when `a` is older (the build's anchor order: first seen, nulls last, then priority, then type:value). */
export function compareAge(a: Age, b: Age): number {
  if (a.seenAt !== b.seenAt) {
    if (a.seenAt === null) return 1;
    if (b.seenAt === null) return -1;
    return a.seenAt < b.seenAt ? -1 : 1;
  }
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0;
}

/** An instant as ISO text (null when absent or unparseable), so ages compare as text. */
export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
