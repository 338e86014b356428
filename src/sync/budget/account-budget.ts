/**
 * One destination account's budget, shared by every sync run writing to it: one request queue
 * (its concurrency and paced rate limit, p-queue priorities deciding who waits), one 429 pause
 * (a throttled account is throttled for everyone) and one daily request quota, counted per
 * request and persisted in `destination_usage`.
 */
import type PQueue from 'p-queue';
import { createDestinationQueue, DestinationError } from '../../destination-kit/index.js';
import type { Warehouse } from '../../warehouse/types.js';
import { type AccountLimits, sameRateLimit, strictestLimits } from './strictest.js';
import { addUsage, readUsage, utcDay } from './usage.js';

/**
 * Thrown (inside the queue, before sending) when the account's daily quota is used up: a `quota`
 * DestinationError, so the runner treats it like a vendor saying the same.
 */
export class DailyQuotaExhausted extends DestinationError {
  constructor(
    readonly account: string,
    readonly quota: number,
  ) {
    super('quota', `daily quota of ${quota} requests for ${account} used up; resumes after 00:00 UTC`);
  }
}

/** How a call waits in the account's queue. */
export interface BudgetCallOptions {
  /** p-queue priority (see priority.ts): higher starts first. */
  priority: number;
  /** Aborting removes the call from the queue if it has not started (p-queue semantics). */
  signal?: AbortSignal;
}

/** The shared queue, pause and quota of one destination account. */
export class AccountBudget {
  private current: AccountLimits;
  private queue: PQueue;
  private pausedUntil = 0;
  /** A replaced (looser) queue still draining: the current one waits until it is idle. */
  private previous?: PQueue;
  private day: string;
  /** Requests on `day` (persisted + counted here since). */
  private used = 0;
  /** Requests counted here but not yet written, per day. */
  private readonly unflushed = new Map<string, number>();
  /** Reads and writes of the usage row, one at a time. */
  private io: Promise<unknown> = Promise.resolve();

  constructor(
    /** The account key (see account-key.ts). */
    readonly key: string,
    limits: AccountLimits,
    private readonly now: () => Date = () => new Date(),
  ) {
    const { concurrency, rateLimit, dailyQuota } = limits;
    this.current = { concurrency, ...(rateLimit && { rateLimit }), ...(dailyQuota && { dailyQuota }) };
    this.queue = createDestinationQueue(limits);
    this.day = utcDay(now());
  }

  /** The limits enforced (the strictest declared by the account's syncs). */
  get limits(): AccountLimits {
    return this.current;
  }

  /**
   * Applies `limits` when stricter than the current ones. A slower rate needs a new queue:
   * calls already queued finish under the old one, new calls wait until it has drained.
   */
  tighten(limits: AccountLimits): void {
    const next = strictestLimits(this.current, limits);
    const rateChanged = !sameRateLimit(next.rateLimit, this.current.rateLimit);
    this.current = next;
    if (!rateChanged) {
      this.queue.concurrency = next.concurrency;
      return;
    }
    const old = this.queue;
    this.queue = createDestinationQueue(next);
    if (old.size + old.pending === 0) return;
    this.queue.pause();
    this.previous = old;
    old.onIdle().then(() => {
      if (this.previous === old) this.previous = undefined;
      this.resume();
    });
  }

  /** Runs `task` when the account's queue lets it (rate, concurrency, pause, priority). */
  add<T>(task: () => Promise<T>, options: BudgetCallOptions): Promise<T> {
    return this.queue.add(task, options) as Promise<T>;
  }

  /** Pauses the account's queue for `ms` (a 429): every run's queued calls wait. */
  pause(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.queue.pause();
    this.previous?.pause();
    setTimeout(() => this.resume(), ms).unref();
  }

  /**
   * Counts one request against today's quota; throws DailyQuotaExhausted instead when it is
   * used up. Called right before a request is sent.
   */
  take(): void {
    this.rollDay();
    const quota = this.current.dailyQuota;
    if (quota !== undefined && this.used >= quota) throw new DailyQuotaExhausted(this.key, quota);
    this.used++;
    this.unflushed.set(this.day, (this.unflushed.get(this.day) ?? 0) + 1);
  }

  /** Requests counted today (persisted and not yet), as this process knows them. */
  usedToday(): number {
    this.rollDay();
    return this.used;
  }

  /** Reads today's persisted count (a run calls it before sending; a restart keeps the count). */
  load(warehouse: Warehouse, stateSchema: string): Promise<void> {
    return this.serially(async () => {
      this.rollDay();
      const day = this.day;
      const persisted = await readUsage(warehouse, stateSchema, this.key, day);
      if (day === this.day) this.used = Math.max(this.used, persisted + (this.unflushed.get(day) ?? 0));
    });
  }

  /** Writes the requests counted since the last flush. */
  flush(warehouse: Warehouse, stateSchema: string): Promise<void> {
    return this.serially(async () => {
      for (const [day, requests] of [...this.unflushed]) {
        if (requests === 0) continue;
        await addUsage(warehouse, stateSchema, this.key, day, requests);
        const left = (this.unflushed.get(day) ?? 0) - requests;
        if (left > 0 || day === this.day) this.unflushed.set(day, left);
        else this.unflushed.delete(day);
      }
    });
  }

  private resume(): void {
    if (Date.now() < this.pausedUntil - 1) return;
    if (this.previous) this.previous.start();
    else this.queue.start();
  }

  private rollDay(): void {
    const today = utcDay(this.now());
    if (today === this.day) return;
    this.day = today;
    this.used = 0;
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const next = this.io.then(task, task);
    this.io = next.catch(() => undefined);
    return next;
  }
}
