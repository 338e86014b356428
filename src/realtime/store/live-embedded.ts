/**
 * The live overlay's key space in the embedded store's LMDB file, under keys `['o', key]`
 * (beside the generations and the load's meta keys, so loads never touch it). A transaction
 * reads outside LMDB's write lock, then, inside one write transaction, checks the
 * keys it read are unchanged and applies its writes: processes sharing the file stitch safely.
 * Writes go through LMDB's asynchronous transactions, so fsync never blocks the event loop.
 */
import type { Database } from 'lmdb';
import { LIVE_ATTEMPTS, LiveConflict, type LiveKv } from '../live/kv.js';

/** The first element of the overlay's keys. */
export const OVERLAY = 'o';

/** The overlay of the LMDB database `db`. */
export function embeddedLiveKv(db: Database): LiveKv {
  const key = (k: string) => [OVERLAY, k];
  return {
    async get<T>(k: string) {
      return db.get(key(k)) as T | undefined;
    },
    async getMany<T>(keys: string[]) {
      return keys.map((k) => db.get(key(k)) as T | undefined);
    },
    async transact(body) {
      for (let attempt = 0; attempt < LIVE_ATTEMPTS; attempt++) {
        const read = new Map<string, string>();
        const one = <V>(k: string): V | undefined => {
          const value = db.get(key(k)) as V | undefined;
          read.set(k, JSON.stringify(value ?? null));
          return value;
        };
        const reader = Object.assign(async <V>(k: string) => one<V>(k), {
          many: async <V>(keys: string[]) => keys.map((k) => one<V>(k)),
        });
        const { writes, result } = await body(reader);
        if (writes.length === 0 && read.size === 0) return result;
        // on LMDB's write thread (batched with other writes): the event loop never waits on fsync
        const applied = await db.transaction(() => {
          for (const [k, seen] of read) if (JSON.stringify(db.get(key(k)) ?? null) !== seen) return false;
          for (const [k, value] of writes) {
            if (value === null || value === undefined) db.remove(key(k));
            else db.put(key(k), value);
          }
          return true;
        });
        if (applied) return result;
      }
      throw new LiveConflict('the live overlay kept changing under this update');
    },
    async pushCapped(k, item, max) {
      await db.transaction(() => {
        const list = (db.get(key(k)) as unknown[] | undefined) ?? [];
        db.put(key(k), [item, ...list].slice(0, max));
      });
    },
    async list<T>(k: string) {
      return (db.get(key(k)) as T[] | undefined) ?? [];
    },
    async *keys(prefix: string) {
      for (const k of db.getKeys({ start: ['o', prefix], end: ['o', `${prefix}\uffff`] }))
        yield String((k as unknown[])[1]);
    },
  };
}
