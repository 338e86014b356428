/**
 * Built-in junk values and the user's blocklist, as SQL conditions. Junk is checked on a cleaned
 * form of the raw text (so `NULL`, `n/a`, `0000000000` are caught before normalization rejects
 * them) and on the normalized value; the blocklist applies to normalized values.
 */
import type { Dialect } from '../warehouse/types.js';
import type { IdType } from './context.js';

/** Placeholder words that mean "no value", for every id type (compared lowercase, trimmed). */
export const JUNK_WORDS = [
  '',
  'null',
  'none',
  'nil',
  'undefined',
  'nan',
  '[object object]',
  '0',
  '-1',
  'n/a',
  'na',
  'anonymous',
  'guest',
  'unknown',
  'test',
  'true',
  'false',
  'empty',
  'blank',
  'noemail',
  'no email',
];
/** Phones (digits only): one repeated digit, counting sequences, optionally after a 1-digit code. */
export const JUNK_PHONE_DIGITS =
  '^[0-9]?(0{6,}|1{6,}|2{6,}|3{6,}|4{6,}|5{6,}|6{6,}|7{6,}|8{6,}|9{6,})$|^[01]?(1234567890|0123456789|123456789|9876543210)$';
/** NANP 555-0100…555-0199 are reserved for fiction. */
export const JUNK_PHONE_E164 = '^\\+1[2-9][0-9]{2}55501[0-9]{2}$';
/** Shared or fake mailboxes that identify nobody. */
export const JUNK_EMAILS = [
  'test@test.com',
  'a@a.com',
  'email@email.com',
  'example@example.com',
  'none@none.com',
  'null@null.com',
  'no@no.com',
  'user@domain.com',
  'name@domain.com',
  'noemail@*',
  'no-email@*',
  'noreply@*',
  'no-reply@*',
  'donotreply@*',
  'do-not-reply@*',
  '*@example.com',
  '*@example.org',
  '*@example.net',
  '*@test.com',
];

/** A glob (`*` any run, `?` one character) as an anchored RE2 pattern. */
export function globToRegex(glob: string): string {
  let out = '';
  for (const char of glob) {
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else out += /[\\^$.|+()[\]{}]/.test(char) ? `\\${char}` : char;
  }
  return `^${out}$`;
}

/** Whether a blocklist entry is a glob. */
export function isGlob(entry: string): boolean {
  return entry.includes('*') || entry.includes('?');
}

/** A glob as a LIKE pattern: only when its wildcards are `*` and it holds no LIKE metacharacter. */
function globToLike(glob: string): string | undefined {
  return glob.includes('?') || /[%_\\]/.test(glob) ? undefined : glob.replaceAll('*', '%');
}

/**
 * A condition: `expr` equals one of `values` or matches one of `globs` (FALSE when both are empty).
 * `oneLine`: `expr` never holds a line break (a normalized email), so simple globs can be LIKE
 * patterns, much cheaper than a regexp and equal there (a regexp's `.` skips line breaks).
 */
export function matchesAny(
  d: Dialect,
  expr: string,
  values: string[],
  globs: string[],
  oneLine = false,
): string {
  const parts: string[] = [];
  if (values.length > 0) parts.push(`${expr} IN (${values.map((v) => d.literal(v)).join(', ')})`);
  const likes = oneLine ? globs.map(globToLike) : [];
  for (const like of likes) if (like !== undefined) parts.push(`${expr} LIKE ${d.literal(like)}`);
  const regexGlobs = globs.filter((_, i) => likes[i] === undefined);
  if (regexGlobs.length > 0)
    parts.push(
      d.regexpMatches(
        expr,
        regexGlobs
          .map(globToRegex)
          .map((r) => `(${r})`)
          .join('|'),
      ),
    );
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
}

/** Condition on the cleaned raw text: a placeholder, not a value. */
export function junkCleanedCondition(d: Dialect, type: IdType, cleaned: string): string {
  if (type.normalize === 'phone')
    return `(${cleaned} = '' OR ${d.regexpMatches(cleaned, JUNK_PHONE_DIGITS)})`;
  // all zeros, all dashes, the zero UUID: nothing left after trimming zeros and dashes. CASE,
  // not AND: an engine may evaluate both sides of an AND on every row, and the trim is only
  // worth it on a value starting with a zero or a dash (a NULL stays NULL, as with the AND).
  const zeros = `CASE WHEN NOT (${cleaned} LIKE '0%' OR ${cleaned} LIKE '-%') THEN FALSE ELSE ${d.trimChars(cleaned, '0-')} = '' END`;
  // a value longer than every word is none of them: one length test spares the list lookup
  const longest = Math.max(...JUNK_WORDS.map((w) => [...w].length));
  const word = `CASE WHEN length(${cleaned}) > ${longest} THEN FALSE ELSE ${cleaned} IN (${JUNK_WORDS.map((w) => d.literal(w)).join(', ')}) END`;
  return `(${word} OR ${zeros})`;
}

/** Condition on the normalized value: a known junk value of this type. */
export function junkValueCondition(d: Dialect, type: IdType, value: string): string {
  if (type.normalize === 'phone') return d.regexpMatches(value, JUNK_PHONE_E164);
  if (type.normalize === 'email') {
    return matchesAny(
      d,
      value,
      JUNK_EMAILS.filter((e) => !isGlob(e)),
      JUNK_EMAILS.filter(isGlob),
      true,
    );
  }
  return 'FALSE';
}
