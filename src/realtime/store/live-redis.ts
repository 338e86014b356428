/**
 * The live overlay's key space in Redis, under `<prefix>:live:<key>` (beside the generations,
 * so loads never touch it). Transactions are optimistic: WATCH every key read, then MULTI/EXEC,
 * retried when another process wrote one of them. WATCH belongs to a connection, so
 * transactions run one at a time on a connection of their own.
 */
import type { Redis } from 'ioredis';
import { LIVE_ATTEMPTS, LiveConflict, type LiveKv } from '../live/kv.js';

/** Transactions run on this many connections at once (each one at a time: WATCH is per connection). */
const LANES = 4;

/** The Redis key of overlay key `k` under `prefix`. */
export function redisLiveKey(prefix: string, k: string): string {
  return `${prefix}:live:${k}`;
}

/** The overlay under `prefix`; `main` serves plain reads, `connection(lane)` (dedicated ones) transactions. */
export function redisLiveKv(main: Redis, connection: (lane: number) => Redis, prefix: string): LiveKv {
  const key = (k: string) => redisLiveKey(prefix, k);
  const parse = <T>(json: string | null): T | undefined =>
    json === null ? undefined : (JSON.parse(json) as T);
  const queues: Array<Promise<unknown>> = Array.from({ length: LANES }, () => Promise.resolve());
  const waiting = new Array<number>(LANES).fill(0);
  const serial = <T>(work: (lane: number) => Promise<T>): Promise<T> => {
    // the lane with the fewest transactions waiting
    const lane = waiting.indexOf(Math.min(...waiting));
    waiting[lane] = (waiting[lane] ?? 0) + 1;
    const run = (queues[lane] as Promise<unknown>).then(
      () => work(lane),
      () => work(lane),
    );
    queues[lane] = run
      .catch(() => undefined)
      .finally(() => {
        waiting[lane] = (waiting[lane] ?? 1) - 1;
      });
    return run;
  };
  return {
    async get<T>(k: string) {
      return parse<T>(await main.get(key(k)));
    },
    async getMany<T>(keys: string[]) {
      if (keys.length === 0) return [];
      return (await main.mget(...keys.map(key))).map((v) => parse<T>(v));
    },
    transact(body) {
      return serial(async (lane) => {
        const txn = connection(lane);
        for (let attempt = 0; attempt < LIVE_ATTEMPTS; attempt++) {
          let outcome: Awaited<ReturnType<typeof body>>;
          try {
            const many = async <V>(keys: string[]) => {
              if (keys.length === 0) return [];
              // WATCH and MGET go out together (one round trip): the same connection keeps their order
              const [, values] = await Promise.all([txn.watch(...keys.map(key)), txn.mget(...keys.map(key))]);
              return values.map((v) => parse<V>(v));
            };
            outcome = await body(Object.assign(async <V>(k: string) => (await many<V>([k]))[0], { many }));
          } catch (error) {
            await txn.unwatch();
            throw error;
          }
          if (outcome.writes.length === 0) {
            await txn.unwatch();
            return outcome.result;
          }
          const multi = txn.multi();
          for (const [k, value] of outcome.writes) {
            if (value === null || value === undefined) multi.del(key(k));
            else multi.set(key(k), JSON.stringify(value));
          }
          if ((await multi.exec()) !== null) return outcome.result;
        }
        throw new LiveConflict('the live overlay kept changing under this update');
      });
    },
    async pushCapped(k, item, max) {
      await main
        .multi()
        .lpush(key(k), JSON.stringify(item))
        .ltrim(key(k), 0, max - 1)
        .exec();
    },
    async list<T>(k: string) {
      return (await main.lrange(key(k), 0, -1)).map((v) => JSON.parse(v) as T);
    },
    async *keys(prefix: string) {
      let cursor = '0';
      do {
        const [next, found] = await main.scan(cursor, 'MATCH', `${key(prefix)}*`, 'COUNT', 1000);
        cursor = next;
        for (const k of found) yield k.slice(key('').length);
      } while (cursor !== '0');
    },
  };
}
