/** Text helpers shared by the normalizers. */
import { ExactNumber } from '../../warehouse/exact-number.js';

/** Zero-width characters and the byte-order mark: invisible, but they change a hash. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * The value as NFC text without invisible characters, or null for null/undefined, non-text
 * values and blank text. Numbers and bigints become their decimal text (phones, zips, ids).
 */
export function cleanText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (
    typeof value !== 'string' &&
    typeof value !== 'number' &&
    typeof value !== 'bigint' &&
    !(value instanceof ExactNumber)
  )
    return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  const text = String(value).normalize('NFC').replace(INVISIBLE, '').trim();
  return text === '' ? null : text;
}

/** Lowercase letters (any script) and combining marks only: drops spaces, digits, punctuation. */
export function lettersOnly(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}]/gu, '');
}

/** Lowercase, punctuation and symbols removed, whitespace runs collapsed to one space. */
export function wordsOnly(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** null for the empty string. */
export function orNull(text: string): string | null {
  return text === '' ? null : text;
}
