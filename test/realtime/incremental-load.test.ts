/**
 * An incremental serving-store load writes exactly the profiles whose served content changed
 * (traits, identifiers, first seen, audiences), removes exactly those no longer served, and ends
 * equal to a full load; fingerprints of another shape (a trait column added) force a full load.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadServingStore } from '../../src/realtime/load/loader.js';
import { projectNormalizer } from '../../src/realtime/store/open.js';
import type { ServingStore, StoreLoad } from '../../src/realtime/store/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { servingProject, servingWarehouse } from './fixture.js';
import { storeKinds } from './stores.js';

const project = servingProject();
const normalize = projectNormalizer(project);
/** p10 … p49 beside the fixture's p1 and p2. */
const extra = Array.from({ length: 40 }, (_, i) => `p${i + 10}`);
const everyId = ['p1', 'p2', ...extra];

async function addProfiles(warehouse: Warehouse): Promise<void> {
  await warehouse.execute(`INSERT INTO weft.identity_map
  SELECT 'user_id', 'u' || i, 'p' || i, TIMESTAMP '2024-02-01', TIMESTAMP '2024-02-01' FROM range(10, 50) t(i);
INSERT INTO weft.profiles SELECT 'p' || i, 'Name' || i, i * 1.5, NULL, i FROM range(10, 50) t(i);
INSERT INTO weft.audience_members SELECT 'newsletter', 'p' || i, NULL FROM range(10, 50) t(i) WHERE i % 2 = 0`);
}

/** The store, with the profile ids each load put and removed recorded. */
function recording(store: ServingStore): { store: ServingStore; put: string[]; removed: string[] } {
  const put: string[] = [];
  const removed: string[] = [];
  const beginLoad: ServingStore['beginLoad'] = async (mode) => {
    put.length = 0;
    removed.length = 0;
    const load = await store.beginLoad(mode);
    const spy: StoreLoad = {
      ...load,
      put: (rows) => {
        put.push(...rows.map((r) => r.profileId));
        return load.put(rows);
      },
      remove: (ids) => {
        removed.push(...ids);
        return load.remove(ids);
      },
      index: (rows) => load.index(rows),
      commit: (token) => load.commit(token),
      abort: () => load.abort(),
    };
    return spy;
  };
  return {
    store: Object.assign(Object.create(store) as ServingStore, { beginLoad }),
    put,
    removed,
  };
}

describe.each(storeKinds)('an incremental load of the $name store', (kind) => {
  let warehouse: Warehouse;
  let store: ServingStore;
  beforeEach(async () => {
    warehouse = await servingWarehouse();
    await addProfiles(warehouse);
    ({ store } = kind.open(normalize));
    return async () => {
      await store.close();
      await warehouse.close();
    };
  });
  afterAll(() => kind.cleanup());

  it('writes exactly the changed profiles and removes exactly the gone ones, ending equal to a full load', async () => {
    const spy = recording(store);
    expect(await loadServingStore(project, warehouse, spy.store)).toMatchObject({
      mode: 'full',
      written: 42,
    });
    expect(await loadServingStore(project, warehouse, spy.store)).toMatchObject({
      mode: 'incremental',
      written: 0,
      removed: 0,
    });
    expect(spy.put).toEqual([]);
    // One kind of change each: a trait, a trait swapped between two profiles (the sums of their
    // hashes stay equal overall), an audience joined, one left, a new identifier, an earlier
    // first-seen time, a NULLed trait; p49 loses its identifier (no longer served).
    await warehouse.execute(`UPDATE weft.profiles SET order_count = 99 WHERE profile_id = 'p10';
UPDATE weft.profiles SET first_name = CASE profile_id WHEN 'p11' THEN 'Name13' ELSE 'Name11' END WHERE profile_id IN ('p11', 'p13');
INSERT INTO weft.audience_members VALUES ('vip', 'p15', NULL);
DELETE FROM weft.audience_members WHERE profile_id = 'p20';
INSERT INTO weft.identity_map VALUES ('email', 'new@x.org', 'p21', TIMESTAMP '2024-03-01', TIMESTAMP '2024-03-01');
UPDATE weft.identity_map SET first_seen_at = TIMESTAMP '2023-01-01' WHERE profile_id = 'p22';
UPDATE weft.profiles SET lifetime_value = NULL WHERE profile_id = 'p23';
DELETE FROM weft.identity_map WHERE profile_id = 'p49'`);
    const result = await loadServingStore(project, warehouse, spy.store);
    expect(result).toMatchObject({ mode: 'incremental', profiles: 41, written: 8, removed: 1 });
    expect([...spy.put].sort()).toEqual(['p10', 'p11', 'p13', 'p15', 'p20', 'p21', 'p22', 'p23']);
    expect(spy.removed).toEqual(['p49']);
    expect((await store.byProfileId('p10'))?.traits.order_count).toBe(99);
    expect((await store.byProfileId('p15'))?.audiences).toEqual(['vip']);
    expect((await store.byIdentifier('email', 'new@x.org'))?.profileId).toBe('p21');
    expect((await store.byProfileId('p22'))?.firstSeenAt).toBe('2023-01-01T00:00:00.000Z');

    const fresh = kind.open(normalize).store;
    expect(await loadServingStore(project, warehouse, fresh)).toMatchObject({ mode: 'full', written: 41 });
    for (const id of everyId) expect(await store.byProfileId(id)).toEqual(await fresh.byProfileId(id));
    await fresh.close();
  });

  it('loads in full above a quarter of the profiles changed', async () => {
    await loadServingStore(project, warehouse, store);
    await warehouse.execute(
      `UPDATE weft.profiles SET order_count = 8 WHERE profile_id IN (${extra
        .slice(0, 10)
        .map((id) => `'${id}'`)
        .join(', ')})`,
    );
    expect(await loadServingStore(project, warehouse, store)).toMatchObject({
      mode: 'incremental',
      written: 10,
    });
    // 11 of 42 changed: a full load
    await warehouse.execute(
      `UPDATE weft.profiles SET order_count = 9 WHERE profile_id IN (${extra
        .slice(0, 11)
        .map((id) => `'${id}'`)
        .join(', ')})`,
    );
    expect((await loadServingStore(project, warehouse, store)).mode).toBe('full');
    expect((await loadServingStore(project, warehouse, store)).mode).toBe('incremental');
  });

  it('loads in full when the trait columns changed', async () => {
    await loadServingStore(project, warehouse, store);
    await warehouse.execute(`ALTER TABLE weft.profiles ADD COLUMN tier VARCHAR`);
    expect(await loadServingStore(project, warehouse, store)).toMatchObject({
      mode: 'full',
      reason: 'the trait columns or the warehouse hash changed since the last load',
    });
    expect((await store.byProfileId('p10'))?.traits).toHaveProperty('tier', null);
    expect((await loadServingStore(project, warehouse, store)).mode).toBe('incremental');
  });
});
