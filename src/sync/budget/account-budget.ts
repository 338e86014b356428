/**
 * One destination account's budget, shared by every sync run writing to it: one request queue
 * (its concurrency and paced rate limit, p-queue priorities deciding who waits), one 429 pause
 * (a throttled account is throttled for everyone) and one daily request quota, counted per
 * request and persisted in `destination_usage`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type PQueue from 'p-queue';
import {
  createDestinationQueue,
  DestinationError,
  type HttpResponse,
  type RequestGate,
} from '../../destination-kit/index.js';
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
  /** When this account's recent requests were sent (the request window, see `room`). */
  private readonly sent: number[] = [];
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

  /**
   * A gate for a destination HTTP client: each request waits for room in the account's request
   * window (the declared rate limit as a strict sliding window, padded like the queue's pacing,
   * and any 429 pause), counts against the daily quota (DailyQuotaExhausted instead of sending),
   * and a 429 answer pauses the account. Primitive calls are paced by the queue; this paces the
   * requests inside them (reads, polls, job steps), which the queue does not see.
   */
  gate(
    classify: (response: HttpResponse) => DestinationError | undefined,
    options: { signal?: AbortSignal; pauseMs: () => number },
  ): RequestGate {
    return async (send) => {
      await this.room(options.signal);
      this.take();
      const response = await send();
      const refused = classify(response);
      if (refused?.kind === 'rate_limit') this.pause(refused.retryAfterMs ?? options.pauseMs());
      return response;
    };
  }

  /** Waits until one more request fits the rate limit's window (and no 429 pause), then counts it. */
  private async room(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      let wait = this.pausedUntil - now;
      const limit = this.current.rateLimit;
      if (limit && wait <= 0) {
        const windowMs = limit.perMs + Math.max(30, limit.perMs * 0.01);
        while ((this.sent[0] ?? now) <= now - windowMs) this.sent.shift();
        if (this.sent.length >= limit.requests) wait = (this.sent[0] as number) + windowMs - now;
      }
      if (wait <= 0) {
        this.sent.push(now);
        return;
      }
      await sleep(wait, undefined, signal ? { signal } : undefined);
    }
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
    // A timer may fire a little before Date.now() reaches the pause's end (the two clocks
    // differ): wait the rest instead of leaving the queue paused with nothing to start it.
    const left = this.pausedUntil - Date.now();
    if (left > 0) {
      setTimeout(() => this.resume(), left).unref();
      return;
    }
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
