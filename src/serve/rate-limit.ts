/** Token buckets per key: `rate` requests a second on average, bursts up to `burst`. */

/** A rate limiter keyed by (publishable) key. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one request for `key`: 0 when allowed, else the seconds to wait before a retry. */
  take(key: string): number {
    const bucket = this.refill(key);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.waitFor(bucket.tokens);
  }

  /** Like take, without taking: 0 when `key` has a request left, else the seconds to wait. */
  wait(key: string): number {
    const bucket = this.refill(key);
    return bucket.tokens >= 1 ? 0 : this.waitFor(bucket.tokens);
  }

  /** Forgets every key whose bucket is full again (no state left to keep), so the map stays small. */
  prune(): void {
    for (const key of [...this.buckets.keys()])
      if (this.refill(key).tokens >= this.burst) this.buckets.delete(key);
  }

  /** How many keys have state. */
  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string): { tokens: number; at: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    return bucket;
  }

  private waitFor(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) / this.rate));
  }
}
