/**
 * Deterministic randomness for the demo data. Integer-only math (no Math.log/exp), so the same
 * seed gives byte-identical data on every machine and Node version.
 */

/** murmur3's 32-bit finalizer: spreads the bits of a 32-bit integer. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): 128-bit state, period >= 2^32. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /**
   * The generator for one (seed, index, stream) triple. Distinct triples give distinct states,
   * so every person and every table gets its own independent stream.
   */
  static forKey(seed: number, index: number, stream: number): Rng {
    return new Rng(mix32(seed), index, mix32(stream ^ 0x5bd1e995), mix32(seed ^ 0x9e3779b9));
  }

  /** A uniform unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** A uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** `digits` random lowercase hex characters. */
  hex(digits: number): string {
    let out = '';
    while (out.length < digits) out += this.nextU32().toString(16).padStart(8, '0');
    return out.slice(0, digits);
  }
}

// Odd and not a multiple of 5, so coprime with any 2^a * 5^b space; small enough that
// n * multiplier stays an exact double for n < 10^9.
const SCRAMBLE_MULTIPLIER = 7_919_993;
const SCRAMBLE_OFFSET = 1_234_567;

/**
 * A bijection on [0, space) for spaces of the form 2^a * 5^b: turns sequential slots into
 * unique, unordered-looking numbers (ids that do not reveal the person index).
 */
export function scramble(n: number, space: number): number {
  return (n * SCRAMBLE_MULTIPLIER + SCRAMBLE_OFFSET) % space;
}

/** The smallest power of ten that is >= `n` (at least 10). */
export function powerOfTenAtLeast(n: number): number {
  let space = 10;
  while (space < n) space *= 10;
  return space;
}
