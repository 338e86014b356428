/**
 * HubSpot's per-account limits as the emulator enforces them: a rolling ten-second window and a
 * daily allowance (UTC day), each answered with HubSpot's 429 body and `policyName`, and the
 * `X-HubSpot-RateLimit-*` headers on every authenticated answer.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../../../src/sandbox/types.js';

/** The limits of one account (defaults: Professional tier). */
export interface HubspotLimitOptions {
  /** Requests per rolling window. */
  max: number;
  intervalMs: number;
  /** Requests per UTC day. */
  daily: number;
}

/** What a request may do: go on (with headers to add), or the 429 to answer. */
export type LimitDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; response: EmulatorResponse };

/** One account's window and daily counter. */
export class AccountLimits {
  private window: number[] = [];
  private day = '';
  private usedToday = 0;
  /** 429s answered, by policy. */
  readonly refused = { TEN_SECONDLY_ROLLING: 0, DAILY: 0 };
  /** Most requests seen in any rolling window. */
  peakWindow = 0;

  constructor(private readonly options: HubspotLimitOptions) {}

  /** Counts a request, or refuses it with HubSpot's 429. */
  admit(now = Date.now()): LimitDecision {
    const today = new Date(now).toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.usedToday = 0;
    }
    while (this.window.length > 0 && (this.window[0] as number) <= now - this.options.intervalMs)
      this.window.shift();
    if (this.usedToday >= this.options.daily) return this.refuse('DAILY', 'daily');
    if (this.window.length >= this.options.max)
      return this.refuse('TEN_SECONDLY_ROLLING', 'ten_secondly_rolling');
    this.window.push(now);
    this.usedToday++;
    this.peakWindow = Math.max(this.peakWindow, this.window.length);
    return { ok: true, headers: this.headers() };
  }

  /** Requests counted today. */
  get dailyUsed(): number {
    return this.usedToday;
  }

  private headers(): Record<string, string> {
    return {
      'X-HubSpot-RateLimit-Max': String(this.options.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.options.max - this.window.length)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.options.intervalMs),
      'X-HubSpot-RateLimit-Daily': String(this.options.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.options.daily - this.usedToday)),
    };
  }

  private refuse(policyName: 'DAILY' | 'TEN_SECONDLY_ROLLING', words: string): LimitDecision {
    this.refused[policyName]++;
    return {
      ok: false,
      response: {
        status: 429,
        headers: this.headers(),
        body: {
          status: 'error',
          message: `You have reached your ${words} limit.`,
          errorType: 'RATE_LIMIT',
          correlationId: randomUUID(),
          policyName,
        },
      },
    };
  }
}
