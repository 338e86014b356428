/**
 * The `weft:serving` step: erases the person from the serving store `weft serve` answers from
 * (src/realtime/store): their loaded profiles with every identifier index entry (one incremental
 * load removing them, keeping the store's load token), and the live overlay's records of them
 * (live profiles, stitched identifiers, built → live links, merge forwards, last events lists).
 * Matching is by hash (the store is scanned, hashing as hash.ts does): no clear value is needed.
 * Each suppressed hash is also marked in the overlay (`x:<hash>`), so live identity never
 * stitches those identifiers again (src/realtime/live/ingest.ts).
 */
import { existsSync } from 'node:fs';
import type { Project } from '../config/types.js';
import { key, type LiveRecord } from '../realtime/live/records.js';
import { embeddedStoreDir, openServingStore } from '../realtime/store/open.js';
import type { ServingStore } from '../realtime/store/types.js';
import { identifierHash } from './hash.js';

/**
 * Opens the project's serving store when it has one: a Redis URL, or an embedded store already
 * created under target/serving/ (an absent one is not created just to be erased).
 */
export function projectServingStore(project: Project): ServingStore | undefined {
  const where = project.config.serve?.store ?? 'embedded';
  if (where === 'embedded' && !existsSync(embeddedStoreDir(project))) return undefined;
  return openServingStore(project);
}

/** Erases the people whose identifier hashes are `hashes` from `store`; returns the records removed. */
export async function eraseFromServingStore(store: ServingStore, hashes: Set<string>): Promise<number> {
  const suppressed = (value: string) => hashes.has(identifierHash(value));
  const mark = (marks: Iterable<string>) =>
    store.live.transact(async () => ({
      writes: [...marks].map((h): [string, unknown] => [key.suppressed(h), true]),
      result: undefined,
    }));
  // Marks first: events arriving meanwhile no longer stitch the person (reruns are harmless).
  await mark(hashes);
  // Loaded profiles holding a suppressed identifier (or whose id is suppressed).
  const loaded = new Set<string>();
  for await (const entry of store.indexEntries())
    if (suppressed(entry.value) || suppressed(entry.profileId)) loaded.add(entry.profileId);
  const marks = new Set(hashes);
  const removed = await eraseOverlay(store, suppressed, loaded, marks);
  await mark([...marks].filter((h) => !hashes.has(h)));
  if (loaded.size > 0) await removeLoaded(store, [...loaded]);
  return removed + loaded.size;
}

/** Removes the overlay's records of the person; adds the loaded profiles they cover to `loaded`. */
async function eraseOverlay(
  store: ServingStore,
  suppressed: (value: string) => boolean,
  loaded: Set<string>,
  hashes: Set<string>,
): Promise<number> {
  const kv = store.live;
  const live = new Set<string>();
  const drop = new Set<string>();
  for await (const k of kv.keys('')) {
    const [prefix] = k.split(':', 1);
    const rest = k.slice(2);
    if (prefix === 'i' || prefix === 'h') {
      const value = rest.slice(rest.indexOf(':') + 1);
      if (!suppressed(value)) continue;
      drop.add(k);
      if (prefix === 'i') {
        const owner = await kv.get<string>(k);
        if (owner) live.add(owner);
      }
    } else if (prefix === 'p' && suppressed(rest)) live.add(rest);
  }
  for (const id of loaded) {
    const owner = await kv.get<string>(key.base(id));
    if (owner) live.add(owner);
  }
  // Live profiles of the person: theirs and every identifier, base, merged id and events list.
  for (const id of live) {
    const record = await kv.get<LiveRecord>(key.profile(id));
    drop.add(key.profile(id)).add(key.events(id));
    for (const identifier of record?.identifiers ?? []) {
      drop.add(key.identifier(identifier.type, identifier.value));
      // an identifier only seen live (an anonymous id) is the person's too: never stitched again
      hashes.add(identifierHash(identifier.value));
    }
    for (const base of record?.bases ?? []) loaded.add(base);
    for (const merged of record?.merged ?? []) drop.add(key.moved(merged)).add(key.events(merged));
  }
  for (const id of loaded) drop.add(key.base(id)).add(key.events(id));
  const present = [...drop];
  const values = await kv.getMany<unknown>(present);
  const existing = present.filter((_, i) => values[i] !== undefined);
  // Lists (events) are not plain values in every store: delete them whether get saw them or not.
  const lists = present.filter((k) => k.startsWith('e:'));
  for (const k of lists) if ((await kv.list(k)).length > 0 && !existing.includes(k)) existing.push(k);
  if (present.length > 0)
    await kv.transact(async () => ({
      writes: present.map((k): [string, unknown] => [k, null]),
      result: undefined,
    }));
  return existing.length;
}

/** Removes loaded profiles (with their index entries) in one incremental load, keeping the token. */
async function removeLoaded(store: ServingStore, profileIds: string[]): Promise<void> {
  const token = await store.loadToken();
  if (token === undefined) return;
  const load = await store.beginLoad('incremental', { purge: true });
  try {
    await load.remove(profileIds);
    await load.commit(token);
  } catch (error) {
    await load.abort();
    throw error;
  }
}
