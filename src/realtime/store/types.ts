/**
 * The serving store's write side, next to the read contract (ProfileReader, ../types.ts).
 * A load is staged, then made visible all at once by `commit`: readers see the previous state
 * until then, and never a mix. See README.md for how to add a store.
 */
import type { LiveKv } from '../live/kv.js';
import type { ProfileAnswer, ProfileLookup, ProfileReader, ServedProfile } from '../types.js';

/** How the new state relates to the current one. */
export type LoadMode =
  /** The new state is exactly what is put: everything else disappears at commit. */
  | 'full'
  /** The new state is the current one with these puts and removals applied. */
  | 'incremental';

/** One identifier → profile entry of a full load's index. */
export interface IndexEntry {
  type: string;
  value: string;
  profileId: string;
}

/** One load in progress. Nothing is visible to readers before `commit`. */
export interface StoreLoad {
  /**
   * Adds or replaces profiles. Incremental loads: their identifiers index them (identifiers they
   * lost stop matching). Full loads: profiles arrive sorted by id, and the identifiers arrive
   * separately through `index`, so a store can write both in key order (much faster for B-trees).
   */
  put(profiles: ServedProfile[]): Promise<void>;
  /** Full loads only: identifier entries, sorted by type then value. */
  index(entries: IndexEntry[]): Promise<void>;
  /** Removes profiles (incremental loads only) with their identifiers. */
  remove(profileIds: string[]): Promise<void>;
  /**
   * Makes the load visible at once, recording `token` as the store's load token. An incremental
   * load fails if another load committed since this one began (its diff would be stale).
   */
  commit(token: string): Promise<void>;
  /** Drops the staged data; the store keeps serving its current state. */
  abort(): Promise<void>;
}

/** A loaded profile named by an identifier (its value normalized already) or by its id. */
export type LoadedLookup = { type: string; value: string } | { profileId: string };

/** A loaded profile's answer as the store keeps it (answer.ts): the profile API's JSON bytes. */
export interface StoredAnswer {
  profileId: string;
  json: Uint8Array;
}

/** A serving store: reads for the APIs and triggers, staged loads for the loader. */
export interface ServingStore extends ProfileReader {
  /** The profile API's read from the load alone (no overlay): what `loadedAnswer` finds without guards. */
  answer(lookup: ProfileLookup): ProfileAnswer | undefined | Promise<ProfileAnswer | undefined>;
  /**
   * The profile API's read (live/overlay.ts `answer`): the loaded profile's stored answer, in one
   * snapshot and one step (embedded: synchronous; Redis: one script). `'overlay'` when one of the
   * live overlay's keys `guards` exists, or `ownerGuard + profileId` for the profile found: the
   * overlay changes that answer, so the caller reads through it instead. Undefined: no profile.
   */
  loadedAnswer(
    lookup: LoadedLookup,
    guards: string[],
    ownerGuard?: string,
  ): StoredAnswer | 'overlay' | undefined | Promise<StoredAnswer | 'overlay' | undefined>;
  /** What the store is, for messages and for keying its load state (no secrets in it). */
  readonly description: string;
  /**
   * The token of the last committed load, or undefined for an empty store. The loader loads
   * incrementally only when it matches the token it recorded in the warehouse.
   */
  loadToken(): Promise<string | undefined>;
  /**
   * Starts a load (taking the store's load lock: one load at a time across processes). `purge`
   * (privacy erasure): what the load removes leaves the store's keys at commit, not only its
   * answers (a store that masks removals, like the embedded one's delta, deletes them too).
   */
  beginLoad(mode: LoadMode, options?: { purge?: boolean }): Promise<StoreLoad>;
  /** How many profiles the store serves (as loaded: the live overlay not counted). */
  count(): Promise<number>;
  /**
   * Every identifier entry of the served load (a scan: for privacy erasure, which matches them
   * by hash since it holds no clear values). Empty for a store never loaded.
   */
  indexEntries(): AsyncIterable<IndexEntry>;
  /**
   * The live overlay's key space (../live/): identifiers stitched by `weft serve` since the last
   * load, kept beside the loaded generations. Reads above answer from the load only;
   * `LiveProfiles` (../live/overlay.ts) composes both.
   */
  readonly live: LiveKv;
  close(): Promise<void>;
}

/** Normalizes `value` as id type `type` the way identity_map holds it (null: rejected, or unknown type). */
export type IdentifierNormalizer = (type: string, value: string) => string | null;

/** Thrown when a load cannot proceed: another load holds the lock, or committed meanwhile. */
export class StoreLoadConflict extends Error {
  override name = 'StoreLoadConflict';
}
