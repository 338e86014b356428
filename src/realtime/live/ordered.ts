/**
 * Runs tasks at once unless they share a key, in which case they run in call order. Live
 * identity stitches each event in its own overlay transaction: awaited one by one, each waits
 * for its commit (LMDB's write thread, a Redis round trip) and 1,000 events/s fall behind by
 * seconds; run together, the store batches their commits. Events that share an identifier must
 * still stitch in order; events of one profile reached through different identifiers are kept
 * safe by the overlay's optimistic transactions (a changed read retries).
 */
export class KeyedOrder {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task that shares one of `keys`. */
  run(keys: string[], task: () => Promise<void>): Promise<void> {
    const before = [...new Set(keys)].map((k) => this.tails.get(k)).filter((p) => p !== undefined);
    const done = (before.length === 0 ? Promise.resolve() : Promise.all(before)).then(task);
    const tail = done.catch(() => undefined);
    for (const k of keys) this.tails.set(k, tail);
    // Forget a key once its last task ended, so the map holds only keys in flight.
    void tail.then(() => {
      for (const k of keys) if (this.tails.get(k) === tail) this.tails.delete(k);
    });
    return done;
  }

  /** Keys with a task in flight (tests). */
  get size(): number {
    return this.tails.size;
  }
}
