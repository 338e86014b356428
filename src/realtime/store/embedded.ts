/**
 * The embedded serving store: one LMDB file on local disk (memory-mapped, so the operating system
 * pages it in and out: Node's heap holds none of it). Any number of processes on the machine may
 * read it while one loads.
 *
 * Keys (ordered-binary arrays in one database):
 *   ['m', 'gen' | 'token' | 'lock']        the generation served, its load token, the load lock
 *   [gen, 'p', profileId]                 → the profile as the API answers it (answer.ts), raw bytes
 *   [gen, 'i', type, value]               → profileId
 *   ['s', 'd' | 'p', profileId]           → staged removal / put (the row's bytes) of an incremental load
 *   ['s', 'i', type, value, profileId]    → staged index entry of an incremental load's put
 *   ['s', 'x', type, value, profileId]    → staged index removal: an identifier the profile lost
 *   ['o', key]                            → the live overlay (live-embedded.ts), untouched by loads
 * A full load writes a new generation beside the served one (in key order: profiles sorted by
 * id, then identifiers sorted) and switches `gen` in one write transaction; an incremental load
 * stages its changes (rows encoded, index entries and removals worked out while it streams, so
 * LMDB sorts them), then applies them in one write transaction that walks the staged ranges in
 * key order: B-tree writes in key order are several times cheaper than scattered ones. LMDB
 * readers see a snapshot: the old state or the new one, never a mix.
 *
 * The profile API's read (`loadedAnswer`) is synchronous: lmdb-js reads without an explicit
 * transaction share one read transaction until the event loop turns, so the overlay keys, the
 * generation, the index entry and the row it reads are one snapshot; the row's bytes are the
 * answer (no decode, no JSON.stringify).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { asBinary, type Database, open, type RootDatabase } from 'lmdb';
import type { LiveKv } from '../live/kv.js';
import type { ProfileAnswer, ProfileLookup, ServedProfile } from '../types.js';
import { answerBody, decodeRow, encodeRow, isRow, rowAnswer } from './answer.js';
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

/** Above this many changed profiles a full load is faster (see EmbeddedStore.incrementalMax). */
const INCREMENTAL_MAX = 30_000;

/** A lock older than this, or held by a process that is gone, is taken over. */
const LOCK_MS = 10 * 60_000;

type Key = (string | number)[];
const GEN: Key = ['m', 'gen'];
const NO_GUARDS: string[] = [];
interface Lock {
  owner: string;
  pid: number;
  expires: number;
}

/** Opens (creating) the store in `dir`. */
export function openEmbeddedStore(dir: string, normalize: IdentifierNormalizer): ServingStore {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'profiles.mdb');
  const root: RootDatabase = open({ path: file, compression: false, mapSize: 2 ** 34 });
  return new EmbeddedStore(root, file, normalize);
}

class EmbeddedStore implements ServingStore {
  readonly description: string;
  /**
   * An incremental load applies its changes in one write transaction over the served generation:
   * scattered over the key space, many changes dirty more pages than LMDB keeps in memory for one
   * transaction, and it spills (1M profiles: 10,000 changed 5.5 s, 100,000 changed 109 s, against
   * 23.5 s for a full load written in key order into a new generation).
   */
  readonly incrementalMax = INCREMENTAL_MAX;
  readonly live: LiveKv;

  constructor(
    private readonly db: Database,
    file: string,
    private readonly normalize: IdentifierNormalizer,
  ) {
    this.description = `embedded:${file}`;
    this.live = embeddedLiveKv(db);
  }

  async byProfileId(profileId: string): Promise<ServedProfile | undefined> {
    const gen = this.db.get(GEN) as number | undefined;
    return gen === undefined ? undefined : readProfile(this.db, [gen, 'p', profileId]);
  }

  async byIdentifier(type: string, value: string): Promise<ServedProfile | undefined> {
    const normalized = this.normalize(type, value);
    if (normalized === null) return undefined;
    const gen = this.db.get(GEN) as number | undefined;
    if (gen === undefined) return undefined;
    const profileId = this.db.get([gen, 'i', type, normalized]) as string | undefined;
    return profileId === undefined ? undefined : readProfile(this.db, [gen, 'p', profileId]);
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
    const gen = db.get(GEN) as number | undefined;
    if (gen === undefined) return undefined;
    const profileId =
      'profileId' in lookup
        ? lookup.profileId
        : (db.get([gen, 'i', lookup.type, lookup.value]) as string | undefined);
    if (profileId === undefined) return undefined;
    const key: Key = [gen, 'p', profileId];
    const row = db.getBinary(key);
    if (row === undefined) return undefined;
    if (ownerGuard !== undefined && db.getBinaryFast([OVERLAY, ownerGuard + profileId]) !== undefined)
      return 'overlay';
    if (isRow(row)) return { profileId, json: rowAnswer(row) };
    // a row of a load written before rows held the answer
    const legacy = db.get(key) as ServedProfile;
    return { profileId, json: Buffer.from(JSON.stringify(answerBody(legacy))) };
  }

  async loadToken(): Promise<string | undefined> {
    return this.db.get(['m', 'token']) as string | undefined;
  }

  async count(): Promise<number> {
    const gen = this.db.get(['m', 'gen']) as number | undefined;
    if (gen === undefined) return 0;
    return this.db.getKeysCount({ start: [gen, 'p'], end: [gen, 'p', '\uffff'] });
  }

  async *indexEntries(): AsyncIterable<IndexEntry> {
    const gen = this.db.get(['m', 'gen']) as number | undefined;
    if (gen === undefined) return;
    for (const { key, value } of this.db.getRange({ start: [gen, 'i'], end: [gen, 'i', '\uffff'] })) {
      const k = key as Key;
      yield { type: String(k[2]), value: String(k[3]), profileId: String(value) };
    }
  }

  async beginLoad(mode: LoadMode): Promise<StoreLoad> {
    const owner = randomUUID();
    const db = this.db;
    const current = db.transactionSync(() => {
      const lock = db.get(['m', 'lock']) as Lock | undefined;
      if (lock && lockHeld(lock))
        throw new StoreLoadConflict(`another load (process ${lock.pid}) is writing the serving store`);
      db.putSync(['m', 'lock'], { owner, pid: process.pid, expires: Date.now() + LOCK_MS } satisfies Lock);
      return db.get(['m', 'gen']) as number | undefined;
    });
    // Leftovers of a load that died: other generations and staged changes.
    await removeOtherGenerations(db, current);
    await removeRange(db, ['s'], ['s', '\uffff']);
    const gen = mode === 'full' ? (current ?? 0) + 1 : current;
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
          await batch(() => {
            for (const profile of profiles)
              db.put([gen as number, 'p', profile.profileId], asBinary(encodeRow(profile)));
          });
          return;
        }
        // The served generation does not change while this load holds the lock: the identifiers
        // each profile loses are read now, not inside the commit's transaction.
        const lost = profiles.map((profile) => lostIdentifiers(db, gen, profile));
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
          for (const entry of entries) db.put([gen as number, 'i', entry.type, entry.value], entry.profileId);
        });
      },
      async remove(profileIds) {
        if (mode === 'full') throw new Error('a full load removes by leaving profiles out');
        const lost = profileIds.map((profileId) => lostIdentifiers(db, gen, { profileId, identifiers: [] }));
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
        db.transactionSync(() => {
          if (!ownsLock())
            throw new StoreLoadConflict('the load lock was taken over: the load took too long');
          if (mode === 'incremental') {
            if (gen === undefined) throw new StoreLoadConflict('an incremental load needs a loaded store');
            applyStaged(db, gen);
          }
          db.putSync(['m', 'gen'], gen);
          db.putSync(['m', 'token'], token);
        });
        // The load is visible. What it leaves behind (the other generations, the staged keys:
        // readers look at neither) goes before the lock does, so the next load's keys are never
        // among those removed. A failure here loses nothing: the next beginLoad removes the rest.
        try {
          if (mode === 'full') await removeOtherGenerations(db, gen);
          else await removeRange(db, ['s'], ['s', '\uffff']);
        } catch {
        } finally {
          release();
        }
      },
      async abort() {
        await flush().catch(() => undefined);
        if (mode === 'full') await removeRange(db, [gen as number], [(gen as number) + 1]);
        else await removeRange(db, ['s'], ['s', '\uffff']);
        release();
      },
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/**
 * Applies the staged changes to generation `gen` (inside a write transaction), each range in key
 * order. The result is that of applying the removals, then the puts in profile-id order, one by
 * one: an identifier a changed or removed profile lost is unindexed if the index still names that
 * profile, then every put profile's identifiers are indexed (moved identifiers end with their new
 * profile; of two put profiles claiming one identifier, the later id wins). The staged keys are
 * removed after the commit.
 */
function applyStaged(db: Database, gen: number): void {
  for (const { key } of db.getRange({ start: ['s', 'x'], end: ['s', 'x', '\uffff'] })) {
    const [, , type, value, profileId] = key as Key;
    const indexKey = [gen, 'i', type as string, value as string];
    if (db.get(indexKey) === profileId) db.removeSync(indexKey);
  }
  for (const { key } of db.getRange({ start: ['s', 'd'], end: ['s', 'd', '\uffff'] }))
    db.removeSync([gen, 'p', (key as Key)[2] as string]);
  // the rows are staged encoded (their first byte is no msgpack): read as bytes, written as they are
  for (const key of db.getKeys({ start: ['s', 'p'], end: ['s', 'p', '\uffff'] }))
    db.putSync([gen, 'p', (key as Key)[2] as string], asBinary(db.getBinary(key as Key) as Buffer));
  for (const { key } of db.getRange({ start: ['s', 'i'], end: ['s', 'i', '\uffff'] })) {
    const [, , type, value, profileId] = key as Key;
    db.putSync([gen, 'i', type as string, value as string], profileId as string);
  }
}

/** The identifiers the served generation indexes for `profile` that `profile` no longer has. */
function lostIdentifiers(
  db: Database,
  gen: number | undefined,
  profile: Pick<ServedProfile, 'profileId' | 'identifiers'>,
): ServedProfile['identifiers'] {
  if (gen === undefined) return [];
  const old = readProfile(db, [gen, 'p', profile.profileId]);
  if (!old) return [];
  const kept = new Set(profile.identifiers.map((id) => `${id.type}\u0000${id.value}`));
  return old.identifiers.filter((id) => !kept.has(`${id.type}\u0000${id.value}`));
}

/** The profile a row holds (this format or an older load's msgpack record). */
function readProfile(db: Database, key: Key): ServedProfile | undefined {
  // the fast read's buffer is reused by the next read: decoded before anything else reads
  const bytes = db.getBinaryFast(key);
  if (bytes === undefined) return undefined;
  return isRow(bytes) ? decodeRow(bytes) : (db.get(key) as ServedProfile);
}

/** Removes the keys of every generation but `keep` (numbers sort before strings in key order). */
async function removeOtherGenerations(db: Database, keep: number | undefined): Promise<void> {
  if (keep === undefined) return removeRange(db, [0], [Number.MAX_SAFE_INTEGER]);
  await removeRange(db, [0], [keep]);
  await removeRange(db, [keep + 1], [Number.MAX_SAFE_INTEGER]);
}

/** Removes the keys from `start` (included) to `end` (excluded), in batches. */
async function removeRange(db: Database, start: Key, end: Key): Promise<void> {
  let keys: Key[] = [];
  const removeAll = (batch: Key[]) =>
    db.batch(() => {
      for (const key of batch) db.remove(key);
    });
  for (const key of db.getKeys({ start, end })) {
    keys.push(key as Key);
    if (keys.length >= 10_000) {
      await removeAll(keys);
      keys = [];
    }
  }
  if (keys.length > 0) await removeAll(keys);
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
