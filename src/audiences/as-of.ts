/**
 * "Now" for audiences' relative dates: `WEFT_AS_OF` from the environment, else weft.yml
 * `as_of`, else none (the SQL then reads the warehouse's clock, so views stay live).
 */
import type { Env } from '../config/env.js';
import { ISO_INSTANT } from '../config/schemas/weft.js';
import type { Project } from '../config/types.js';
import { AudienceError } from './errors.js';

/** The instant relative dates compare with, or undefined for the warehouse's current time. */
export function resolveAsOf(project: Project, env: Env = process.env): Date | undefined {
  const fromEnv = env.WEFT_AS_OF;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseInstant(fromEnv.trim(), '$WEFT_AS_OF');
  const configured = project.config.as_of;
  return configured === undefined ? undefined : parseInstant(configured, 'weft.yml as_of');
}

/**
 * Parses an ISO date or date-time; one without a zone is UTC (JS would read a zone-less
 * date-time as local time, which would make builds depend on the machine's zone).
 */
export function parseInstant(text: string, origin: string): Date {
  let iso = text.replace(' ', 'T');
  if (iso.includes('T')) {
    const zone = /(Z|([+-])(\d{2}):?(\d{2})?)$/.exec(iso.slice(10));
    if (!zone) iso += 'Z';
    else if (zone[2])
      iso = `${iso.slice(0, iso.length - zone[0].length)}${zone[2]}${zone[3]}:${zone[4] ?? '00'}`;
  }
  const date = new Date(iso);
  if (!ISO_INSTANT.test(text) || Number.isNaN(date.getTime())) {
    throw new AudienceError(
      `${origin}: '${text}' is not an ISO date or date-time (e.g. 2025-06-01 or 2025-06-01T00:00:00Z)`,
    );
  }
  return date;
}
