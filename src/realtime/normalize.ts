/**
 * Identifier normalization in JavaScript, for answers that must not touch the warehouse (the
 * profile and personalization APIs, live identity). It mirrors src/identity/normalize.ts, the SQL
 * the identity build applies, stage by stage; test/realtime/normalize.test.ts runs both over the
 * same inputs and requires equal results, so the two cannot drift apart unnoticed.
 */
import type { IdType } from '../identity/context.js';
import { POSSIBLE_E164_DIGITS as POSSIBLE_E164_PATTERN } from '../identity/normalize.js';

/** Characters the identity SQL trims from a value's ends before normalizing. */
export const EDGE_CHARS = ' \t\r\n"\'<>';
/** Whitespace as the identity SQL sees it. */
export const WHITESPACE = ' \t\r\n';
const VALID_EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
const GMAIL = /@(gmail|googlemail)\.com$/;
const POSSIBLE_E164_DIGITS = new RegExp(POSSIBLE_E164_PATTERN);

/** `value` with any of `chars` removed from both ends (SQL `trim(value, chars)`). */
export function trimChars(value: string, chars: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value.charAt(start))) start++;
  while (end > start && chars.includes(value.charAt(end - 1))) end--;
  return value.slice(start, end);
}

function normalizeEmail(raw: string): string | null {
  const e = trimChars(trimChars(raw.toLowerCase(), EDGE_CHARS).replaceAll('mailto:', ''), EDGE_CHARS);
  if (!VALID_EMAIL.test(e)) return null;
  const folded = GMAIL.test(e) ? `${e.replace(/\+.*@.*$|@.*$/g, '').replaceAll('.', '')}@gmail.com` : e;
  return folded.startsWith('@') ? null : folded;
}

function normalizePhone(raw: string, countryCode: string | undefined): string | null {
  const p = raw.replace(/[^0-9+]/g, '');
  const cc = countryCode ?? '';
  const minWithCode = cc === '1' ? 11 : cc.length + 8;
  let digits: string;
  if (p.startsWith('+')) digits = p.replaceAll('+', '');
  else if (p.startsWith('00')) digits = p.replace(/^00|[^0-9]/g, '');
  else {
    const national = p.replaceAll('+', '');
    if (cc === '') digits = national;
    else if (new RegExp(`^${cc}[0-9]{${minWithCode - cc.length},}$`).test(national)) digits = national;
    else digits = cc + national.replace(/^0+/, '');
  }
  return POSSIBLE_E164_DIGITS.test(digits) ? `+${digits}` : null;
}

/** The normalized form of `raw` as id type `type` (what identity_map holds), or null when rejected. */
export function normalizeValue(
  type: Pick<IdType, 'normalize' | 'defaultCountryCode'>,
  raw: string,
): string | null {
  if (type.normalize === 'email') return normalizeEmail(raw);
  if (type.normalize === 'phone') return normalizePhone(raw, type.defaultCountryCode);
  const trimmed = trimChars(raw, WHITESPACE);
  return trimmed === '' ? null : trimmed;
}
