/** The budget's parts: account keys, strictest limits, quota counting, priorities, memory-release guard. */
import { describe, expect, it, vi } from 'vitest';
import { getDestination } from '../../destinations/index.js';
import { type AnyDestination, parseSettings } from '../../src/destination-kit/index.js';
import {
  AccountBudget,
  AccountBudgets,
  accountKey,
  DailyQuotaExhausted,
  queuePriority,
  strictestLimits,
} from '../../src/sync/budget/index.js';
import { enterRun, memoryReleaseAllowed } from '../../src/sync/release-memory.js';
import { projectWith, syncConfig } from './helpers.js';

const webhook = getDestination('webhook') as AnyDestination;
const settings = (url: string, extra: Record<string, unknown> = {}) =>
  parseSettings(webhook, { url, secret: 'abcdefgh', ...extra });

describe('accountKey', () => {
  it('webhook connections to one receiver share an account; query strings and credentials do not count', () => {
    const a = accountKey(webhook, settings('https://hooks.example.com/weft?x=1'), 'a');
    const b = accountKey(webhook, settings('https://user:pw@hooks.example.com/weft'), 'b');
    expect(a).toBe('webhook:https://hooks.example.com/weft');
    expect(b).toBe(a);
    expect(accountKey(webhook, settings('https://hooks.example.com/other'), 'a')).not.toBe(a);
  });

  it('falls back to <type>:<connection> for destinations without an account', () => {
    const file = getDestination('file') as AnyDestination;
    expect(accountKey(file, {}, 'exports')).toBe('file:exports');
  });
});

describe('strictestLimits', () => {
  it('takes the lowest concurrency and quota and the slower rate', () => {
    expect(
      strictestLimits(
        { concurrency: 4, rateLimit: { requests: 10, perMs: 1000 }, dailyQuota: 500 },
        { concurrency: 2, rateLimit: { requests: 100, perMs: 60_000 } },
      ),
    ).toEqual({ concurrency: 2, rateLimit: { requests: 100, perMs: 60_000 }, dailyQuota: 500 });
    // Same rate: the longer window (smaller bursts).
    expect(
      strictestLimits(
        { concurrency: 1, rateLimit: { requests: 10, perMs: 1000 } },
        { concurrency: 1, rateLimit: { requests: 100, perMs: 10_000 } },
      ).rateLimit,
    ).toEqual({ requests: 100, perMs: 10_000 });
    expect(strictestLimits({ concurrency: 3 }, { concurrency: 5 })).toEqual({ concurrency: 3 });
  });

  it('forProject applies the strictest limits declared by the syncs of an account', () => {
    const project = projectWith(
      '/tmp',
      { url: 'http://127.0.0.1:1/hook', secret: 'abcdefgh', concurrency: 2, daily_quota: 1000 },
      [syncConfig({ name: 'one' })],
    );
    project.config.connections.slow = {
      type: 'webhook',
      url: 'http://127.0.0.1:1/hook',
      secret: 'abcdefgh',
      concurrency: 8,
      rate_limit: { requests: 5, per_seconds: 1 },
    };
    project.syncs.push({ path: 'syncs/two.yml', value: syncConfig({ name: 'two', connection: 'slow' }) });
    project.syncs.push({ path: 'syncs/bad.yml', value: syncConfig({ name: 'bad', connection: 'missing' }) });
    const budgets = AccountBudgets.forProject(project);
    expect(budgets.keys()).toEqual(['webhook:http://127.0.0.1:1/hook']);
    const budget = budgets.for('webhook:http://127.0.0.1:1/hook', { concurrency: 4 });
    expect(budget.limits).toEqual({
      concurrency: 2,
      rateLimit: { requests: 5, perMs: 1000 },
      dailyQuota: 1000,
    });
  });
});

describe('AccountBudget', () => {
  it('counts requests per UTC day and refuses past the quota', () => {
    let now = new Date('2026-03-01T23:59:00Z');
    const budget = new AccountBudget('webhook:x', { concurrency: 1, dailyQuota: 2 }, () => now);
    budget.take();
    budget.take();
    expect(() => budget.take()).toThrow(DailyQuotaExhausted);
    expect(() => budget.take()).toThrow(
      'daily quota of 2 requests for webhook:x used up; resumes after 00:00 UTC',
    );
    expect(budget.usedToday()).toBe(2);
    now = new Date('2026-03-02T00:00:01Z');
    expect(budget.usedToday()).toBe(0);
    budget.take();
    expect(budget.usedToday()).toBe(1);
  });

  it('runs higher priorities first among queued calls', async () => {
    const budget = new AccountBudget('k', { concurrency: 1 });
    const order: string[] = [];
    const call = (name: string, priority: number) =>
      budget.add(
        async () => {
          order.push(name);
        },
        { priority },
      );
    budget.pause(30); // everything below queues up while paused
    const done = Promise.all([
      call('low', queuePriority('low')),
      call('normal', queuePriority(undefined)),
      call('high', queuePriority('high')),
    ]);
    await done;
    expect(order).toEqual(['high', 'normal', 'low']);
  });

  it('resumes after a pause even when the timer fires before Date.now() reaches its end', async () => {
    vi.useFakeTimers();
    try {
      const budget = new AccountBudget('k', { concurrency: 1 });
      let ran = false;
      budget.pause(100);
      const call = budget.add(
        async () => {
          ran = true;
        },
        { priority: 0 },
      );
      // The wall clock lags the timers by 5 ms (as Date.now() and Node's monotonic timer clock
      // can): the pause's timer fires while Date.now() still says the pause has 5 ms to go.
      const fakeNow = Date.now;
      const lagging = vi.spyOn(Date, 'now').mockImplementation(() => fakeNow() - 5);
      await vi.advanceTimersByTimeAsync(100);
      expect(ran).toBe(false);
      await vi.advanceTimersByTimeAsync(10);
      expect(ran).toBe(true);
      await call;
      lagging.mockRestore();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a slower rate declared while calls are queued applies to new calls after the old ones', async () => {
    const budget = new AccountBudget('k', { concurrency: 1 });
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = budget.add(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            order.push('old');
            resolve();
          };
        }),
      { priority: 0 },
    );
    budget.tighten({ concurrency: 1, rateLimit: { requests: 100, perMs: 1000 } });
    expect(budget.limits.rateLimit).toEqual({ requests: 100, perMs: 1000 });
    const second = budget.add(
      async () => {
        order.push('new');
      },
      { priority: 0 },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]); // the new queue waits for the old one to drain
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['old', 'new']);
  });
});

describe('memory release guard', () => {
  it('allows releasing with one run alive, not with two or with a run that forbids it', () => {
    const one = enterRun();
    expect(memoryReleaseAllowed()).toBe(true);
    const two = enterRun();
    expect(memoryReleaseAllowed()).toBe(false);
    two();
    two(); // leaving twice counts once
    expect(memoryReleaseAllowed()).toBe(true);
    const holding = enterRun({ releaseMemory: false });
    one();
    expect(memoryReleaseAllowed()).toBe(false);
    holding();
    expect(memoryReleaseAllowed()).toBe(true);
  });
});
