/**
 * The embedded store's delta generation (src/realtime/store/embedded-delta.ts): incremental loads
 * stacked on one another (puts, removals, identifiers moving, lost, claimed twice) serve exactly
 * what applying each load's removals then puts in profile-id order gives, with and without
 * compaction, and equal to a full load of that state; the new delta is written over many turns
 * of the event loop while readers keep the old state, then switched at once; aborted loads and
 * dead ones leave no keys; stores without a delta key (written before deltas) load on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asBinary, open, type RootDatabase } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { answerBody, encodeRow } from '../../src/realtime/store/answer.js';
import { type CompactionBound, openEmbeddedStore } from '../../src/realtime/store/embedded.js';
import { compareCodePoints } from '../../src/realtime/store/embedded-delta.js';
import type { IndexEntry, ServingStore, StoredAnswer } from '../../src/realtime/store/types.js';
import type { ServedProfile } from '../../src/realtime/types.js';

const normalize = (_type: string, value: string) => value;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function storeDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-delta-'));
  dirs.push(dir);
  return dir;
}

/** A second handle on the store's file, to look at its keys. */
function raw(dir: string): RootDatabase {
  return open({ path: path.join(dir, 'profiles.mdb'), compression: false });
}

type Id = ServedProfile['identifiers'][number];
const key = (id: Id) => `${id.type}\u0000${id.value}`;

/** What the store must serve: each load's removals, then its puts in profile-id order. */
class Model {
  profiles = new Map<string, ServedProfile>();
  index = new Map<string, string>();

  apply(puts: ServedProfile[], removals: string[]): void {
    const lost: [string, string][] = [];
    for (const id of removals)
      for (const x of this.profiles.get(id)?.identifiers ?? []) lost.push([key(x), id]);
    for (const p of puts) {
      const kept = new Set(p.identifiers.map(key));
      for (const x of this.profiles.get(p.profileId)?.identifiers ?? [])
        if (!kept.has(key(x))) lost.push([key(x), p.profileId]);
    }
    for (const [k, id] of lost) if (this.index.get(k) === id) this.index.delete(k);
    for (const id of removals) this.profiles.delete(id);
    for (const p of [...puts].sort((a, b) => compareCodePoints(a.profileId, b.profileId))) {
      this.profiles.set(p.profileId, p);
      for (const x of p.identifiers) this.index.set(key(x), p.profileId);
    }
  }

  entries(): IndexEntry[] {
    return [...this.index].map(([k, profileId]) => {
      const [type, value] = k.split('\u0000') as [string, string];
      return { type, value, profileId };
    });
  }
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

// ids and values around where UTF-16 and UTF-8 order differ (surrogates against U+E000 and up)
const ids = [...Array.from({ length: 24 }, (_, i) => `p${i}`), 'p\uffee', 'p😀', 'pé', 'q'];
const values = [...Array.from({ length: 30 }, (_, i) => `v${i}`), 'v\uffee', 'v😀', 'vé', 'w'];
const types = ['email', 'user_id'];

function profile(profileId: string, identifiers: Id[], round: number): ServedProfile {
  return {
    profileId,
    identifiers,
    traits: { round },
    audiences: round % 2 ? ['vip'] : [],
    firstSeenAt: null,
  };
}

const byId = (a: IndexEntry, b: IndexEntry) =>
  compareCodePoints(a.type, b.type) || compareCodePoints(a.value, b.value);

async function fullLoad(store: ServingStore, model: Model, token: string): Promise<void> {
  const load = await store.beginLoad('full');
  await load.put([...model.profiles.values()].sort((a, b) => compareCodePoints(a.profileId, b.profileId)));
  await load.index(model.entries().sort(byId));
  await load.commit(token);
}

/** Every read of the store agrees with the model. */
async function expectServes(store: ServingStore, model: Model): Promise<void> {
  for (const id of ids) {
    const expected = model.profiles.get(id);
    expect(await store.byProfileId(id)).toEqual(expected);
    const answer = store.answer({ profileId: id }) as StoredAnswer | undefined;
    expect(answer && Buffer.from(answer.json).toString()).toBe(
      expected && JSON.stringify(answerBody(expected)),
    );
  }
  for (const type of types)
    for (const value of values) {
      const owner = model.index.get(`${type}\u0000${value}`);
      expect((await store.byIdentifier(type, value))?.profileId).toBe(owner);
      expect((store.answer({ type, value }) as StoredAnswer | undefined)?.profileId).toBe(owner);
    }
  expect(await store.count()).toBe(model.profiles.size);
  const entries: IndexEntry[] = [];
  for await (const entry of store.indexEntries()) entries.push(entry);
  expect(entries).toEqual(model.entries().sort(byId));
}

/** Every key of the file is a served generation's, a meta key (no lock) or the overlay's. */
function expectNoLeftovers(dir: string): void {
  const db = raw(dir);
  const gen = db.get(['m', 'gen']) as number;
  const delta = db.get(['m', 'delta']) as number | undefined;
  for (const k of db.getKeys({})) {
    const first = (k as unknown[])[0];
    if (typeof first === 'number') expect([gen, delta]).toContain(first);
    else expect(k).not.toEqual(['m', 'lock']);
    expect(first).not.toBe('s');
  }
}

describe.each([
  { name: 'a delta only', bound: { share: 100, min: 1_000_000 }, compacts: false },
  { name: 'compactions', bound: { share: 0.3, min: 0 }, compacts: true },
] as { name: string; bound: CompactionBound; compacts: boolean }[])(
  'stacked incremental loads of the embedded store ($name)',
  ({ bound, compacts }) => {
    it('serve what each load changed, equal to a full load of the same state', async () => {
      const dir = storeDir();
      const store = openEmbeddedStore(dir, normalize, bound);
      const meta = raw(dir);
      const pick = random(compacts ? 7 : 11);
      const model = new Model();
      // first a consistent state: each identifier with one profile
      for (const [n, id] of ids.slice(0, 16).entries())
        model.profiles.set(id, profile(id, [{ type: 'user_id', value: values[n] as string }], 0));
      for (const p of model.profiles.values())
        for (const x of p.identifiers) model.index.set(key(x), p.profileId);
      await fullLoad(store, model, 't0');
      let deltas = 0;
      let compactions = 0;
      for (let round = 1; round <= 14; round++) {
        const puts = new Map<string, ServedProfile>();
        for (let n = pick(7); n > 0; n--) {
          const id = ids[pick(ids.length)] as string;
          const identifiers = new Map<string, Id>();
          // keep some of its identifiers (or none), take others (maybe another profile's)
          for (const x of model.profiles.get(id)?.identifiers ?? []) if (pick(2)) identifiers.set(key(x), x);
          for (let k = pick(3); k > 0; k--) {
            const x = { type: types[pick(2)] as string, value: values[pick(values.length)] as string };
            identifiers.set(key(x), x);
          }
          puts.set(id, profile(id, [...identifiers.values()], round));
        }
        const served = [...model.profiles.keys()].filter((id) => !puts.has(id));
        const removals = [
          ...new Set(Array.from({ length: pick(3) }, () => served[pick(served.length)])),
        ].filter((id): id is string => id !== undefined);
        const genBefore = meta.get(['m', 'gen']);
        const load = await store.beginLoad('incremental');
        await load.put([...puts.values()]);
        await load.remove(removals);
        await load.commit(`t${round}`);
        model.apply([...puts.values()], removals);
        if (meta.get(['m', 'delta']) !== undefined) deltas++;
        if (meta.get(['m', 'gen']) !== genBefore) compactions++;
        await expectServes(store, model);
        expectNoLeftovers(dir);
        expect(await store.loadToken()).toBe(`t${round}`);
      }
      if (compacts) expect(compactions).toBeGreaterThan(1);
      else expect([compactions, deltas]).toEqual([0, 14]);

      const fresh = openEmbeddedStore(storeDir(), normalize);
      await fullLoad(fresh, model, 'full');
      await expectServes(fresh, model);
      await fresh.close();
      await store.close();
    });
  },
);

describe('the delta merge', () => {
  it('orders ids as LMDB orders keys (code points, not UTF-16 units)', async () => {
    const db = raw(storeDir());
    const mixed = ['p\uffee', 'p😀', 'p', 'pé', 'p\ud7ff', 'p\ue000', 'pz', 'p😀a', 'p\uffff'];
    for (const id of mixed) await db.put(['k', id], true);
    const stored = [...db.getKeys({ start: ['k'], end: ['l'] })].map((k) => (k as string[])[1]);
    expect([...mixed].sort(compareCodePoints)).toEqual(stored);
    expect([...mixed].sort()).not.toEqual(stored);
  });

  it('replaces a delta row whose id sorts apart in UTF-16 and UTF-8', async () => {
    const store = openEmbeddedStore(storeDir(), normalize);
    const model = new Model();
    const at = (id: string, value: string, round: number) => profile(id, [{ type: 'user_id', value }], round);
    model.apply([at('p0', 'v0', 0)], []);
    await fullLoad(store, model, 't0');
    for (const [round, puts] of [
      [1, [at('p\uffee', 'v1', 1), at('p😀', 'v2', 1)]],
      [2, [at('p😀', 'v3', 2)]],
      [3, [at('p\uffee', 'v2', 3)]],
    ] as [number, ServedProfile[]][]) {
      const load = await store.beginLoad('incremental');
      await load.put(puts);
      await load.commit(`t${round}`);
      model.apply(puts, []);
      await expectServes(store, model);
    }
    await store.close();
  });
});

describe('identifiers claimed twice across stacked loads', () => {
  it('go to the later id in one load, to the one put last across loads, and away with a removal', async () => {
    const store = openEmbeddedStore(storeDir(), normalize);
    const model = new Model();
    const x = (...values: string[]) => values.map((value) => ({ type: 'email', value }));
    model.apply([profile('a', x('v0'), 0), profile('c', x('v9'), 0)], []);
    await fullLoad(store, model, 't0');
    const owner = async (value: string) => (await store.byIdentifier('email', value))?.profileId;
    for (const [round, puts, removals, expected] of [
      [1, [profile('b', x('v1'), 1), profile('a', x('v0', 'v1'), 1)], [], { v0: 'a', v1: 'b' }],
      [2, [profile('a', x('v1'), 2)], [], { v0: undefined, v1: 'a' }],
      [3, [profile('c', x('v9', 'v0'), 3)], ['a'], { v0: 'c', v1: undefined, v9: 'c' }],
    ] as [number, ServedProfile[], string[], Record<string, string | undefined>][]) {
      const load = await store.beginLoad('incremental');
      await load.put(puts);
      await load.remove(removals);
      await load.commit(`t${round}`);
      model.apply(puts, removals);
      for (const [value, profileId] of Object.entries(expected)) expect(await owner(value)).toBe(profileId);
      await expectServes(store, model);
    }
    await store.close();
  });
});

describe('the embedded store during an incremental load', () => {
  it('keeps serving the old state while the new delta is written over many turns, then the new one', async () => {
    const dir = storeDir();
    const store = openEmbeddedStore(dir, normalize);
    const meta = raw(dir);
    const n = 5000;
    // 20,000 keys to write (a row and 3 identifiers each): 10 batches, 8 at most in flight, so
    // the ninth is sent once the first eight are written — a turn sees them, not the tenth
    const all = Array.from({ length: n }, (_, i) => {
      const digits = String(i).padStart(5, '0');
      return profile(
        `p${digits}`,
        ['anonymous_id', 'email', 'user_id'].map((type) => ({ type, value: `${type[0]}${digits}` })),
        0,
      );
    });
    const model = new Model();
    model.apply(all, []);
    await fullLoad(store, model, 't0');
    const first = 'p00000';
    const last = `p${String(n - 1).padStart(5, '0')}`;
    const round = (id: string) => {
      const answer = store.answer({ type: 'user_id', value: `u${id.slice(1)}` }) as StoredAnswer;
      return (JSON.parse(Buffer.from(answer.json).toString()) as { traits: { round: number } }).traits.round;
    };

    const load = await store.beginLoad('incremental');
    await load.put(all.map((p) => ({ ...p, traits: { round: 1 } })));
    const next = (meta.get(['m', 'gen']) as number) + 1;
    const seen: string[] = [];
    let partlyWritten = 0;
    let turns = 0;
    let committing = true;
    const spin = () => {
      if (!committing) return;
      turns++;
      // one snapshot per turn: both ends of the load old, or both new
      seen.push(`${round(first)}${round(last)}`);
      const started = meta.getBinaryFast([next, 'p', first]) !== undefined;
      const done = meta.get([next, 'i', 'user_id', `u${last.slice(1)}`]) !== undefined;
      if (started && !done && seen.at(-1) === '00') partlyWritten++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await load.commit('t1');
    committing = false;
    expect(seen.join('').replace(/^(00)+(11)*$/, '')).toBe('');
    // the delta was written in batches, the event loop turning between them
    expect(partlyWritten).toBeGreaterThan(0);
    expect(turns).toBeGreaterThan(5);
    expect(round(first)).toBe(1);
    expect(meta.get(['m', 'delta'])).toBe(next);
    await store.close();
  });

  it('leaves nothing visible and no keys when aborted, and cleans up after a dead load', async () => {
    const dir = storeDir();
    const store = openEmbeddedStore(dir, normalize);
    const model = new Model();
    model.apply(
      ids.slice(0, 6).map((id, i) => profile(id, [{ type: 'user_id', value: values[i] as string }], 0)),
      [],
    );
    await fullLoad(store, model, 't0');
    const load = await store.beginLoad('incremental');
    await load.put([profile('p0', [{ type: 'user_id', value: 'v1' }], 1)]);
    await load.commit('t1');
    model.apply([profile('p0', [{ type: 'user_id', value: 'v1' }], 1)], []);

    for (let attempt = 0; attempt < 2; attempt++) {
      const aborted = await store.beginLoad('incremental');
      await aborted.put([profile('p9', [{ type: 'email', value: 'v2' }], 2)]);
      await aborted.remove(['p1']);
      if (attempt === 0) await aborted.abort();
      else {
        // a load that died mid-way: its staged keys and half-written generation stay behind
        const db = raw(dir);
        await db.put([99, 'p', 'x'], asBinary(encodeRow(profile('x', [], 9))));
        await db.remove(['m', 'lock']);
      }
      await expectServes(store, model);
    }
    // the next load removes what the dead one left, and keeps the served base and delta
    const next = await store.beginLoad('incremental');
    await next.abort();
    expectNoLeftovers(dir);
    await expectServes(store, model);
    await store.close();
  });
});

describe('a purging load of the embedded store (privacy erasure)', () => {
  it("removes the profile's keys from the file, not only its answers", async () => {
    const dir = storeDir();
    const store = openEmbeddedStore(dir, normalize);
    const model = new Model();
    const at = (id: string, round: number, ...values: string[]) =>
      profile(
        id,
        values.map((value) => ({ type: 'email', value })),
        round,
      );
    model.apply([at('p0', 0, 'v0'), at('p1', 0, 'v1', 'v2'), at('p2', 0, 'v3')], []);
    await fullLoad(store, model, 't0');
    // p1 gains an identifier and p2 changes (a delta holds them), then p1 is erased
    for (const [round, puts, removals, purge] of [
      [1, [at('p1', 1, 'v1', 'v2', 'v4'), at('p2', 1, 'v3')], [], false],
      [2, [], ['p1'], true],
    ] as [number, ServedProfile[], string[], boolean][]) {
      const load = await store.beginLoad('incremental', { purge });
      await load.put(puts);
      await load.remove(removals);
      await load.commit(`t${round}`);
      model.apply(puts, removals);
      await expectServes(store, model);
    }
    const db = raw(dir);
    expect(db.get(['m', 'delta'])).toBeDefined();
    const left = [...db.getKeys({})].map((k) => JSON.stringify(k));
    expect(left.filter((k) => /"p1"|"v1"|"v2"|"v4"/.test(k))).toEqual([]);
    expect(left.filter((k) => /"p2"/.test(k))).toHaveLength(2);
    await store.close();
  });
});

describe('an embedded store written before deltas (no delta key)', () => {
  it('is read, loaded incrementally into a delta, then in full (which drops the delta)', async () => {
    const dir = storeDir();
    const old = raw(dir);
    const ann = profile('a', [{ type: 'user_id', value: 'u1' }], 0);
    const bob = profile('b', [{ type: 'user_id', value: 'u2' }], 0);
    await old.put(['m', 'gen'], 5);
    await old.put(['m', 'token'], 't5');
    await old.put([5, 'p', 'a'], asBinary(encodeRow(ann)));
    await old.put([5, 'p', 'b'], asBinary(encodeRow(bob)));
    await old.put([5, 'i', 'user_id', 'u1'], 'a');
    await old.put([5, 'i', 'user_id', 'u2'], 'b');
    const store = openEmbeddedStore(dir, normalize);
    const model = new Model();
    model.apply([ann, bob], []);
    await expectServes(store, model);

    const moved = profile('a', [{ type: 'user_id', value: 'u2' }], 1);
    const load = await store.beginLoad('incremental');
    await load.put([moved]);
    await load.remove(['b']);
    await load.commit('t6');
    model.apply([moved], ['b']);
    await expectServes(store, model);
    expect([old.get(['m', 'gen']), old.get(['m', 'delta'])]).toEqual([5, 6]);
    // a load that changes nothing keeps the generations (no delta rewritten), with its token
    const same = await store.beginLoad('incremental');
    await same.commit('t6b');
    expect([old.get(['m', 'gen']), old.get(['m', 'delta']), await store.loadToken()]).toEqual([5, 6, 't6b']);
    await expectServes(store, model);

    await fullLoad(store, model, 't7');
    expect([old.get(['m', 'gen']), old.get(['m', 'delta'])]).toEqual([7, undefined]);
    await expectServes(store, model);
    expectNoLeftovers(dir);
    await store.close();
  });
});
