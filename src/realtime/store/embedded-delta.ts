/**
 * The embedded store's delta generation (embedded.ts): how reads look through it, and how an
 * incremental load writes the next one. A delta `d` beside the base generation `g` holds what
 * incremental loads changed since `g` was written:
 *
 *   [d, 'p', profileId]      → the profile's row (answer.ts), or TOMBSTONE: the profile is gone
 *   [d, 'i', type, value]    → profileId, or null: no profile has the identifier any more
 *
 * A read looks at the delta first, then the base. Invariant (what lets an identifier read cost
 * two gets more than without a delta, not three): a profile the delta holds has every identifier
 * the base indexes for it in the delta's index too, as itself, another profile or null — when a
 * load first puts or removes a profile, each identifier of its served row is re-indexed (kept) or
 * staged as lost (embedded.ts), and the base index names a profile only for identifiers of its row
 * (both come from identity_map). So an identifier found in the base index names a profile whose
 * row is in the base.
 *
 * The next delta is written in key order (profiles by id, then identifiers) by merging two sorted
 * ranges, the old delta and the load's staged changes, into a new generation number (greater than
 * every other, so its keys append at the B-tree's right edge); or, above the compaction bound,
 * the base and that merge into a new base. Either way in LMDB batches on its writer thread, while
 * readers keep the old pointers.
 */
import { asBinary, type Database } from 'lmdb';
import type { ServedProfile } from '../types.js';
import { decodeRow, isRow } from './answer.js';

type Key = (string | number)[];

/** A removed profile's row in a delta: msgpack's nil, which no row (answer.ts) nor older record is. */
export const TOMBSTONE = Buffer.from([0xc0]);

/** Whether a delta row says the profile is gone. */
export function isTombstone(bytes: Uint8Array): boolean {
  return bytes.length === 1 && bytes[0] === 0xc0;
}

/** The generations served: the base, and the delta over it (absent: none, as every older store). */
export interface Served {
  gen: number;
  delta: number | undefined;
}

/** The generations served now (undefined: never loaded). Part of the caller's read snapshot. */
export function servedGenerations(db: Database): Served | undefined {
  const gen = db.get(['m', 'gen']) as number | undefined;
  if (gen === undefined) return undefined;
  return { gen, delta: db.get(['m', 'delta']) as number | undefined };
}

/** The profile an identifier names in the served state; `inBase` when the base index said so. */
export function indexed(
  db: Database,
  s: Served,
  type: string,
  value: string,
): { profileId: string; inBase: boolean } | undefined {
  if (s.delta !== undefined) {
    const found = db.get([s.delta, 'i', type, value]) as string | null | undefined;
    if (found === null) return undefined;
    if (found !== undefined) return { profileId: found, inBase: false };
  }
  const found = db.get([s.gen, 'i', type, value]) as string | undefined;
  return found === undefined ? undefined : { profileId: found, inBase: true };
}

/**
 * The key of `profileId`'s served row and its bytes read by `read` (undefined: no such profile).
 * `inBase`: the base index named it, so the delta holds no row of it (see the invariant above).
 */
export function servedRow(
  s: Served,
  profileId: string,
  read: (key: Key) => Uint8Array | undefined,
  inBase = false,
): { key: Key; bytes: Uint8Array } | undefined {
  if (s.delta !== undefined && !inBase) {
    const key: Key = [s.delta, 'p', profileId];
    const bytes = read(key);
    if (bytes !== undefined) return isTombstone(bytes) ? undefined : { key, bytes };
  }
  const key: Key = [s.gen, 'p', profileId];
  const bytes = read(key);
  return bytes === undefined ? undefined : { key, bytes };
}

/**
 * Compares strings as LMDB orders their keys (ordered-binary writes UTF-8, whose byte order is
 * the code points' order; JavaScript's `<` compares UTF-16 units, which differs once a surrogate
 * pair meets a character from U+E000 up).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogates (D800–DFFF) move above E000–FFFF, as their code points are
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Compares the first `width` strings of two keys' tails. */
function compareTuples(a: readonly unknown[], b: readonly unknown[], width: number): number {
  for (let i = 0; i < width; i++) {
    const c = compareCodePoints(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return 0;
}

/** An iterator and its next item. */
class Peek<T> {
  head: T | undefined;
  private readonly it: Iterator<T>;
  constructor(items: Iterable<T>) {
    this.it = items[Symbol.iterator]();
    this.next();
  }
  next(): void {
    const r = this.it.next();
    this.head = r.done ? undefined : r.value;
  }
}

/** The keys from `start` to `end` (excluded), each with element `from` onwards. */
function* tails(db: Database, start: Key, end: Key, from: number): Generator<string[]> {
  for (const key of db.getKeys({ start, end })) yield (key as Key).slice(from) as string[];
}

/** A profile's row (or tombstone) in key order. */
type ProfileItem = [profileId: string, bytes: Uint8Array];
/** An index entry (null: removed) in key order. */
type IndexItem = [type: string, value: string, profileId: string | null];

/** The new delta's profiles: the old delta's with the staged puts (first) and removals applied. */
function* deltaProfiles(db: Database, old: number | undefined): Generator<ProfileItem> {
  const od = new Peek(old === undefined ? [] : tails(db, [old, 'p'], [old, 'q'], 2));
  const sd = new Peek(tails(db, ['s', 'd'], ['s', 'e'], 2));
  const sp = new Peek(tails(db, ['s', 'p'], ['s', 'q'], 2));
  for (;;) {
    let id: string | undefined;
    for (const p of [od, sd, sp])
      if (p.head && (id === undefined || compareCodePoints(p.head[0] as string, id) < 0)) id = p.head[0];
    if (id === undefined) return;
    let bytes: Uint8Array | undefined;
    if (sp.head?.[0] === id) bytes = db.getBinary(['s', 'p', id]);
    else if (sd.head?.[0] === id) bytes = TOMBSTONE;
    else bytes = db.getBinary([old as number, 'p', id]);
    for (const p of [od, sd, sp]) if (p.head?.[0] === id) p.next();
    if (bytes) yield [id, bytes];
  }
}

/**
 * The new delta's index: per identifier, the staged puts' (the last profile id wins), else a
 * staged loss (staged only when the served index names the profile that lost it: null), else the
 * old delta's entry.
 */
function* deltaIndex(db: Database, old: number | undefined): Generator<IndexItem> {
  const oi = new Peek<IndexItem>(old === undefined ? [] : indexRange(db, old));
  const si = new Peek(tails(db, ['s', 'i'], ['s', 'j'], 2));
  const sx = new Peek(tails(db, ['s', 'x'], ['s', 'y'], 2));
  for (;;) {
    let next: string[] | undefined;
    for (const head of [oi.head, si.head, sx.head])
      if (head && (next === undefined || compareTuples(head, next, 2) < 0))
        next = head.slice(0, 2) as string[];
    if (next === undefined) return;
    const same = (head: readonly (string | null)[] | undefined) =>
      head !== undefined && head[0] === next?.[0] && head[1] === next?.[1];
    let profileId: string | null | undefined;
    while (same(si.head)) {
      profileId = (si.head as string[])[2] as string;
      si.next();
    }
    let lost = false;
    while (same(sx.head)) {
      lost = true;
      sx.next();
    }
    if (same(oi.head)) {
      if (profileId === undefined && !lost) profileId = (oi.head as IndexItem)[2];
      oi.next();
    }
    yield [next[0] as string, next[1] as string, profileId === undefined ? null : profileId];
  }
}

/** The base's items overlaid by the delta's, tombstones dropped: the state a compaction writes. */
function* overlay<T extends ProfileItem | IndexItem>(
  base: Iterable<T>,
  delta: Iterable<T>,
  width: number,
  gone: (item: T) => boolean,
): Generator<T> {
  const b = new Peek(base);
  const d = new Peek(delta);
  const cmp = (x: T, y: T) => compareTuples(x, y, width);
  while (b.head || d.head) {
    const c = !b.head ? 1 : !d.head ? -1 : cmp(b.head, d.head);
    if (c < 0) {
      yield b.head as T;
      b.next();
      continue;
    }
    if (c === 0) b.next();
    if (!gone(d.head as T)) yield d.head as T;
    d.next();
  }
}

function* baseProfiles(db: Database, gen: number): Generator<ProfileItem> {
  for (const [id] of tails(db, [gen, 'p'], [gen, 'q'], 2)) {
    const bytes = db.getBinary([gen, 'p', id as string]);
    if (bytes) yield [id as string, bytes];
  }
}

/** Generation `gen`'s index entries (a delta's may be null: removed). */
function* indexRange(db: Database, gen: number): Generator<IndexItem> {
  for (const { key, value } of db.getRange({ start: [gen, 'i'], end: [gen, 'j'] })) {
    const k = key as Key;
    yield [k[2] as string, k[3] as string, value as string | null];
  }
}

/** Every index entry the served state holds, in key order (a scan: for privacy erasure). */
export function* servedIndex(db: Database, s: Served): Generator<IndexItem> {
  if (s.delta === undefined) yield* indexRange(db, s.gen);
  else yield* overlay(indexRange(db, s.gen), indexRange(db, s.delta), 2, (item) => item[2] === null);
}

/** How many profiles the delta adds over the base (rows the base lacks) less those it removes. */
export function deltaCountChange(db: Database, s: Served): number {
  if (s.delta === undefined) return 0;
  let change = 0;
  for (const [id] of tails(db, [s.delta, 'p'], [s.delta, 'q'], 2)) {
    const bytes = db.getBinaryFast([s.delta, 'p', id as string]) as Uint8Array;
    const removed = isTombstone(bytes);
    const inBase = db.getBinaryFast([s.gen, 'p', id as string]) !== undefined;
    if (removed && inBase) change--;
    else if (!removed && !inBase) change++;
  }
  return change;
}

/** Writes 2,000 keys per LMDB batch, a few batches in flight (their memory bounded). */
function batchWriter(db: Database) {
  let pending: Promise<unknown>[] = [];
  let writes: (() => void)[] = [];
  const send = () => {
    const chunk = writes;
    writes = [];
    pending.push(
      db.batch(() => {
        for (const write of chunk) write();
      }),
    );
  };
  return {
    async write(write: () => void) {
      writes.push(write);
      if (writes.length < 2000) return;
      send();
      if (pending.length >= 8) await this.flush();
      // a turn of the event loop per batch: the merge never holds it for long
      else await new Promise(setImmediate);
    },
    async flush() {
      if (writes.length > 0) send();
      const all = pending;
      pending = [];
      await Promise.all(all);
    },
  };
}

/**
 * Writes generation `into` from the served generations `s` and the staged changes: the merged
 * delta, or with `compact` the new base (base and merged delta together, nothing removed left).
 * Between batches the event loop turns; nothing is visible until the caller switches pointers.
 * Returns how many profiles (rows and tombstones) it wrote.
 */
export async function writeMerged(db: Database, s: Served, into: number, compact: boolean): Promise<number> {
  const w = batchWriter(db);
  let written = 0;
  const profiles = compact
    ? overlay(baseProfiles(db, s.gen), deltaProfiles(db, s.delta), 1, ([, bytes]) => isTombstone(bytes))
    : deltaProfiles(db, s.delta);
  for (const [id, bytes] of profiles) {
    // the bytes as they are (a copy lmdb made: getBinary), rows and tombstones alike
    const row = asBinary(bytes as Buffer);
    written++;
    await w.write(() => db.put([into, 'p', id], row));
  }
  const index = compact
    ? overlay(indexRange(db, s.gen), deltaIndex(db, s.delta), 2, (item) => item[2] === null)
    : deltaIndex(db, s.delta);
  for (const [type, value, profileId] of index)
    await w.write(() => db.put([into, 'i', type, value], profileId));
  await w.flush();
  return written;
}

/**
 * Deletes (inside the commit's transaction) what masks the profiles `purged` removes and what is
 * masked: their rows and the index entries naming them in the base, then the delta's tombstones
 * of those keys (the base no longer holds them). Privacy erasure: the person's keys leave the
 * file, not only the answers. Only the served base is touched (a compacted one holds none).
 */
export function purge(
  db: Database,
  next: Served,
  before: Served | undefined,
  purged: [string, ServedProfile['identifiers']][],
): void {
  if (before === undefined || next.gen !== before.gen) return;
  const gen = next.gen;
  for (const [profileId, lost] of purged) {
    const base = readBaseProfile(db, gen, profileId);
    for (const x of [...lost, ...(base?.identifiers ?? [])]) {
      if (db.get([gen, 'i', x.type, x.value]) === profileId) db.remove([gen, 'i', x.type, x.value]);
      if (next.delta !== undefined && db.get([gen, 'i', x.type, x.value]) === undefined) {
        const tombstone = [next.delta, 'i', x.type, x.value];
        if (db.get(tombstone) === null) db.remove(tombstone);
      }
    }
    db.remove([gen, 'p', profileId]);
    if (next.delta !== undefined) {
      const row = db.getBinary([next.delta, 'p', profileId]);
      if (row !== undefined && isTombstone(row)) db.remove([next.delta, 'p', profileId]);
    }
  }
}

function readBaseProfile(db: Database, gen: number, profileId: string): ServedProfile | undefined {
  const bytes = db.getBinary([gen, 'p', profileId]);
  if (bytes === undefined) return undefined;
  return isRow(bytes) ? decodeRow(bytes) : (db.get([gen, 'p', profileId]) as ServedProfile);
}

/** How many profiles generation `gen`'s range holds (rows and tombstones). */
export function profileKeys(db: Database, gen: number): number {
  return db.getKeysCount({ start: [gen, 'p'], end: [gen, 'q'] });
}
