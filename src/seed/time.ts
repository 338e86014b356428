/** Timestamp helpers: integer milliseconds, rendered the way each source system exports them. */
import type { Rng } from './prng.js';

/** A random instant in [fromMs, toMs] (to the second). */
export function between(rng: Rng, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return fromMs;
  const seconds = Math.floor((toMs - fromMs) / 1000);
  return fromMs + rng.int(0, seconds) * 1000;
}

/** `n` sorted random instants in [fromMs, toMs]. */
export function sortedInstants(rng: Rng, n: number, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(between(rng, fromMs, toMs));
  return out.sort((a, b) => a - b);
}

/** `2024-03-05 14:22:01` (a CSV export's local-looking format, UTC). */
export function sqlTimestampText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2024-03-05T14:22:01Z` (an API's ISO-8601 format). */
export function isoTimestampText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
