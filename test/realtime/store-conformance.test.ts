/**
 * Every serving store behaves alike (looped over embedded and Redis, see stores.ts): reads by
 * identifier (normalized like the identity build) and profile id after a load from a built
 * warehouse; an incremental load writes only what changed and ends equal to a full load; a load
 * is invisible until its commit (the generation swap), an aborted one is never visible; one load
 * at a time.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadServingStore } from '../../src/realtime/load/loader.js';
import { projectNormalizer } from '../../src/realtime/store/open.js';
import { type ServingStore, type StoreLoad, StoreLoadConflict } from '../../src/realtime/store/types.js';
import type { ServedProfile } from '../../src/realtime/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { changeFixture, servingProject, servingWarehouse } from './fixture.js';
import { storeKinds } from './stores.js';

const project = servingProject();
const normalize = projectNormalizer(project);

/** Every profile the fixture can hold, read back by id, sorted for comparison. */
async function snapshot(store: ServingStore): Promise<Array<ServedProfile | undefined>> {
  const read = await Promise.all(['p1', 'p2', 'p3'].map((id) => store.byProfileId(id)));
  return read.map((p) =>
    p ? { ...p, identifiers: [...p.identifiers].sort((a, b) => a.value.localeCompare(b.value)) } : p,
  );
}

describe.each(storeKinds)('the $name serving store', (kind) => {
  let warehouse: Warehouse;
  let store: ServingStore;
  let shared: () => ServingStore;
  beforeEach(async () => {
    warehouse = await servingWarehouse();
    ({ store, shared } = kind.open(normalize));
    return async () => {
      await store.close();
      await warehouse.close();
    };
  });
  afterAll(() => kind.cleanup());

  it('serves nothing before its first load', async () => {
    expect(await store.loadToken()).toBeUndefined();
    expect(await store.byProfileId('p1')).toBeUndefined();
    expect(await store.byIdentifier('user_id', 'u1')).toBeUndefined();
  });

  it('answers by identifier (normalized) and by profile id after a full load', async () => {
    const result = await loadServingStore(project, warehouse, store);
    expect(result).toMatchObject({ mode: 'full', reason: 'the store is empty', profiles: 2, written: 2 });
    const ann = await store.byIdentifier('email', '  Ann@X.COM ');
    expect(ann?.profileId).toBe('p1');
    expect(ann?.traits).toEqual({
      first_name: 'Ann',
      lifetime_value: 30.5,
      last_seen_at: '2024-05-01T10:30:00.000Z',
      order_count: 3,
    });
    expect(ann?.audiences).toEqual(['newsletter', 'vip']);
    expect(ann?.identifiers).toContainEqual({ type: 'phone', value: '+14155552671' });
    expect((await store.byIdentifier('phone', '(415) 555-2671'))?.profileId).toBe('p1');
    expect((await store.byProfileId('p2'))?.audiences).toEqual(['newsletter']);
    expect(await store.byIdentifier('email', 'nobody@x.com')).toBeUndefined();
    expect(await store.byIdentifier('email', 'not an email')).toBeUndefined();
    expect(await store.byIdentifier('unknown_type', 'u1')).toBeUndefined();
    expect(await store.count()).toBe(2);
    // Another handle (another serve process) reads the same state.
    const other = shared();
    expect((await other.byIdentifier('user_id', 'u2'))?.profileId).toBe('p2');
    await other.close();
  });

  it('loads incrementally only what changed, ending equal to a full load', async () => {
    await loadServingStore(project, warehouse, store);
    const unchanged = await loadServingStore(project, warehouse, store);
    expect(unchanged).toMatchObject({ mode: 'incremental', written: 0, removed: 0 });
    await changeFixture(warehouse);
    const incremental = await loadServingStore(project, warehouse, store, { fullAbove: 2 });
    expect(incremental).toMatchObject({ mode: 'incremental', profiles: 2, written: 2, removed: 1 });
    expect((await store.byIdentifier('user_id', 'u2'))?.profileId).toBe('p3');
    expect(await store.byProfileId('p2')).toBeUndefined();
    expect((await store.byProfileId('p1'))?.traits.lifetime_value).toBe(99.5);
    expect(await store.count()).toBe(2);

    const fresh = kind.open(normalize).store;
    expect((await loadServingStore(project, warehouse, fresh)).mode).toBe('full');
    expect(await snapshot(store)).toEqual(await snapshot(fresh));
    expect(await fresh.byIdentifier('user_id', 'u2')).toEqual(await store.byIdentifier('user_id', 'u2'));
    await fresh.close();
  });

  it('reloads in full when the store does not hold the load the warehouse recorded', async () => {
    await loadServingStore(project, warehouse, store);
    const other = await servingWarehouse(); // the same store, loaded from another warehouse
    await changeFixture(other);
    await loadServingStore(project, other, store);
    await other.close();
    const result = await loadServingStore(project, warehouse, store);
    expect(result).toMatchObject({
      mode: 'full',
      reason: 'the store does not hold the load this warehouse recorded',
    });
    expect((await store.byIdentifier('user_id', 'u2'))?.profileId).toBe('p2');
    expect(await store.byProfileId('p3')).toBeUndefined();
  });

  it('shows a load only at its commit, all at once; an aborted load never', async () => {
    await loadServingStore(project, warehouse, store);
    const before = await snapshot(store);
    const token = await store.loadToken();
    const p1 = (await store.byProfileId('p1')) as ServedProfile;
    const renamed = { ...p1, traits: { ...p1.traits, first_name: 'Annie' } };
    const added: ServedProfile = {
      profileId: 'p9',
      identifiers: [{ type: 'user_id', value: 'u9' }],
      traits: {},
      audiences: [],
    };

    for (const mode of ['incremental', 'full'] as const) {
      const aborted = await store.beginLoad(mode);
      await aborted.put([renamed, added]);
      await aborted.abort();
      expect(await snapshot(store)).toEqual(before);
    }

    const load = await store.beginLoad('incremental');
    await load.put([renamed, added]);
    await load.remove(['p2']);
    expect(await snapshot(store)).toEqual(before);
    expect(await store.byIdentifier('user_id', 'u9')).toBeUndefined();
    await load.commit('t2');
    expect((await store.byProfileId('p1'))?.traits.first_name).toBe('Annie');
    expect((await store.byIdentifier('user_id', 'u9'))?.profileId).toBe('p9');
    expect(await store.byIdentifier('user_id', 'u2')).toBeUndefined();
    expect(await store.loadToken()).not.toBe(token);

    const full = await store.beginLoad('full');
    await full.put([added]);
    await full.index([{ type: 'user_id', value: 'u9', profileId: 'p9' }]);
    expect((await store.byProfileId('p1'))?.traits.first_name).toBe('Annie');
    await full.commit('t3');
    expect(await store.byProfileId('p1')).toBeUndefined();
    expect(await store.byIdentifier('email', 'ann@x.com')).toBeUndefined();
    expect((await store.byIdentifier('user_id', 'u9'))?.profileId).toBe('p9');
    expect(await store.count()).toBe(1);
  });

  it('re-indexes an incremental load: lost identifiers stop matching, moved ones follow, removed ones go', async () => {
    const profile = (profileId: string, ...values: string[]): ServedProfile => ({
      profileId,
      identifiers: values.map((value) => ({ type: 'user_id', value })),
      traits: {},
      audiences: [],
    });
    const full = await store.beginLoad('full');
    await full.put([profile('a', 'x1', 'x2'), profile('b', 'y1', 'y2'), profile('c', 'z1')]);
    await full.index(
      [
        ['x1', 'a'],
        ['x2', 'a'],
        ['y1', 'b'],
        ['y2', 'b'],
        ['z1', 'c'],
      ].map(([value, profileId]) => ({
        type: 'user_id',
        value: value as string,
        profileId: profileId as string,
      })),
    );
    await full.commit('t1');

    // a loses x1 and gains y1 (moved from b, which puts itself after a); c is removed; d is new
    const load = await store.beginLoad('incremental');
    await load.put([profile('d', 'w1')]);
    await load.put([profile('b', 'y2'), profile('a', 'x2', 'y1')]);
    await load.remove(['c']);
    await load.commit('t2');
    const owner = async (value: string) => (await store.byIdentifier('user_id', value))?.profileId;
    expect(await owner('x1')).toBeUndefined();
    expect(await owner('x2')).toBe('a');
    expect(await owner('y1')).toBe('a');
    expect(await owner('y2')).toBe('b');
    expect(await owner('z1')).toBeUndefined();
    expect(await owner('w1')).toBe('d');
    expect(await store.byProfileId('c')).toBeUndefined();
    expect((await store.byProfileId('a'))?.identifiers.map((id) => id.value)).toEqual(['x2', 'y1']);

    // the next load starts clean and its staging is its own
    const next = await store.beginLoad('incremental');
    await next.put([profile('b', 'y2', 'x1')]);
    await next.commit('t3');
    expect(await owner('x1')).toBe('b');
    expect(await owner('y1')).toBe('a');
    expect(await store.count()).toBe(3);
  });

  it('keeps everything a load stages that begins while the previous load commits', async () => {
    const profile = (profileId: string, value: string): ServedProfile => ({
      profileId,
      identifiers: [{ type: 'user_id', value }],
      traits: {},
      audiences: [],
    });
    const first = await store.beginLoad('full');
    await first.put([profile('a', 'x1')]);
    await first.index([{ type: 'user_id', value: 'x1', profileId: 'a' }]);
    await first.commit('t1');
    const other = shared();
    for (const mode of ['full', 'incremental'] as const) {
      const load = await store.beginLoad('full');
      await load.put([profile('a', 'x1')]);
      await load.index([{ type: 'user_id', value: 'x1', profileId: 'a' }]);
      // The next load begins as soon as the lock lets it, while the commit may still be running:
      // what the commit removes after it (the replaced generation, staged keys) is never its keys.
      const committing = load.commit(`c-${mode}`);
      let next: StoreLoad | undefined;
      while (!next) {
        next = await other.beginLoad(mode).catch(async (error) => {
          if (!(error instanceof StoreLoadConflict)) throw error;
          await new Promise((resolve) => setImmediate(resolve));
          return undefined;
        });
      }
      await next.put([profile('b', `y-${mode}`)]);
      if (mode === 'full') {
        await next.put([profile('c', 'z1')]);
        await next.index([
          { type: 'user_id', value: 'y-full', profileId: 'b' },
          { type: 'user_id', value: 'z1', profileId: 'c' },
        ]);
      }
      await committing;
      await next.commit(`n-${mode}`);
      expect(await store.loadToken()).toBe(`n-${mode}`);
      expect((await store.byIdentifier('user_id', `y-${mode}`))?.profileId).toBe('b');
      if (mode === 'full') {
        expect(await store.byProfileId('a')).toBeUndefined();
        expect((await store.byIdentifier('user_id', 'z1'))?.profileId).toBe('c');
      } else {
        expect((await store.byIdentifier('user_id', 'x1'))?.profileId).toBe('a');
        expect(await store.byProfileId('c')).toBeUndefined();
      }
      expect(await store.count()).toBe(2);
    }
    await other.close();
  });

  it('keeps serving a load whose recording in the warehouse failed after its commit; the next load is full', async () => {
    await loadServingStore(project, warehouse, store);
    await changeFixture(warehouse);
    // The warehouse refuses the statement that records the load (after the store committed it).
    const refusing = new Proxy(warehouse, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (name !== 'execute') return typeof value === 'function' ? value.bind(target) : value;
        return async (sql: string, ...rest: unknown[]) => {
          if (/^INSERT INTO/i.test(sql.trim()) && /token/i.test(sql)) throw new Error('recording refused');
          return (value as (...args: unknown[]) => Promise<unknown>).call(target, sql, ...rest);
        };
      },
    });
    await expect(loadServingStore(project, refusing, store)).rejects.toThrow('recording refused');
    // the changed fixture is served: p3 holds u2, p2 is gone
    expect((await store.byIdentifier('user_id', 'u2'))?.profileId).toBe('p3');
    expect(await store.byProfileId('p2')).toBeUndefined();
    expect((await store.byProfileId('p1'))?.traits.lifetime_value).toBe(99.5);
    expect(await loadServingStore(project, warehouse, store)).toMatchObject({
      mode: 'full',
      reason: 'the store does not hold the load this warehouse recorded',
    });
    expect((await store.byIdentifier('user_id', 'u2'))?.profileId).toBe('p3');
  });

  it('lets one load at a time write', async () => {
    const first = await store.beginLoad('full');
    const other = shared();
    await expect(other.beginLoad('full')).rejects.toBeInstanceOf(StoreLoadConflict);
    await first.abort();
    const second = await other.beginLoad('full');
    await second.abort();
    await other.close();
  });
});
