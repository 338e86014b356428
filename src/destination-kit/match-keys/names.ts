/**
 * First and last names. Letters of every script are kept as UTF-8 (Meta hashes `정` and `valéry`
 * as they are; accents are not folded), in NFC so composed and decomposed accents hash alike.
 */
import { cleanText, lettersOnly, orNull, wordsOnly } from './text.js';

/** Honorifics Google asks to leave out of given names ("Don't include prefixes such as Mrs."). */
const PREFIXES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir']);
/** Suffixes Google asks to leave out of family names ("Don't include suffixes such as Jr."). */
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq']);

/**
 * Meta FN/LN: lowercase, no punctuation, no spaces (Meta's own parameter builder strips
 * whitespace and punctuation): `Mary-Ann` → `maryann`, `O'Brien` → `obrien`.
 */
export function normalizeNameForMeta(value: unknown): string | null {
  const text = cleanText(value);
  return text === null ? null : orNull(lettersOnly(text));
}

/**
 * Google first/last name: lowercase, no punctuation, extra spaces removed (single spaces kept
 * between words), and a leading honorific (first name) or trailing suffix (last name) dropped
 * when other words remain: `  Mrs. Mary  Ann ` → `mary ann`, `Smith Jr.` → `smith`.
 */
export function normalizeNameForGoogle(value: unknown, part: 'first' | 'last'): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const words = wordsOnly(text).replace(/\d/g, '').split(' ').filter(Boolean);
  if (part === 'first' && words.length > 1 && PREFIXES.has(words[0] as string)) words.shift();
  if (part === 'last' && words.length > 1 && SUFFIXES.has(words.at(-1) as string)) words.pop();
  return orNull(words.join(' '));
}
