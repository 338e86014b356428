/**
 * The profile API's read (`answer`), over both serving stores (stores.ts): a loaded profile the
 * live overlay does not touch is answered with the bytes the store keeps (synchronously from the
 * embedded store), every other one through the overlay; either way the answer is byte for byte
 * the profile the reads give, serialized as the API always did. Rows of a load written before
 * rows held the answer (msgpack records) still read, and an incremental load over them works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { open } from 'lmdb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import type { CollectedEvent } from '../../src/events/types.js';
import { type LiveIdentity, openLiveIdentity } from '../../src/realtime/live/ingest.js';
import { profileIdOf } from '../../src/realtime/live/records.js';
import { loadServingStore } from '../../src/realtime/load/loader.js';
import {
  answerBody,
  decodeRow,
  encodeRow,
  isRow,
  rowAnswer,
  withEvents,
} from '../../src/realtime/store/answer.js';
import { openEmbeddedStore } from '../../src/realtime/store/embedded.js';
import { projectNormalizer } from '../../src/realtime/store/open.js';
import type { ServingStore } from '../../src/realtime/store/types.js';
import type { ProfileAnswer, ProfileLookup, ProfileReader, ServedProfile } from '../../src/realtime/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { servingProject, servingWarehouse } from './fixture.js';
import { storeKinds } from './stores.js';

const ann: ServedProfile = {
  profileId: 'p1',
  identifiers: [
    { type: 'email', value: 'ann@x.com' },
    { type: 'user_id', value: 'ü1 "quoted" \\ \u2028' },
  ],
  traits: {
    first_name: 'Ännchen 🙂',
    lifetime_value: 30.5,
    order_count: 3,
    '10': 'integer-like key',
    none: null,
  },
  audiences: ['newsletter', 'vip'],
  firstSeenAt: '2024-01-01T00:00:00.000Z',
};

describe('stored rows (answer.ts)', () => {
  it("hold the API's JSON byte for byte, and the profile with its first-seen time", () => {
    for (const firstSeenAt of ['2024-01-01T00:00:00.000Z', null, undefined]) {
      const profile: ServedProfile = { ...ann, firstSeenAt };
      if (firstSeenAt === undefined) delete profile.firstSeenAt;
      const row = encodeRow(profile);
      expect(isRow(row)).toBe(true);
      expect(Buffer.from(rowAnswer(row)).toString()).toBe(JSON.stringify(answerBody(profile)));
      expect(decodeRow(row)).toStrictEqual(profile);
    }
  });

  it('add events as JSON.stringify of the answer with `events` would', () => {
    const answer = Buffer.from(JSON.stringify(answerBody(ann)));
    for (const events of [[], [{ messageId: 'm1', type: 'track', properties: { a: [1, '}'] } }]]) {
      expect(withEvents(answer, events).toString()).toBe(JSON.stringify({ ...answerBody(ann), events }));
    }
  });
});

let sequence = 0;
function event(fields: Partial<CollectedEvent>, at: string): CollectedEvent {
  sequence++;
  return {
    messageId: `answer-${sequence}`,
    type: 'track',
    source: 'web',
    timestamp: at,
    receivedAt: at,
    ...fields,
  };
}

/** The answer as the profile API sends it. */
function bytes(answer: ProfileAnswer | undefined): string | undefined {
  if (!answer) return undefined;
  return 'json' in answer ? Buffer.from(answer.json).toString() : JSON.stringify(answerBody(answer.profile));
}

/** What the reads give, serialized as the API did before stored answers. */
async function serialized(reader: ProfileReader, lookup: ProfileLookup): Promise<string | undefined> {
  const profile =
    'type' in lookup
      ? await reader.byIdentifier(lookup.type, lookup.value)
      : await reader.byProfileId(lookup.profileId);
  return profile && JSON.stringify(answerBody(profile));
}

describe.each(storeKinds)('answers from the $name store', (kind) => {
  let warehouse: Warehouse;
  let store: ServingStore;
  let live: LiveIdentity;
  let project: Project;
  beforeEach(async () => {
    warehouse = await servingWarehouse();
    project = servingProject();
    ({ store } = kind.open(projectNormalizer(project)));
    await loadServingStore(project, warehouse, store);
    live = openLiveIdentity(project, store, { now: () => new Date('2026-03-01T10:00:00Z') });
    return async () => {
      await store.close();
      await warehouse.close();
    };
  });
  afterAll(() => kind.cleanup());

  const loaded: ProfileLookup[] = [
    { type: 'email', value: ' Ann@X.COM ' },
    { type: 'phone', value: '(415) 555-2671' },
    { type: 'user_id', value: 'u2' },
    { type: 'anonymous_id', value: 'anon-p2' },
    { profileId: 'p1' },
    { profileId: 'p2' },
  ];
  const missing: ProfileLookup[] = [
    { type: 'email', value: 'nobody@x.com' },
    { type: 'email', value: 'not an email' },
    { type: 'unknown_type', value: 'u1' },
    { profileId: 'p404' },
  ];

  it('answers a loaded profile with its stored bytes, synchronously from the embedded store', async () => {
    const answer = live.reader.answer.bind(live.reader);
    for (const lookup of loaded) {
      const found = answer(lookup);
      if (kind.name === 'embedded') expect(found).not.toBeInstanceOf(Promise);
      const settled = await found;
      expect(settled && 'json' in settled).toBe(true);
      expect(bytes(settled)).toBe(await serialized(live.reader, lookup));
      // the store's own answer (no overlay: a project without identity) is the same
      expect(bytes(await store.answer?.(lookup))).toBe(await serialized(store, lookup));
    }
    for (const lookup of missing) {
      expect(await answer(lookup)).toBeUndefined();
      expect(await store.answer?.(lookup)).toBeUndefined();
    }
  });

  it('answers through the live overlay whatever it changed, equal to the reads', async () => {
    const visitor = profileIdOf('anonymous_id', 'anon-a');
    await live.apply([
      // a new visitor (an i: entry and a p: record), who identifies
      event({ type: 'page', anonymousId: 'anon-a' }, '2026-03-01T08:00:00.000Z'),
      event({ type: 'identify', anonymousId: 'anon-a', userId: 'u-a' }, '2026-03-01T08:01:00.000Z'),
      // a second visitor, merged into the first by a later identify (an m: forwarding)
      event({ type: 'page', anonymousId: 'anon-b' }, '2026-03-01T08:02:00.000Z'),
    ]);
    const merged = profileIdOf('anonymous_id', 'anon-b');
    await live.apply([
      event({ type: 'identify', anonymousId: 'anon-b', userId: 'u-a' }, '2026-03-01T08:03:00.000Z'),
    ]);
    // a visitor stitched into loaded p2 (b: owner), found by p2's loaded identifiers too
    await live.apply([
      event({ type: 'identify', anonymousId: 'anon-c', userId: 'u2' }, '2026-03-01T08:04:00.000Z'),
    ]);
    expect(await store.live.get(`m:${merged}`)).toBe(visitor);
    expect(await store.live.get('b:p2')).toBeDefined();

    const changed: ProfileLookup[] = [
      { type: 'anonymous_id', value: 'anon-a' },
      { type: 'anonymous_id', value: 'anon-b' },
      { type: 'user_id', value: 'u-a' },
      { profileId: visitor },
      { profileId: merged },
      { type: 'anonymous_id', value: 'anon-c' },
      { type: 'user_id', value: 'u2' },
      { type: 'anonymous_id', value: 'anon-p2' },
      { profileId: 'p2' },
    ];
    for (const lookup of changed) {
      const answer = await live.reader.answer(lookup);
      expect(answer && 'profile' in answer).toBe(true);
      expect(bytes(answer)).toBe(await serialized(live.reader, lookup));
    }
    expect((await live.reader.answer({ profileId: merged }))?.profileId).toBe(visitor);
    expect(bytes(await live.reader.answer({ type: 'user_id', value: 'u2' }))).toContain('"anon-c"');
    // p1 is untouched: still its stored bytes
    const p1 = await live.reader.answer({ type: 'user_id', value: 'u1' });
    expect(p1 && 'json' in p1).toBe(true);
    expect(bytes(p1)).toBe(await serialized(live.reader, { profileId: 'p1' }));
  });
});

describe('an embedded store loaded before rows held the answer', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('still answers its msgpack rows, and loads incrementally over them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weft-legacy-store-'));
    dirs.push(dir);
    // what the store wrote before: ServedProfile objects in lmdb's default encoding (msgpack)
    const old = open({ path: path.join(dir, 'profiles.mdb'), compression: false });
    await old.put(['m', 'gen'], 1);
    await old.put(['m', 'token'], 't1');
    await old.put([1, 'p', 'p1'], ann);
    await old.put([1, 'i', 'email', 'ann@x.com'], 'p1');
    await old.put([1, 'i', 'user_id', ann.identifiers[1]?.value as string], 'p1');
    await old.close();

    const store = openEmbeddedStore(dir, projectNormalizer(servingProject()));
    try {
      expect(await store.byProfileId('p1')).toStrictEqual(ann);
      expect(await store.byIdentifier('email', ' ANN@x.com')).toStrictEqual(ann);
      const answer = store.answer({ type: 'email', value: 'ann@x.com' });
      expect(bytes(answer as ProfileAnswer)).toBe(JSON.stringify(answerBody(ann)));

      // p1 loses its user id: the old row's identifiers are unindexed
      const load = await store.beginLoad('incremental');
      const changed: ServedProfile = { ...ann, identifiers: [{ type: 'email', value: 'ann@x.com' }] };
      await load.put([changed]);
      await load.commit('t2');
      expect(await store.byIdentifier('user_id', ann.identifiers[1]?.value as string)).toBeUndefined();
      expect(await store.byProfileId('p1')).toStrictEqual(changed);
      expect(bytes(store.answer({ profileId: 'p1' }) as ProfileAnswer)).toBe(
        JSON.stringify(answerBody(changed)),
      );
    } finally {
      await store.close();
    }
  });
});
