/** Unique, stable, unordered-looking ids derived from (person index, slot). */
import type { SeedContext } from './context.js';
import { powerOfTenAtLeast, scramble } from './prng.js';

/**
 * A number unique among all people for `slot` in [0, slotsPerPerson): fixed width, leading 1
 * (e.g. 1048213). Derived from the person index, so any table can recompute another table's id
 * (the shop's customer_id reappears as web/app user_id) without shared state.
 */
export function idNumber(
  ctx: SeedContext,
  personIndex: number,
  slot: number,
  slotsPerPerson: number,
): number {
  const space = powerOfTenAtLeast(ctx.people * slotsPerPerson);
  return space + scramble(personIndex * slotsPerPerson + slot, space);
}

/** Slots per person for each id family; a person never gets more rows than its slots. */
export const ID_SLOTS = {
  customer: 2,
  order: 8,
  contact: 2,
  webEvent: 32,
  anonymousId: 2,
  ticket: 4,
  signup: 2,
  appEvent: 32,
  device: 2,
  meter: 2,
} as const;

// Odd, so n -> n * K mod 2^48 is a bijection; n * K stays an exact double for n < 2 * 10^7.
const HEX_SPREAD = 0x1b873593;

/** 12 hex digits, unique per `unique` (< 2 * 10^7), spread so they do not look sequential. */
export function uniqueHex12(unique: number): string {
  return ((unique * HEX_SPREAD) % 2 ** 48).toString(16).padStart(12, '0');
}

/** A UUID-shaped string whose last group is unique per (person, slot); the rest is random. */
export function uuidLike(random: string, unique: number): string {
  const tail = uniqueHex12(unique);
  return `${random.slice(0, 8)}-${random.slice(8, 12)}-4${random.slice(12, 15)}-a${random.slice(15, 18)}-${tail}`;
}
