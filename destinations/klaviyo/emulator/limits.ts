/**
 * Klaviyo's rate limits in the emulator: each endpoint has a burst (per second) and a steady (per
 * minute) window, per account. Every answer carries `RateLimit-Limit|Remaining|Reset` for the
 * tighter window; past either, 429 with Retry-After (whole seconds) and a `throttled` error.
 */

/** Burst and steady limits of one endpoint. */
export interface EndpointLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
}

/** Klaviyo's tiers for the endpoints the emulator serves (XS 1/s 15/m … L 75/s 700/m). */
export const DEFAULT_LIMITS: Record<string, EndpointLimit> = {
  'jobs.create': { burstPerSecond: 10, steadyPerMinute: 150 },
  'jobs.read': { burstPerSecond: 10, steadyPerMinute: 150 },
  'lists.relationships': { burstPerSecond: 10, steadyPerMinute: 150 },
  'profiles.read': { burstPerSecond: 75, steadyPerMinute: 700 },
  other: { burstPerSecond: 10, steadyPerMinute: 150 },
};

/** A decision for one request: allowed or not, and the headers to send. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Arrival times per endpoint. */
export class EndpointWindows {
  private arrivals = new Map<string, number[]>();

  constructor(private readonly limits: Record<string, EndpointLimit>) {}

  take(endpoint: string, now = Date.now()): RateDecision {
    const limit = this.limits[endpoint] ?? this.limits.other ?? DEFAULT_LIMITS.other;
    const recent = (this.arrivals.get(endpoint) ?? []).filter((time) => time > now - 60_000);
    this.arrivals.set(endpoint, recent);
    const lastSecond = recent.filter((time) => time > now - 1_000);
    const windows = [
      { used: lastSecond.length, max: limit?.burstPerSecond ?? 10, first: lastSecond[0], span: 1_000 },
      { used: recent.length, max: limit?.steadyPerMinute ?? 150, first: recent[0], span: 60_000 },
    ];
    const full = windows.find((w) => w.used >= w.max);
    if (!full) recent.push(now);
    const shown = full ?? windows.reduce((a, b) => (b.max - b.used < a.max - a.used ? b : a));
    const resetSeconds = Math.max(1, Math.ceil(((shown.first ?? now) + shown.span - now) / 1000));
    const headers: Record<string, string> = {
      'ratelimit-limit': String(shown.max),
      'ratelimit-remaining': String(Math.max(0, shown.max - shown.used - (full ? 0 : 1))),
      'ratelimit-reset': String(resetSeconds),
    };
    if (full) headers['retry-after'] = String(resetSeconds);
    return { allowed: full === undefined, headers };
  }
}
