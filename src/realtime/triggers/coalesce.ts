/**
 * Runs one batch task over everything queued while the previous run was busy. The trigger
 * engine offers each durable batch twice (the fast path, then the lander's safe path) and each
 * offer costs warehouse statements; on an embedded DuckDB file every statement also opens and
 * closes the file, so one run per offer falls behind at 1,000 events/s and the queue (and the
 * latency) grows without bound. Coalescing makes the cost per round, not per offer.
 */
export class Coalescer<T> {
  private waiting: { items: T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private running: Promise<void> | undefined;

  /** `work` gets the items of every queued call, in call order. */
  constructor(private readonly work: (items: T[]) => Promise<void>) {}

  /** Queues `items`; resolves when the round that held them succeeded, rejects when it failed. */
  add(items: T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Whether a round is queued or running. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when nothing is queued or running. */
  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let calls made in the same tick join the first round.
    await Promise.resolve();
    while (this.waiting.length > 0) {
      const round = this.waiting.splice(0);
      try {
        await this.work(round.flatMap((call) => call.items));
        for (const call of round) call.resolve();
      } catch (error) {
        for (const call of round) call.reject(error);
      }
    }
    this.running = undefined;
  }
}

/** A set that forgets its oldest members beyond `limit` (insertion order). */
export class RecentSet {
  private readonly members = new Set<string>();

  constructor(private readonly limit: number) {}

  has(value: string): boolean {
    return this.members.has(value);
  }

  add(value: string): void {
    this.members.delete(value);
    this.members.add(value);
    if (this.members.size > this.limit) {
      const oldest = this.members.values().next().value;
      if (oldest !== undefined) this.members.delete(oldest);
    }
  }
}
