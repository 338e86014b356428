/** Legal deadlines of privacy requests: GDPR one month (30 days), CCPA 45 days; `privacy:` overrides. */
import type { PrivacyConfig } from '../config/schemas/privacy.js';

/** A regulation a request falls under. */
export type Regulation = 'gdpr' | 'ccpa';

const DEFAULT_DAYS: Record<Regulation, number> = { gdpr: 30, ccpa: 45 };

/** When a request received at `received` must be answered. */
export function dueDate(config: PrivacyConfig | undefined, regulation: Regulation, received: Date): Date {
  const days = config?.deadlines?.[regulation] ?? DEFAULT_DAYS[regulation];
  return new Date(received.getTime() + days * 86_400_000);
}

/** Whole days from `now` until `due` (negative: overdue), rounded down. */
export function daysLeft(due: Date, now: Date): number {
  return Math.floor((due.getTime() - now.getTime()) / 86_400_000);
}
