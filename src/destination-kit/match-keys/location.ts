/** City, state, postal code and country. */
import { COUNTRY_CODES, STATE_CODES } from './regions.js';
import { cleanText, lettersOnly, orNull } from './text.js';

/** Meta CT: lowercase letters only, no punctuation or spaces (`New York` → `newyork`). */
export function normalizeCityForMeta(value: unknown): string | null {
  const text = cleanText(value);
  return text === null ? null : orNull(lettersOnly(text));
}

/**
 * Meta ST: the two-letter code in lowercase for US states (and Canadian provinces), from a code
 * or a full name (`California` → `ca`); other regions lowercase without punctuation or spaces.
 */
export function normalizeStateForMeta(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const letters = lettersOnly(text);
  return orNull(STATE_CODES[letters] ?? letters);
}

/**
 * ISO 3166-1 alpha-2 code in lowercase, from a code or a known name (`United States` → `us`,
 * `UK` → `gb`); null for a name the table does not know (a country cannot be guessed).
 */
export function countryCode(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const letters = text.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length === 2) return letters === 'uk' ? 'gb' : letters;
  return COUNTRY_CODES[letters] ?? null;
}

/**
 * Meta ZP: lowercase without spaces or dashes; a US ZIP or ZIP+4 keeps its first 5 digits
 * (`94035-1234` → `94035`), a UK postcode keeps all (`M1 1AE` → `m11ae`). Leading zeros are kept,
 * so pass zips as text: a number 2134 cannot be told from the ZIP 02134.
 */
export function normalizePostalForMeta(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const compact = text.toLowerCase().replace(/[\s\-–]/gu, '');
  if (/^\d{9}$/.test(compact) || /^\d{5}$/.test(compact)) return compact.slice(0, 5);
  return /^[\p{L}\p{N}]+$/u.test(compact) ? compact : null;
}

/**
 * Google postal code (not hashed): trimmed, inner whitespace collapsed, otherwise as given (US:
 * 5 digits or ZIP+4 `94035-1234`; Google asks for no extension elsewhere).
 */
export function normalizePostalForGoogle(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const postal = text.replace(/\s+/gu, ' ');
  return /^[\p{L}\p{N}][\p{L}\p{N} -]*$/u.test(postal) ? postal : null;
}
