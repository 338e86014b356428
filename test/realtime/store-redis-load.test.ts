/**
 * The Redis serving store's load lock and clean-up (redis.ts): what the conformance tests
 * (store-conformance.test.ts) cannot reach through the contract alone. The lock expires when a
 * load stops writing for LOCK_MS; deleting the lock key is that expiry, without the wait. A load
 * whose lock expired must neither write nor remove anything after another load took over, and no
 * load, dead at any point, leaves keys that the next load does not remove.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ServingStore, StoreLoadConflict } from '../../src/realtime/store/types.js';
import type { ServedProfile } from '../../src/realtime/types.js';
import { REDIS_URL, storeKinds } from './stores.js';

const normalize = (_type: string, value: string) => value;

function profile(profileId: string, ...values: string[]): ServedProfile {
  return {
    profileId,
    identifiers: values.map((value) => ({ type: 'user_id', value })),
    traits: {},
    audiences: [],
  };
}

/** A committed full load of `profiles`, each indexed by its identifiers. */
async function loadFull(store: ServingStore, token: string, profiles: ServedProfile[]): Promise<void> {
  const load = await store.beginLoad('full');
  await load.put(profiles);
  await load.index(
    profiles
      .flatMap((p) => p.identifiers.map((x) => ({ ...x, profileId: p.profileId })))
      .sort((a, b) => a.value.localeCompare(b.value)),
  );
  await load.commit(token);
}

describe.each(storeKinds.filter((kind) => kind.name === 'redis'))('the Redis store’s loads', (kind) => {
  let store: ServingStore;
  let shared: () => ServingStore;
  let prefix: string;
  let redis: Redis;
  beforeEach(() => {
    ({ store, shared } = kind.open(normalize));
    prefix = store.description.slice(store.description.lastIndexOf('/') + 1);
    redis = new Redis(REDIS_URL);
    return async () => {
      await store.close();
      redis.disconnect();
    };
  });
  afterAll(() => kind.cleanup());

  /** The lock expiring (the load stopped writing for longer than LOCK_MS). */
  const expireLock = () => redis.del(`${prefix}:lock`);
  /** The store's keys other than the live overlay's, without the prefix, sorted. */
  const loadKeys = async () =>
    (await redis.keys(`${prefix}:*`))
      .map((k) => k.slice(prefix.length + 1))
      .filter((k) => !k.startsWith('live:'))
      .sort();
  /** The keys a store serving generation `gen` holds between loads. */
  const servedKeys = (gen: string) => [`${gen}:i`, `${gen}:p`, 'count', 'gen', 'nextgen', 'token'].sort();

  it('an incremental load whose lock expired neither writes into nor aborts the load that took over', async () => {
    await loadFull(store, 't1', [profile('a', 'x1')]);
    const slow = await store.beginLoad('incremental');
    await slow.put([profile('s1', 's1')]);
    await expireLock();
    const other = shared();
    const next = await other.beginLoad('incremental');
    await next.put([profile('b', 'y1')]);
    // the slow load goes on: its writes are refused (a put in flight says so at the next call at
    // the latest), its commit fails, its abort leaves the other load alone
    await slow.put([profile('s2', 's2')]).catch(() => undefined);
    await expect(slow.commit('slow')).rejects.toBeInstanceOf(StoreLoadConflict);
    await slow.abort();
    await next.commit('t2');
    expect(await store.loadToken()).toBe('t2');
    expect((await store.byIdentifier('user_id', 'y1'))?.profileId).toBe('b');
    expect(await store.byProfileId('s1')).toBeUndefined();
    expect(await store.byProfileId('s2')).toBeUndefined();
    expect(await store.count()).toBe(2);
    await other.close();
  });

  it('a full load whose lock expired cannot write a generation that outlives it', async () => {
    await loadFull(store, 't1', [profile('a', 'x1')]);
    const slow = await store.beginLoad('full');
    await slow.put([profile('s1', 's1')]);
    await expireLock();
    const other = shared();
    const next = await other.beginLoad('full');
    await next.put([profile('b', 'y1')]);
    // its writes are refused (a write in flight says so at the next call or the commit)
    await slow.put([profile('s2', 's2')]).catch(() => undefined);
    await slow.index([{ type: 'user_id', value: 's2', profileId: 's2' }]).catch(() => undefined);
    await expect(slow.commit('slow')).rejects.toBeInstanceOf(StoreLoadConflict);
    // the slow load's process dies here (no abort)
    await next.index([{ type: 'user_id', value: 'y1', profileId: 'b' }]);
    await next.commit('t2');
    expect(await store.loadToken()).toBe('t2');
    expect(await store.byProfileId('a')).toBeUndefined();
    expect(await store.byProfileId('s1')).toBeUndefined();
    expect((await store.byIdentifier('user_id', 'y1'))?.profileId).toBe('b');
    expect(await loadKeys()).toEqual(servedKeys((await redis.get(`${prefix}:gen`)) as string));
    await other.close();
  });

  it('a full load that dies right after its switch leaves no old generation behind', async () => {
    await loadFull(store, 't1', [profile('a', 'x1')]);
    const load = await store.beginLoad('full');
    await load.put([profile('b', 'y1')]);
    await load.index([{ type: 'user_id', value: 'y1', profileId: 'b' }]);
    // Every command after the switch fails, as if the process were killed there.
    const connection = (store as unknown as { redis: Redis }).redis;
    const sendCommand = connection.sendCommand.bind(connection);
    let switched = false;
    connection.sendCommand = (command) => {
      if (switched) {
        command.reject(new Error('killed'));
        return command.promise;
      }
      const sent = sendCommand(command);
      if (command.args.includes('t2')) switched = true; // the commit's switch script
      return sent;
    };
    await load.commit('t2').catch(() => undefined);
    connection.sendCommand = sendCommand;
    expect(await store.loadToken()).toBe('t2');
    expect((await store.byIdentifier('user_id', 'y1'))?.profileId).toBe('b');
    expect(await loadKeys()).toEqual(servedKeys((await redis.get(`${prefix}:gen`)) as string));
  });

  it('the next load removes what a dead load wrote, in either mode', async () => {
    await loadFull(store, 't1', [profile('a', 'x1')]);
    const gen = (await redis.get(`${prefix}:gen`)) as string;
    for (const mode of ['full', 'incremental'] as const) {
      const dead = await store.beginLoad(mode);
      await dead.put([profile('d', 'd1')]);
      await expireLock();
      const next = await store.beginLoad('incremental');
      expect(await loadKeys()).toEqual([...servedKeys(gen), 'lock'].sort());
      await next.abort();
    }
    expect(await store.byProfileId('d')).toBeUndefined();
    expect(await store.loadToken()).toBe('t1');
    expect(await loadKeys()).toEqual(servedKeys(gen));
  });

  it('a scan of the index that a load’s commit overtakes goes on over the new load', async () => {
    const many = (tag: string) =>
      Array.from({ length: 3000 }, (_, n) => profile(`${tag}${String(n).padStart(4, '0')}`, `${tag}${n}`));
    await loadFull(store, 't1', many('a'));
    const scan = store.indexEntries()[Symbol.asyncIterator]();
    const seen = new Set<string>();
    const first = await scan.next();
    if (!first.done) seen.add(first.value.value);
    await loadFull(store, 't2', many('b'));
    for (let next = await scan.next(); !next.done; next = await scan.next()) seen.add(next.value.value);
    // HSCAN pages hold a bounded number of entries: the first one is not the whole index
    expect(seen.size).toBeGreaterThan(1);
    for (const entry of many('b')) expect(seen.has(entry.identifiers[0]?.value as string)).toBe(true);
  });

  it('an abort after the commit (the loader aborts when recording the load fails) keeps the load served', async () => {
    await loadFull(store, 't1', [profile('a', 'x1')]);
    for (const mode of ['full', 'incremental'] as const) {
      const load = await store.beginLoad(mode);
      await load.put([profile('b', `y-${mode}`)]);
      if (mode === 'full') await load.index([{ type: 'user_id', value: 'y-full', profileId: 'b' }]);
      await load.commit(`t-${mode}`);
      await load.abort();
      expect((await store.byIdentifier('user_id', `y-${mode}`))?.profileId).toBe('b');
      expect(await store.loadToken()).toBe(`t-${mode}`);
    }
    expect(await store.count()).toBe(1);
  });
});
