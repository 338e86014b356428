/**
 * The contracts of the real-time half (issue "Real time, part 2"): the serving store that
 * answers profile lookups without touching the warehouse, and what triggers read from it.
 *
 * Data flows: `weft build` → the store is loaded from the warehouse (profiles, identifiers,
 * audience memberships) → `weft serve` answers the profile and personalization APIs from it,
 * stitches live identity into it, and triggers evaluate their `where:` against it.
 * Two implementations: embedded (a file-backed store on local disk) and Redis (shared by
 * several `weft serve` processes).
 */

/** One identifier of a profile, normalized as the identity graph normalizes it. */
export interface ServedIdentifier {
  /** An id type of identity.yml (`email`, `phone`, `user_id`, `anonymous_id`, `device_id`, ...). */
  type: string;
  value: string;
}

/** A person as the serving store holds it. */
export interface ServedProfile {
  /** The warehouse's `profile_id` (or a live id for a visitor not built yet). */
  profileId: string;
  identifiers: ServedIdentifier[];
  /** Trait name → value, exactly as the warehouse built it (live counters included). */
  traits: Record<string, unknown>;
  /** Names of the audiences the profile is a member of. */
  audiences: string[];
  /**
   * When its oldest identifier was first seen (ISO; null when unknown): live identity keeps the
   * older profile's id when it stitches two, as the identity build does. Absent in older loads.
   */
  firstSeenAt?: string | null;
}

/** A profile asked for by one of its identifiers (`type:value`, the value as typed) or by its id. */
export type ProfileLookup = { type: string; value: string } | { profileId: string };

/**
 * A profile as the profile API answers it: the answer's JSON as the store keeps it ready
 * (src/realtime/store/answer.ts), or the profile to serialize (one the live overlay composed).
 */
export type ProfileAnswer =
  | { profileId: string; json: Uint8Array }
  | { profileId: string; profile: ServedProfile };

/** Read access to the serving store: what the profile API and triggers need. */
export interface ProfileReader {
  /** The profile holding identifier `type:value` (the value normalized first), if any. */
  byIdentifier(type: string, value: string): Promise<ServedProfile | undefined>;
  /** The profile with this `profile_id`, if any. */
  byProfileId(profileId: string): Promise<ServedProfile | undefined>;
  /**
   * The profile API's fast path (optional; without it the API serializes what the reads above
   * give): the answer in one read, synchronously when the store can (the embedded store).
   */
  answer?(lookup: ProfileLookup): ProfileAnswer | undefined | Promise<ProfileAnswer | undefined>;
}
