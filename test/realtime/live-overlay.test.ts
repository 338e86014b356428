/**
 * Live identity over both serving stores (embedded and Redis, stores.ts): events stitch
 * identifiers into the overlay at once with the identity build's rules — the build's profile
 * ids (the oldest member's), hub and shared values never merging, junk and blocklisted values
 * ignored, max_per_profile keeping a bridge apart — and the next load takes over (records it
 * covers are dropped, the others kept).
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { profilesSchema } from '../../src/config/schemas/profiles.js';
import type { Project } from '../../src/config/types.js';
import type { CollectedEvent } from '../../src/events/types.js';
import { type LiveIdentity, openLiveIdentity } from '../../src/realtime/live/ingest.js';
import { profileIdOf } from '../../src/realtime/live/records.js';
import { loadServingStore } from '../../src/realtime/load/loader.js';
import { projectNormalizer } from '../../src/realtime/store/open.js';
import type { ServingStore } from '../../src/realtime/store/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { servingProject, servingWarehouse } from './fixture.js';
import { storeKinds } from './stores.js';

/** The fixture's identity.yml with limits, a blocklist and an anonymous id type. */
function liveProject(maxUserIds: number | undefined): Project {
  const base = servingProject();
  const identity = structuredClone(base.identity);
  if (!identity) throw new Error('fixture without identity');
  identity.id_types.user_id = maxUserIds ? { max_per_profile: maxUserIds } : {};
  identity.blocklist = { email: ['*@blocked.org', 'Someone@Spam.COM'] };
  return { ...base, identity };
}

let sequence = 0;
function event(fields: Partial<CollectedEvent>, at = '2026-03-01T10:00:00.000Z'): CollectedEvent {
  sequence++;
  return {
    messageId: `m-${sequence}`,
    type: 'track',
    source: 'web',
    timestamp: at,
    receivedAt: at,
    ...fields,
  };
}

const idsOf = (p: { identifiers: Array<{ type: string; value: string }> } | undefined) =>
  (p?.identifiers ?? []).map((i) => `${i.type}:${i.value}`);

describe.each(storeKinds)('live identity over the $name store', (kind) => {
  let warehouse: Warehouse;
  let store: ServingStore;
  let live: LiveIdentity;
  let project: Project;
  async function open(maxUserIds?: number, profiles?: Project['profiles']) {
    project = { ...liveProject(maxUserIds), ...(profiles ? { profiles } : {}) };
    ({ store } = kind.open(projectNormalizer(project)));
    await loadServingStore(project, warehouse, store);
    live = openLiveIdentity(project, store, { now: () => new Date('2026-03-01T10:00:00Z') });
  }
  beforeEach(async () => {
    warehouse = await servingWarehouse();
    await warehouse.execute(`CREATE SCHEMA IF NOT EXISTS weft_state;
CREATE TABLE weft_state.identity_state_hubs AS SELECT * FROM (VALUES
  ('email', 'family@home.net', 12, 'hub'), ('phone', '+14155550000', 3, 'shared')
) AS t(id_type, id_value, partners, reason)`);
    return async () => {
      await store?.close();
      await warehouse.close();
    };
  });
  afterAll(() => kind.cleanup());

  it('makes an anonymous visitor who identifies one profile, with the id the build will give', async () => {
    await open(1);
    await live.apply([
      event({ type: 'page', anonymousId: 'anon-new' }, '2026-03-01T09:00:00.000Z'),
      event({ type: 'page', anonymousId: 'anon-new' }, '2026-03-01T09:05:00.000Z'),
    ]);
    const before = await live.reader.byIdentifier('anonymous_id', 'anon-new');
    expect(before?.profileId).toBe(profileIdOf('anonymous_id', 'anon-new'));
    await live.apply([
      event(
        { type: 'identify', anonymousId: 'anon-new', userId: 'u-new', traits: { email: ' Neo@Matrix.io ' } },
        '2026-03-01T09:10:00.000Z',
      ),
    ]);
    const byUser = await live.reader.byIdentifier('user_id', 'u-new');
    const byEmail = await live.reader.byIdentifier('email', 'neo@matrix.io');
    const byAnon = await live.reader.byIdentifier('anonymous_id', 'anon-new');
    // the anonymous id was seen first: it anchors the profile, as in the build
    expect(byUser?.profileId).toBe(profileIdOf('anonymous_id', 'anon-new'));
    expect(byEmail?.profileId).toBe(byUser?.profileId);
    expect(byAnon?.profileId).toBe(byUser?.profileId);
    expect(idsOf(byUser)).toEqual(['anonymous_id:anon-new', 'email:neo@matrix.io', 'user_id:u-new']);
    expect(await live.reader.byProfileId(byUser?.profileId ?? '')).toEqual(byUser);
    const events = await live.reader.events<{ messageId: string; timestamp: string; type: string }>(
      byUser as never,
      10,
    );
    expect(events.map((e) => e.type)).toEqual(['identify', 'page', 'page']);
  });

  it('stitches a visitor into the loaded profile that is older, keeping its id, traits and audiences', async () => {
    await open(1);
    await live.apply([event({ type: 'identify', anonymousId: 'anon-x', userId: 'u1' })]);
    const ann = await live.reader.byIdentifier('anonymous_id', 'anon-x');
    expect(ann).toMatchObject({
      profileId: 'p1',
      traits: { first_name: 'Ann' },
      audiences: ['newsletter', 'vip'],
    });
    expect(idsOf(ann)).toContain('anonymous_id:anon-x');
    expect(idsOf(ann)).toContain('email:ann@x.com');
    expect((await live.reader.byProfileId('p1'))?.identifiers).toEqual(ann?.identifiers);
    // the store's own reads still answer from the load only
    expect(await store.byIdentifier('anonymous_id', 'anon-x')).toBeUndefined();
  });

  it('joins two loaded profiles under the older one, unless a limit forbids it', async () => {
    await open(1);
    const bridge = event({ type: 'identify', userId: 'u2', anonymousId: 'anon-ann-1' });
    await live.apply([bridge]);
    // user_id max_per_profile 1: u1 and u2 stay apart, as the build's limits would keep them
    expect((await live.reader.byIdentifier('user_id', 'u2'))?.profileId).toBe('p2');
    expect((await live.reader.byIdentifier('anonymous_id', 'anon-ann-1'))?.profileId).toBe('p1');
    await store.close();
    await open(undefined);
    await live.apply([bridge]);
    const joined = await live.reader.byIdentifier('user_id', 'u2');
    expect(joined?.profileId).toBe('p1');
    expect(idsOf(joined)).toEqual(
      expect.arrayContaining(['user_id:u1', 'user_id:u2', 'anonymous_id:anon-p2']),
    );
    expect((await live.reader.byProfileId('p2'))?.profileId).toBe('p1');
  });

  it('never merges on hub or shared values, and ignores junk and blocklisted values', async () => {
    await open(1);
    await live.apply([
      event({ type: 'identify', userId: 'fam-1', traits: { email: 'Family@Home.net' } }),
      event({
        type: 'identify',
        userId: 'fam-2',
        traits: { email: 'family@home.net', phone: '415 555 0000' },
      }),
      event({ type: 'identify', userId: 'fam-3', traits: { phone: '(415) 555-0000' } }),
    ]);
    const profiles = await Promise.all(
      ['fam-1', 'fam-2', 'fam-3'].map((u) => live.reader.byIdentifier('user_id', u)),
    );
    expect(new Set(profiles.map((p) => p?.profileId)).size).toBe(3);
    expect(await live.reader.byIdentifier('email', 'family@home.net')).toBeUndefined();
    expect(idsOf(profiles[1])).toEqual(['user_id:fam-2']);

    await live.apply([
      event({
        type: 'identify',
        userId: 'junky',
        anonymousId: 'undefined',
        traits: { email: 'noreply@shop.com', phone: '555-555-5555' },
      }),
      event({ type: 'identify', userId: 'junky', traits: { email: 'x@blocked.org' } }),
      event({ type: 'identify', userId: 'junky', traits: { email: 'someone@spam.com' } }),
      event({ type: 'identify', userId: 'null', traits: { email: 'kept@corp.com' } }),
    ]);
    expect(idsOf(await live.reader.byIdentifier('user_id', 'junky'))).toEqual(['user_id:junky']);
    expect(await live.reader.byIdentifier('anonymous_id', 'undefined')).toBeUndefined();
    expect(await live.reader.byIdentifier('email', 'x@blocked.org')).toBeUndefined();
    expect(await live.reader.byIdentifier('user_id', 'null')).toBeUndefined();
    expect(idsOf(await live.reader.byIdentifier('email', 'kept@corp.com'))).toEqual(['email:kept@corp.com']);
  });

  it('puts new identifiers over a limit in a profile of their own', async () => {
    await open(1);
    await live.apply([event({ type: 'identify', userId: 'solo-1', anonymousId: 'anon-solo' })]);
    await live.apply([event({ type: 'identify', userId: 'solo-2', anonymousId: 'anon-solo' })]);
    const first = await live.reader.byIdentifier('user_id', 'solo-1');
    const second = await live.reader.byIdentifier('user_id', 'solo-2');
    expect(idsOf(first)).toEqual(['anonymous_id:anon-solo', 'user_id:solo-1']);
    expect(idsOf(second)).toEqual(['user_id:solo-2']);
  });

  it('hands over to the next load: covered records leave the overlay, the others stay', async () => {
    await open(1);
    await live.apply([
      event({ type: 'identify', anonymousId: 'anon-z', userId: 'u2' }),
      event({ type: 'page', anonymousId: 'anon-later' }),
    ]);
    expect((await live.reader.byIdentifier('anonymous_id', 'anon-z'))?.profileId).toBe('p2');
    // the build saw the identify: anon-z is now p2's
    await warehouse.execute(
      `INSERT INTO weft.identity_map VALUES ('anonymous_id', 'anon-z', 'p2', TIMESTAMP '2026-03-01 10:00', TIMESTAMP '2026-03-01 10:00')`,
    );
    const result = await loadServingStore(project, warehouse, store);
    expect(result.live).toEqual({ dropped: 1, rekeyed: 0, kept: 1 });
    expect(await store.live.get('p:p2')).toBeUndefined();
    expect((await live.reader.byIdentifier('anonymous_id', 'anon-z'))?.profileId).toBe('p2');
    expect((await live.reader.byIdentifier('anonymous_id', 'anon-later'))?.profileId).toBe(
      profileIdOf('anonymous_id', 'anon-later'),
    );
  });

  it("updates live counters declared as traits as events arrive, over the build's values", async () => {
    const profiles = profilesSchema.parse({
      traits: {
        pricing_views_7d: {
          from: 'events.pages',
          expr: 'count(*)',
          live: { on: { type: 'page', name: 'Pricing' }, op: 'count', within: '7d' },
        },
        last_seen_at: {
          from: 'events.tracks',
          expr: 'max(ts)',
          live: { on: { type: ['page', 'track'] }, op: 'latest' },
        },
      },
    });
    await open(1, profiles);
    const pricing = event(
      { type: 'page', name: 'Pricing', anonymousId: 'anon-ann-1' },
      '2026-03-01T09:00:00.000Z',
    );
    await live.apply([
      pricing,
      event({ type: 'page', name: 'Pricing', anonymousId: 'anon-ann-1' }, '2026-02-01T09:00:00.000Z'),
      event({ type: 'page', name: 'Home', anonymousId: 'anon-ann-1' }, '2026-03-01T08:00:00.000Z'),
    ]);
    await live.apply([pricing]); // offered again: counted once
    const ann = await live.reader.byIdentifier('user_id', 'u1');
    expect(ann?.profileId).toBe('p1');
    // one Pricing view within 7 days (the other is older); the last page view's time
    expect(ann?.traits).toMatchObject({
      pricing_views_7d: 1,
      last_seen_at: '2026-03-01T09:00:00.000Z',
      first_name: 'Ann',
    });
    // a new visitor: counted from zero, carried into the profile they identify into
    await live.apply([
      event({ type: 'page', name: 'Pricing', anonymousId: 'anon-c' }, '2026-03-01T09:30:00.000Z'),
    ]);
    await live.apply([
      event({ type: 'identify', anonymousId: 'anon-c', userId: 'u-c' }, '2026-03-01T09:40:00.000Z'),
    ]);
    expect((await live.reader.byIdentifier('user_id', 'u-c'))?.traits).toEqual({
      pricing_views_7d: 1,
      last_seen_at: '2026-03-01T09:30:00.000Z',
    });
  });
});
