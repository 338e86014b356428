/** Options and derived constants shared by every table generator. */
import { powerOfTenAtLeast } from './prng.js';

/** The most people one seed supports: phone numbers are unique within an 8M space, two per person. */
export const MAX_PEOPLE = 4_000_000;

/** Default end of the generated timeline, fixed so the data does not depend on the clock. */
export const DEFAULT_AS_OF = new Date('2025-06-01T00:00:00.000Z');

export const DAY_MS = 86_400_000;
/** How far back the oldest person's history reaches. */
export const HISTORY_DAYS = 730;

/** Everything a generator needs besides the person: the population size, seed and id spaces. */
export interface SeedContext {
  people: number;
  seed: number;
  asOfMs: number;
  /** Space for numbers unique per person (email suffixes): a power of ten >= 10 * people. */
  personSpace: number;
  /** The harder seed (`noise: 'messy'`, see messy.ts): shared mailboxes, desk phones, typos. */
  messy: boolean;
}

/** Validated options for one seeding run. */
export interface SeedContextOptions {
  people?: number;
  seed?: number;
  asOf?: Date;
  /** `standard` (default) or `messy`: the harder seed of messy.ts on top of the standard noise. */
  noise?: SeedNoise;
}

/** How noisy the generated data is. */
export type SeedNoise = 'standard' | 'messy';

/** Build the context, rejecting sizes and seeds the generator cannot honour. */
export function createSeedContext(options: SeedContextOptions = {}): SeedContext {
  const people = options.people ?? 10_000;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(people) || people < 1 || people > MAX_PEOPLE) {
    throw new RangeError(`people must be an integer between 1 and ${MAX_PEOPLE}, got ${people}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer between 0 and 4294967295, got ${seed}`);
  }
  const asOfMs = (options.asOf ?? DEFAULT_AS_OF).getTime();
  if (Number.isNaN(asOfMs)) throw new RangeError('asOf must be a valid date');
  const noise = options.noise ?? 'standard';
  if (noise !== 'standard' && noise !== 'messy')
    throw new RangeError(`noise must be 'standard' or 'messy', got '${String(noise)}'`);
  return { people, seed, asOfMs, personSpace: powerOfTenAtLeast(people * 10), messy: noise === 'messy' };
}
