/**
 * How identifiers look after real people typed them into real systems: case, whitespace, gmail
 * dots and +tags, phone formats, junk placeholders and missing values.
 */
import { emailTypo } from './messy.js';
import type { Rng } from './prng.js';
import { JUNK_EMAILS, JUNK_PHONES } from './vocab.js';

/** Probabilities of each kind of noise; sources tune them to their own data quality. */
export interface NoiseRates {
  /** Replace the value by a junk placeholder (`test@test.com`, `null`, ''). */
  junk: number;
  /** Leave the field NULL. */
  missing: number;
  /** Swap two adjacent letters of an email's local part (the harder seed only). */
  typo?: number;
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** A gmail-equivalent spelling: dots dropped or added, or a +tag. */
function gmailVariant(rng: Rng, local: string, tag: string): string {
  const roll = rng.int(0, 2);
  if (roll === 0 && local.includes('.')) return local.replace(/\./g, '');
  if (roll <= 1) return `${local.slice(0, 1)}.${local.slice(1)}`;
  return `${local}+${tag}`;
}

/** Case and whitespace noise on any typed value. */
export function typingNoise(rng: Rng, value: string): string {
  let out = value;
  const caseRoll = rng.float();
  if (caseRoll < 0.06) out = capitalize(out);
  else if (caseRoll < 0.09) out = out.toUpperCase();
  const spaceRoll = rng.float();
  if (spaceRoll < 0.03) out = ` ${out}`;
  else if (spaceRoll < 0.06) out = `${out} `;
  else if (spaceRoll < 0.07) out = `  ${out}\t`;
  return out;
}

/**
 * An email as a source recorded it: noisy spelling of `email`, or junk / NULL at the given
 * rates. `tag` is the +tag a gmail user might add for this source (`shop`, `news`).
 */
export function presentEmail(rng: Rng, email: string, rates: NoiseRates, tag: string): string | null {
  const roll = rng.float();
  if (roll < rates.missing) return null;
  if (roll < rates.missing + rates.junk) return rng.pick(JUNK_EMAILS);
  let spelled = email;
  const at = email.indexOf('@');
  if (email.endsWith('@gmail.com') && rng.chance(0.15)) {
    spelled = `${gmailVariant(rng, email.slice(0, at), tag)}${email.slice(at)}`;
  }
  if (rates.typo && rng.chance(rates.typo)) spelled = emailTypo(rng, spelled);
  return typingNoise(rng, spelled);
}

/** A 10-digit phone in one of the formats people and forms produce, or junk / NULL. */
export function presentPhone(rng: Rng, digits: string, rates: NoiseRates): string | null {
  const roll = rng.float();
  if (roll < rates.missing) return null;
  if (roll < rates.missing + rates.junk) return rng.pick(JUNK_PHONES);
  const a = digits.slice(0, 3);
  const e = digits.slice(3, 6);
  const l = digits.slice(6);
  switch (rng.int(0, 6)) {
    case 0:
      return `(${a}) ${e}-${l}`;
    case 1:
      return `+1 ${a}-${e}-${l}`;
    case 2:
      return digits;
    case 3:
      return `${a}.${e}.${l}`;
    case 4:
      return `${a}-${e}-${l}`;
    case 5:
      return `+1${digits}`;
    default:
      return ` 1-${a}-${e}-${l} `;
  }
}
