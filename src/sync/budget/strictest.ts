/** The limits two syncs of one account agree on: the strictest of what each declares. */
import type { DestinationLimits, RateLimit } from '../../destination-kit/index.js';

/** What an account's budget enforces (batch limits stay per sync). */
export type AccountLimits = Pick<DestinationLimits, 'rateLimit' | 'concurrency' | 'dailyQuota'>;

/**
 * Lowest concurrency, lowest daily quota and the slower rate limit (requests per ms; on a tie
 * the longer window, which allows smaller bursts). Paced evenly, the slower limit also keeps
 * within the other one in practice.
 */
export function strictestLimits(a: AccountLimits, b: AccountLimits): AccountLimits {
  const limits: AccountLimits = { concurrency: Math.min(a.concurrency, b.concurrency) };
  const rateLimit = slower(a.rateLimit, b.rateLimit);
  if (rateLimit) limits.rateLimit = rateLimit;
  const quotas = [a.dailyQuota, b.dailyQuota].filter((q): q is number => q !== undefined);
  if (quotas.length > 0) limits.dailyQuota = Math.min(...quotas);
  return limits;
}

/** Whether two rate limits are the same (both absent counts). */
export function sameRateLimit(a: RateLimit | undefined, b: RateLimit | undefined): boolean {
  return a?.requests === b?.requests && a?.perMs === b?.perMs;
}

function slower(a: RateLimit | undefined, b: RateLimit | undefined): RateLimit | undefined {
  if (!a || !b) return a ?? b;
  const rateA = a.requests / a.perMs;
  const rateB = b.requests / b.perMs;
  if (rateA !== rateB) return rateA < rateB ? a : b;
  return a.perMs >= b.perMs ? a : b;
}
