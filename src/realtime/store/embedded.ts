/**
 * The embedded serving store: one LMDB file on local disk (memory-mapped, so the operating system
 * pages it in and out: Node's heap holds none of it). Any number of processes on the machine may
 * read it while one loads.
 *
 * Keys (ordered-binary arrays in one database):
 *   ['m', 'gen' | 'delta' | 'token' | 'lock' | 'sizes']  the base and delta generations served,
 *                                          the load token, the load lock, the compaction's terms
 *   [gen, 'p', profileId]                 → the profile as the API answers it (answer.ts), raw bytes
 *   [gen, 'i', type, value]               → profileId
 *   [delta, 'p' | 'i', …]                 → the same, or a tombstone (embedded-delta.ts)
 *   ['s', 'd' | 'p', profileId]           → staged removal / put (the row's bytes) of an incremental load
 *   ['s', 'i', type, value, profileId]    → staged index entry of an incremental load's put
 *   ['s', 'x', type, value, profileId]    → staged index removal: an identifier the profile lost
 *                                          that the served index still gives it
 *   ['o', key]                            → the live overlay (live-embedded.ts), untouched by loads
 * A full load writes a new base generation beside the served one (in key order: profiles sorted
 * by id, then identifiers sorted), then switches `gen` and drops `delta`. An incremental load
 * stages its changes (LMDB sorts them), then writes a new delta generation, the old delta merged
 * with them in key order (embedded-delta.ts), and switches `delta`: its cost follows the change
 * and the delta's size, never the base's. Above the compaction bound the merge writes a new base
 * instead (base and delta together, sequentially: no warehouse work). Both are written in LMDB
 * batches on its writer thread; the commit itself is one tiny transaction (the pointers), so the
 * event loop waits only for that switch. LMDB readers see a snapshot: the old state or the new one.
 *
 * The profile API's read (`loadedAnswer`) is synchronous: lmdb-js reads without an explicit
 * transaction share one read transaction until the event loop turns, so the overlay keys, the
 * generations, the index entry and the row it reads are one snapshot; the row's bytes are the
 * answer (no decode, no JSON.stringify). A delta adds two gets at most.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { asBinary, type Database, open, type RootDatabase } from 'lmdb';
import type { LiveKv } from '../live/kv.js';
import type { ProfileAnswer, ProfileLookup, ServedProfile } from '../types.js';
import { answerBody, decodeRow, encodeRow, isRow, rowAnswer } from './answer.js';
import {
  deltaCountChange,
  indexed,
  profileKeys,
  purge,
  type Served,
  servedGenerations,
  servedIndex,
  servedRow,
  writeMerged,
} from './embedded-delta.js';
import { removeOtherGenerations, removeRange, served } from './embedded-ranges.js';
import { embeddedLiveKv, OVERLAY } from './live-embedded.js';
import {
  type IdentifierNormalizer,
  type IndexEntry,
  type LoadedLookup,
  type LoadMode,
  type ServingStore,
  type StoredAnswer,
  type StoreLoad,
  StoreLoadConflict,
} from './types.js';

/** A lock older than this, or held by a process that is gone, is taken over. */
const LOCK_MS = 10 * 60_000;

const NO_GUARDS: string[] = [];
interface Lock {
  owner: string;
  pid: number;
  expires: number;
}

/**
 * When an incremental load writes a new base instead of the next delta: when the profiles the
 * deltas since the base have written (each load rewrites its delta: the old one and its changes),
 * with the next one, would pass this share of the base's profiles (and `min`). With share 1 the
 * deltas' work up to a compaction is about that of the compaction itself, which keeps the total
 * within twice the least possible whatever the loads' sizes (each delta's profile and a base's
 * cost about the same: one row and its identifiers written, later removed).
 */
export interface CompactionBound {
  share: number;
  min: number;
}

const COMPACT: CompactionBound = { share: 1, min: 10_000 };

/** Opens (creating) the store in `dir`. `compact`: the compaction bound (tests make it small). */
export function openEmbeddedStore(
  dir: string,
  normalize: IdentifierNormalizer,
  compact: CompactionBound = COMPACT,
): ServingStore {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'profiles.mdb');
  const root: RootDatabase = open({ path: file, compression: false, mapSize: 2 ** 34 });
  return new EmbeddedStore(root, file, normalize, compact);
}

class EmbeddedStore implements ServingStore {
  readonly description: string;
  readonly live: LiveKv;

  constructor(
    private readonly db: Database,
    file: string,
    private readonly normalize: IdentifierNormalizer,
    private readonly compact: CompactionBound,
  ) {
    this.description = `embedded:${file}`;
    this.live = embeddedLiveKv(db);
  }

  async byProfileId(profileId: string): Promise<ServedProfile | undefined> {
    const s = servedGenerations(this.db);
    return s && readProfile(this.db, s, profileId, false);
  }

  async byIdentifier(type: string, value: string): Promise<ServedProfile | undefined> {
    const normalized = this.normalize(type, value);
    if (normalized === null) return undefined;
    const s = servedGenerations(this.db);
    const found = s && indexed(this.db, s, type, normalized);
    return found && readProfile(this.db, s as Served, found.profileId, found.inBase);
  }

  answer(lookup: ProfileLookup): ProfileAnswer | undefined {
    if (!('type' in lookup)) return this.loadedAnswer(lookup, NO_GUARDS) as StoredAnswer | undefined;
    const normalized = this.normalize(lookup.type, lookup.value);
    if (normalized === null) return undefined;
    return this.loadedAnswer({ type: lookup.type, value: normalized }, NO_GUARDS) as StoredAnswer | undefined;
  }

  loadedAnswer(
    lookup: LoadedLookup,
    guards: string[],
    ownerGuard?: string,
  ): StoredAnswer | 'overlay' | undefined {
    const db = this.db;
    // getBinaryFast: whether a key exists, without decoding its value
    for (const guard of guards) if (db.getBinaryFast([OVERLAY, guard]) !== undefined) return 'overlay';
    const s = servedGenerations(db);
    if (s === undefined) return undefined;
    let profileId: string;
    let inBase = false;
    if ('profileId' in lookup) profileId = lookup.profileId;
    else {
      const found = indexed(db, s, lookup.type, lookup.value);
      if (found === undefined) return undefined;
      ({ profileId, inBase } = found);
    }
    // getBinary: a copy, which the answer keeps a view of
    const row = servedRow(s, profileId, (key) => db.getBinary(key), inBase);
    if (row === undefined) return undefined;
    if (ownerGuard !== undefined && db.getBinaryFast([OVERLAY, ownerGuard + profileId]) !== undefined)
      return 'overlay';
    if (isRow(row.bytes)) return { profileId, json: rowAnswer(row.bytes) };
    // a row of a load written before rows held the answer
    const legacy = db.get(row.key) as ServedProfile;
    return { profileId, json: Buffer.from(JSON.stringify(answerBody(legacy))) };
  }

  async loadToken(): Promise<string | undefined> {
    return this.db.get(['m', 'token']) as string | undefined;
  }

  async count(): Promise<number> {
    const s = servedGenerations(this.db);
    if (s === undefined) return 0;
    return profileKeys(this.db, s.gen) + deltaCountChange(this.db, s);
  }

  async *indexEntries(): AsyncIterable<IndexEntry> {
    const s = servedGenerations(this.db);
    if (s === undefined) return;
    for (const [type, value, profileId] of servedIndex(this.db, s))
      yield { type, value, profileId: profileId as string };
  }

  async beginLoad(mode: LoadMode, options: { purge?: boolean } = {}): Promise<StoreLoad> {
    const owner = randomUUID();
    const db = this.db;
    const bound = this.compact;
    const current = db.transactionSync(() => {
      const lock = db.get(['m', 'lock']) as Lock | undefined;
      if (lock && lockHeld(lock))
        throw new StoreLoadConflict(`another load (process ${lock.pid}) is writing the serving store`);
      db.putSync(['m', 'lock'], { owner, pid: process.pid, expires: Date.now() + LOCK_MS } satisfies Lock);
      return servedGenerations(db);
    });
    // Leftovers of a load that died: other generations and staged changes.
    await removeOtherGenerations(db, served(current));
    await removeRange(db, ['s'], ['t']);
    // Above every generation: a full load's base, or an incremental load's delta (or compacted
    // base), its keys appended at the B-tree's right edge.
    const gen = Math.max(current?.gen ?? 0, current?.delta ?? 0) + 1;
    let staged = 0;
    let fullPuts = 0;
    // purge: the removed profiles with the identifiers they lose, deleted at commit
    const purged: [string, ServedProfile['identifiers']][] = [];
    const ownsLock = () => (db.get(['m', 'lock']) as Lock | undefined)?.owner === owner;
    const release = () => {
      if (ownsLock()) db.removeSync(['m', 'lock']);
    };
    // Each chunk is one LMDB batch, written by LMDB's writer thread while the loader reads the
    // next rows; past a few batches in flight the loader waits, which bounds their memory.
    let pending: Promise<unknown>[] = [];
    const batch = async (writes: () => void) => {
      pending.push(db.batch(writes));
      if (pending.length >= 8) await flush();
    };
    const flush = async () => {
      const writes = pending;
      pending = [];
      await Promise.all(writes);
    };
    return {
      async put(profiles) {
        if (mode === 'full') {
          fullPuts += profiles.length;
          await batch(() => {
            for (const profile of profiles)
              db.put([gen, 'p', profile.profileId], asBinary(encodeRow(profile)));
          });
          return;
        }
        // The served state does not change while this load holds the lock: the identifiers each
        // profile loses are read now, not when the delta is written.
        const lost = profiles.map((profile) => lostIdentifiers(db, current, profile));
        staged += profiles.length;
        await batch(() => {
          for (const [n, profile] of profiles.entries()) {
            const id = profile.profileId;
            db.put(['s', 'p', id], asBinary(encodeRow(profile)));
            for (const x of profile.identifiers) db.put(['s', 'i', x.type, x.value, id], true);
            for (const x of lost[n] as ServedProfile['identifiers'])
              db.put(['s', 'x', x.type, x.value, id], true);
          }
        });
      },
      async index(entries) {
        if (mode === 'incremental') throw new Error('an incremental load indexes the profiles it puts');
        await batch(() => {
          for (const entry of entries) db.put([gen, 'i', entry.type, entry.value], entry.profileId);
        });
      },
      async remove(profileIds) {
        if (mode === 'full') throw new Error('a full load removes by leaving profiles out');
        const lost = profileIds.map((profileId) =>
          lostIdentifiers(db, current, { profileId, identifiers: [] }),
        );
        staged += profileIds.length;
        if (options.purge) for (const [n, id] of profileIds.entries()) purged.push([id, lost[n] ?? []]);
        await batch(() => {
          for (const [n, profileId] of profileIds.entries()) {
            db.put(['s', 'd', profileId], true);
            for (const x of lost[n] as ServedProfile['identifiers'])
              db.put(['s', 'x', x.type, x.value, profileId], true);
          }
        });
      },
      async commit(token) {
        await flush();
        let next: Served = { gen, delta: undefined };
        // the base's profiles when written, and the delta profiles written since (the bound's terms)
        let sizes: Sizes = { base: fullPuts, merged: 0 };
        if (mode === 'incremental') {
          if (current === undefined) throw new StoreLoadConflict('an incremental load needs a loaded store');
          const s = current;
          const before = sizesOf(db, s);
          // the merged delta holds at most the old one's profiles and those staged
          const size = (s.delta === undefined ? 0 : profileKeys(db, s.delta)) + staged;
          const compact = before.merged + size > Math.max(bound.min, before.base * bound.share);
          if (staged === 0) {
            // nothing changed: the served generations stay, only the token moves
            next = s;
            sizes = before;
          } else if (compact) {
            sizes = { base: await writeMerged(db, s, gen, true), merged: 0 };
          } else {
            next = { gen: s.gen, delta: gen };
            sizes = { base: before.base, merged: before.merged + (await writeMerged(db, s, gen, false)) };
          }
        }
        // The commit: the pointers, in one small synchronous transaction (microseconds). Not an
        // async transaction: its callback runs on this thread while LMDB's writer thread holds the
        // write lock, so a synchronous transaction of another handle on the same file in this
        // process (a second store open, as the conformance test's `shared()`) deadlocked with it.
        const committed = db.transactionSync(() => {
          if (!ownsLock()) return false;
          purge(db, next, current, purged);
          db.put(['m', 'gen'], next.gen);
          if (next.delta === undefined) db.remove(['m', 'delta']);
          else db.put(['m', 'delta'], next.delta);
          db.put(['m', 'token'], token);
          db.put(['m', 'sizes'], sizes);
          return true;
        });
        if (!committed) throw new StoreLoadConflict('the load lock was taken over: the load took too long');
        // The load is visible. What it leaves behind (the other generations, the staged keys:
        // readers look at neither) goes before the lock does, so the next load's keys are never
        // among those removed. A failure here loses nothing: the next beginLoad removes the rest.
        try {
          await removeOtherGenerations(db, served(next));
          await removeRange(db, ['s'], ['t']);
        } catch {
        } finally {
          release();
        }
      },
      async abort() {
        await flush().catch(() => undefined);
        // a load whose lock was taken over leaves its keys to the next beginLoad: the holder's
        // generation may have the same number
        if (!ownsLock()) return;
        await removeRange(db, [gen], [gen + 1]);
        await removeRange(db, ['s'], ['t']);
        release();
      },
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/**
 * The identifiers the served state gives `profile` (its served row has them, the served index
 * names it) that `profile` no longer has: a removal stages all of them. When the staged changes
 * are merged, an identifier staged here is unindexed unless one of the load's puts claims it
 * (embedded-delta.ts): the result of applying the removals, then the puts in profile-id order,
 * one by one (moved identifiers end with their new profile; of two put profiles claiming one
 * identifier, the later id wins).
 */
function lostIdentifiers(
  db: Database,
  s: Served | undefined,
  profile: Pick<ServedProfile, 'profileId' | 'identifiers'>,
): ServedProfile['identifiers'] {
  if (s === undefined) return [];
  const old = readProfile(db, s, profile.profileId, false);
  if (!old) return [];
  const kept = new Set(profile.identifiers.map((id) => `${id.type}\u0000${id.value}`));
  return old.identifiers.filter(
    (id) =>
      !kept.has(`${id.type}\u0000${id.value}`) &&
      indexed(db, s, id.type, id.value)?.profileId === profile.profileId,
  );
}

/** The profile served as `profileId` (this format or an older load's msgpack record). */
function readProfile(db: Database, s: Served, profileId: string, inBase: boolean): ServedProfile | undefined {
  // the fast read's buffer is reused by the next read: decoded before anything else reads
  const row = servedRow(s, profileId, (key) => db.getBinaryFast(key), inBase);
  if (row === undefined) return undefined;
  return isRow(row.bytes) ? decodeRow(row.bytes) : (db.get(row.key) as ServedProfile);
}

/** The base's profiles when it was written, and the profiles the deltas wrote since. */
interface Sizes {
  base: number;
  merged: number;
}

/** The sizes recorded with the served state (a store written before deltas: its base counted). */
function sizesOf(db: Database, s: Served): Sizes {
  const recorded = db.get(['m', 'sizes']) as Sizes | undefined;
  return recorded ?? { base: profileKeys(db, s.gen), merged: 0 };
}

function lockHeld(lock: Lock): boolean {
  if (lock.expires < Date.now()) return false;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
