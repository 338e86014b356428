/** One device's (or cookie's) events over time, with the moment it becomes identified. */
import type { Rng } from '../prng.js';
import { sortedInstants } from '../time.js';

/** One step of a device timeline. */
export interface TimelineStep {
  atMs: number;
  /** This step is the identifying event itself (signup/login). */
  identifies: boolean;
  /** The user is known at this step (the identifying event and everything after it). */
  identified: boolean;
}

/**
 * `count` ordinary events between `fromMs` and `toMs`; when `identifyAtMs` is set, about half
 * happen before it (anonymous) and an identifying step is inserted at that instant.
 */
export function deviceTimeline(
  rng: Rng,
  count: number,
  fromMs: number,
  toMs: number,
  identifyAtMs: number | null,
): TimelineStep[] {
  if (identifyAtMs === null) {
    return sortedInstants(rng, count, fromMs, toMs).map((atMs) => ({
      atMs,
      identifies: false,
      identified: false,
    }));
  }
  const before = Math.ceil(count / 2);
  const steps: TimelineStep[] = sortedInstants(rng, before, fromMs, identifyAtMs).map((atMs) => ({
    atMs,
    identifies: false,
    identified: false,
  }));
  steps.push({ atMs: identifyAtMs, identifies: true, identified: true });
  for (const atMs of sortedInstants(rng, count - before, identifyAtMs, toMs)) {
    steps.push({ atMs, identifies: false, identified: true });
  }
  return steps;
}
