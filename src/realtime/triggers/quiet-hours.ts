/**
 * Quiet hours: a local-time window (`22:00`–`07:00`, possibly across midnight) in a time zone,
 * the trigger's or the person's own (a profile trait holding an IANA zone).
 */
import { isTimeZone, type QuietHoursConfig } from '../../config/schemas/trigger.js';
import type { ServedProfile } from '../types.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of `at` in `zone`. */
function localMinutes(at: Date, zone: string): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

/** The zone quiet hours are read in for this person. */
export function quietZone(quiet: QuietHoursConfig, profile: ServedProfile | undefined): string {
  const own = quiet.timezone_trait ? profile?.traits[quiet.timezone_trait] : undefined;
  return typeof own === 'string' && isTimeZone(own) ? own : quiet.timezone;
}

/**
 * When `at` is inside the quiet window: the instant the window ends (to the minute, so a delayed
 * firing is due then); undefined when `at` is outside it.
 */
export function quietUntil(quiet: QuietHoursConfig, zone: string, at: Date): Date | undefined {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const now = localMinutes(at, zone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return undefined;
  const left = (end - now + DAY_MINUTES) % DAY_MINUTES;
  // Whole local minutes to the end, counted from the start of the current minute.
  const minuteStart = at.getTime() - (at.getTime() % MINUTE_MS);
  return new Date(minuteStart + left * MINUTE_MS);
}
