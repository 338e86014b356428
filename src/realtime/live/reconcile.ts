/**
 * After each load of the serving store, the build takes over from live identity: the overlay's
 * records the load now covers are dropped, and the build's hub and shared values replace the
 * overlay's list of values never to merge on.
 *
 * A record is covered when every identifier it stitched live is in the load and they all
 * belong to one loaded profile (the build agrees). A record the build disagrees with (its
 * identifiers are all in the load, in several profiles) is dropped too once it was last changed
 * more than `graceMs` before the load began: the build has seen its events and decided
 * otherwise, and the build is the truth. Records whose identifiers the build has not seen yet
 * (events landed after the build read its sources) stay until a load covers them.
 */
import type { ServingStore } from '../store/types.js';
import { key, type LiveRecord } from './records.js';

/** A value the build found to be a hub or shared (identity_state_hubs). */
export interface HubValue {
  type: string;
  value: string;
  reason: string;
}

/** What reconciliation did. */
export interface ReconcileResult {
  /** Records dropped because the load covers them. */
  dropped: number;
  /** Of those, records whose live profile id the build did not give (a merge the build recorded, or an age tie). */
  rekeyed: number;
  /** Records kept (identifiers the load does not hold yet). */
  kept: number;
}

/** Options of a reconciliation. */
export interface ReconcileOptions {
  /** When the load began (records changed after it always stay). */
  loadStartedAt: Date;
  /** How long before the load a record must be unchanged for a disagreeing build to drop it (default 10 min). */
  graceMs?: number;
}

const CHUNK = 1000;

/** Replaces the overlay's hub list with `hubs` (undefined: keep it). */
export async function replaceHubs(store: ServingStore, hubs: HubValue[]): Promise<void> {
  const wanted = new Map(hubs.map((h) => [key.hub(h.type, h.value), h.reason]));
  const stale: string[] = [];
  for await (const k of store.live.keys('h:')) if (!wanted.has(k)) stale.push(k);
  const writes: Array<[string, unknown]> = [
    ...stale.map((k): [string, unknown] => [k, null]),
    ...[...wanted].map(([k, reason]): [string, unknown] => [k, reason]),
  ];
  for (let i = 0; i < writes.length; i += CHUNK) {
    const chunk = writes.slice(i, i + CHUNK);
    await store.live.transact(async () => ({ writes: chunk, result: undefined }));
  }
}

/** Drops the overlay's records the store's current load covers. */
export async function reconcileLive(
  store: ServingStore,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const result: ReconcileResult = { dropped: 0, rekeyed: 0, kept: 0 };
  const before = options.loadStartedAt.getTime() - (options.graceMs ?? 10 * 60_000);
  const ids: string[] = [];
  for await (const k of store.live.keys('p:')) ids.push(k.slice(2));
  for (const id of ids) {
    const outcome = await store.live.transact(async (get) => {
      const record = await get<LiveRecord>(key.profile(id));
      if (!record) return { writes: [], result: 'gone' as const };
      const owners = new Set<string>();
      let all = true;
      for (const identifier of record.identifiers) {
        const loaded = await store.byIdentifier(identifier.type, identifier.value);
        if (loaded) owners.add(loaded.profileId);
        else all = false;
      }
      for (const base of record.bases) if (await store.byProfileId(base)) owners.add(base);
      const agrees = all && owners.size <= 1;
      const stale = all && Date.parse(record.updatedAt) < before;
      if (!agrees && !stale) return { writes: [], result: 'kept' as const };
      const writes: Array<[string, unknown]> = [[key.profile(id), null]];
      const pointing = async (k: string) => {
        if ((await get<string>(k)) === id) writes.push([k, null]);
      };
      for (const identifier of record.identifiers)
        await pointing(key.identifier(identifier.type, identifier.value));
      for (const base of record.bases) await pointing(key.base(base));
      for (const merged of record.merged) await pointing(key.moved(merged));
      const rekeyed = !agrees || (owners.size === 1 && !owners.has(id));
      return { writes, result: rekeyed ? ('rekeyed' as const) : ('dropped' as const) };
    });
    if (outcome === 'kept') result.kept++;
    else if (outcome !== 'gone') {
      result.dropped++;
      if (outcome === 'rekeyed') result.rekeyed++;
    }
  }
  return result;
}
