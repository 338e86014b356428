/**
 * The org's daily API allowance as Salesforce reports it on every response
 * (`Sforce-Limit-Info: api-usage=used/max`), shared by every connection to the same account.
 * While fewer than `quota_reserve_pct` of the calls are left, calls are refused with a `quota`
 * error before they are sent: the run ends `partial`, the rest waits for a later run, and the
 * reserve stays for the org's other integrations instead of the org hitting 403 for everyone.
 * With no reserve, calls are refused the same way once Salesforce reports none left.
 */
import { DestinationError, type DestinationLogger } from '../../src/destination-kit/index.js';

/** The last usage Salesforce reported for an account. */
export interface ApiUsage {
  used: number;
  max: number;
  /** When it was read (ms epoch). */
  at: number;
}

const usages = new Map<string, ApiUsage & { warned?: boolean }>();

/** A stale refusal lets one call through after this long, to read the (rolling) usage again. */
const RECHECK_MS = 5 * 60_000;
/** Usage share that logs a warning (once per account and process). */
const WARN_SHARE = 0.8;

/** Parses `api-usage=used/max` from a Sforce-Limit-Info header value. */
export function parseLimitInfo(value: string | null): { used: number; max: number } | undefined {
  // The org's `api-usage`, not a connected app's `per-app-api-usage` that may come first.
  const match = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/.exec(value ?? '');
  return match ? { used: Number(match[1]), max: Number(match[2]) } : undefined;
}

/** Records the usage a response reports (no-op without the header). */
export function observeUsage(account: string, headers: Headers, logger: DestinationLogger): void {
  const info = parseLimitInfo(headers.get('sforce-limit-info'));
  if (!info) return;
  const previous = usages.get(account);
  const warned = previous?.warned === true || info.used >= info.max * WARN_SHARE;
  if (warned && !previous?.warned) {
    logger.warn('salesforce API usage is high', { used: info.used, max: info.max });
  }
  usages.set(account, { ...info, at: Date.now(), warned });
}

/** The last usage seen for an account. */
export function lastUsage(account: string): ApiUsage | undefined {
  const usage = usages.get(account);
  return usage && { used: usage.used, max: usage.max, at: usage.at };
}

/** Throws a `quota` DestinationError when the last reading leaves less than the reserve. */
export function checkReserve(account: string, reservePct: number): void {
  const usage = usages.get(account);
  if (!usage) return;
  const reserve = Math.ceil((usage.max * reservePct) / 100);
  const left = usage.max - usage.used;
  // Nothing left (Salesforce already said 403): do not send what it would refuse either.
  if ((left > reserve && left > 0) || Date.now() - usage.at > RECHECK_MS) return;
  throw new DestinationError(
    'quota',
    `Salesforce API usage is ${usage.used}/${usage.max}: ${Math.max(0, left)} calls left, within the ${reservePct}% reserve (quota_reserve_pct) kept for the org's other integrations; the rest is sent by a later run`,
    { code: 'QUOTA_RESERVE' },
  );
}

/** Forgets every reading (tests). */
export function resetUsage(): void {
  usages.clear();
}
