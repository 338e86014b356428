/**
 * The live overlay's storage: a small key → JSON value space beside the serving store's loaded
 * generations (never inside one, so a load does not wipe it), with optimistic transactions so
 * several `weft serve` processes can stitch at once. Each store provides one
 * (../store/live-embedded.ts, ../store/live-redis.ts).
 */

/** What a transaction body returns: the writes to apply (null deletes) and its result. */
export interface LiveWrites<T> {
  writes: Array<[key: string, value: unknown]>;
  result: T;
}

/** Reads inside a transaction (every key read is checked at commit). */
export interface LiveRead {
  <V>(key: string): Promise<V | undefined>;
  /** Several keys in one round trip. */
  many<V>(keys: string[]): Promise<Array<V | undefined>>;
}

/** The overlay's key space. */
export interface LiveKv {
  /** One read, outside any transaction. */
  get<T>(key: string): Promise<T | undefined>;
  /** Several reads at once (one round trip where the store allows it). */
  getMany<T>(keys: string[]): Promise<Array<T | undefined>>;
  /**
   * Runs `body`, then applies its writes atomically, but only if none of the keys it read
   * changed meanwhile; otherwise runs it again (a few times, then throws).
   */
  transact<T>(body: (read: LiveRead) => Promise<LiveWrites<T>>): Promise<T>;
  /** Prepends `item` to the list at `key`, keeping its first `max` items (the last events). */
  pushCapped(key: string, item: unknown, max: number): Promise<void>;
  /** The list at `key`, newest first. */
  list<T>(key: string): Promise<T[]>;
  /** Every key starting with `prefix` (for reconciliation after a load: the overlay is small). */
  keys(prefix: string): AsyncIterable<string>;
}

/** Thrown when a transaction kept conflicting with other writers. */
export class LiveConflict extends Error {
  override name = 'LiveConflict';
}

/** Attempts before a transaction gives up. */
export const LIVE_ATTEMPTS = 20;
