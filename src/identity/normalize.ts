/**
 * Normalization per id type as SQL, in three stages so no expression is repeated inside another
 * (each stage reads the previous stage's column). The result is NULL when the value is rejected.
 */
import type { Dialect } from '../warehouse/types.js';
import type { IdType } from './context.js';

/** Stage count every normalizer is padded to. */
export const NORMALIZE_STAGES = 3;

/** How one id type is normalized: stage expressions over the previous stage, plus a junk-check form. */
export interface Normalizer {
  /** `stages[i](previous)`; stage 0 reads the raw text. The last stage yields the match key or NULL. */
  stages: Array<(previous: string) => string>;
  /** A cleaned form (lowercase, trimmed…) that junk patterns are checked against, from stage 0's output. */
  cleaned(stage0: string): string;
}

/** Whitespace, quotes and angle brackets: stripped from the ends of emails. */
const EDGE_CHARS = ' \t\r\n"\'<>';
const WHITESPACE = ' \t\r\n';
const VALID_EMAIL = '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$';
/**
 * A *possible* number, kept as an identifier: NANP (country code 1) is 10 national digits with an
 * area code of 2-9 (0 and 1 never start one); any other country code, 8 to 15 digits in all.
 * Exchanges starting with 0 or 1 are unassigned, yet such numbers recur identically across a
 * customer's systems (typos copied along, placeholder-like real lines), so they still link.
 */
export const POSSIBLE_E164_DIGITS = '^(1[2-9][0-9]{9}|[2-9][0-9]{7,14})$';
/**
 * Strict numbering-plan validity, reported as a flag only (identity report, `identity explain`):
 * NANP also needs an exchange of 2-9. Other country codes: no per-country plan, possible = valid.
 */
export const VALID_E164_DIGITS = '^(1[2-9][0-9]{2}[2-9][0-9]{6}|[2-9][0-9]{7,14})$';

/** Whether a normalized phone (`+` and digits) is strictly valid under its numbering plan. */
export function phoneStrictlyValidSql(d: Dialect, e164: string): string {
  return d.regexpMatches(`replace(${e164}, '+', '')`, VALID_E164_DIGITS);
}

/** The same check in TypeScript (same pattern), for one value already normalized. */
export function phoneStrictlyValid(e164: string): boolean {
  return new RegExp(VALID_E164_DIGITS).test(e164.replace('+', ''));
}

function emailNormalizer(d: Dialect): Normalizer {
  return {
    stages: [
      // lowercase; strip whitespace, quotes and angle brackets at the ends, and a mailto: prefix.
      // Nearly every address needs none of it: a trim with a character set costs several times
      // the one regexp telling whether there is anything to strip (the result is the same).
      (raw) => {
        const lowered = `lower(${raw})`;
        const edge = `[${EDGE_CHARS}]`;
        const strip = d.trimChars(`replace(${d.trimChars(lowered, EDGE_CHARS)}, 'mailto:', '')`, EDGE_CHARS);
        return `CASE WHEN ${d.regexpMatches(lowered, `^${edge}|${edge}$|mailto:`)} THEN ${strip} ELSE ${lowered} END`;
      },
      // gmail: dots and +tag in the local part do not matter; googlemail.com is gmail.com
      (e) =>
        `CASE WHEN NOT ${d.regexpMatches(e, VALID_EMAIL)} THEN NULL` +
        // LIKE, not a regexp: cheaper, and the same on a valid email (no line break)
        ` WHEN (${e} LIKE '%@gmail.com' OR ${e} LIKE '%@googlemail.com')` +
        ` THEN ${d.regexpReplaceAll(d.regexpReplaceAll(e, '\\+.*@.*$|@.*$', ''), '\\.', '')} || '@gmail.com'` +
        ` ELSE ${e} END`,
      // a gmail local part of only a +tag leaves nothing
      (e) => `CASE WHEN ${e} LIKE '@%' THEN NULL ELSE ${e} END`,
    ],
    cleaned: (stage0) => stage0,
  };
}

/**
 * Phone → E.164 (`+` and digits). `+…` and `00…` are international; otherwise the default
 * country code is prepended (a national trunk `0` dropped), unless the digits already start
 * with it and are long enough to hold it (`1 415 555 2671` with code 1).
 */
function phoneNormalizer(d: Dialect, countryCode: string | undefined): Normalizer {
  const cc = countryCode ?? '';
  const minWithCode = cc === '1' ? 11 : cc.length + 8;
  const national = (digits: string): string => {
    if (cc === '') return digits;
    const hasCode = d.regexpMatches(digits, `^${cc}[0-9]{${minWithCode - cc.length},}$`);
    return `CASE WHEN ${hasCode} THEN ${digits} ELSE ${d.literal(cc)} || ${d.regexpReplaceAll(digits, '^0+', '')} END`;
  };
  return {
    stages: [
      (raw) => d.regexpReplaceAll(raw, '[^0-9+]', ''),
      (p) =>
        `CASE WHEN ${p} LIKE '+%' THEN replace(${p}, '+', '')` +
        ` WHEN ${p} LIKE '00%' THEN ${d.regexpReplaceAll(p, '^00|[^0-9]', '')}` +
        ` ELSE ${national(`replace(${p}, '+', '')`)} END`,
      (digits) => `CASE WHEN ${d.regexpMatches(digits, POSSIBLE_E164_DIGITS)} THEN '+' || ${digits} END`,
    ],
    cleaned: (stage0) => `replace(${stage0}, '+', '')`,
  };
}

/** Other ids: trimmed, case kept; empty → NULL. */
function trimNormalizer(d: Dialect): Normalizer {
  return {
    stages: [(raw) => d.trimChars(raw, WHITESPACE), (s) => s, (s) => `NULLIF(${s}, '')`],
    cleaned: (stage0) => `lower(${stage0})`,
  };
}

/** The normalizer of an id type. */
export function normalizerFor(d: Dialect, type: IdType): Normalizer {
  if (type.normalize === 'email') return emailNormalizer(d);
  if (type.normalize === 'phone') return phoneNormalizer(d, type.defaultCountryCode);
  return trimNormalizer(d);
}

/** The normalized value of a single expression (stages nested; for literals and small queries). */
export function normalizeExpr(d: Dialect, type: IdType, raw: string): string {
  return normalizerFor(d, type).stages.reduce((expr, stage) => stage(expr), raw);
}
