/**
 * Which identifiers live identity may use, decided as the identity build decides it (the SQL of
 * src/identity/wide.ts, stage by stage): normalized by ../normalize.ts, then refused when the
 * cleaned raw text is a placeholder (junk words, one repeated digit…), when normalization rejects
 * it, when the normalized value is a known junk value (fictional phones, noreply@…), or when the
 * blocklist of identity.yml names it. test/realtime/live-screen.test.ts runs both over the same
 * inputs.
 */
import type { IdentityConfig } from '../../config/types.js';
import type { IdType } from '../../identity/context.js';
import { idTypesOf } from '../../identity/id-types.js';
import {
  globToRegex,
  isGlob,
  JUNK_EMAILS,
  JUNK_PHONE_DIGITS,
  JUNK_PHONE_E164,
  JUNK_WORDS,
} from '../../identity/junk.js';
import { EDGE_CHARS, normalizeValue, trimChars, WHITESPACE } from '../normalize.js';

/** Why a value is not used (the build's `reason` column), or undefined when it is usable. */
export type Refusal = 'missing' | 'junk' | 'invalid' | 'blocklist';

/** The outcome of screening one raw value. */
export type Screened = { value: string } | { refused: Refusal };

const junkPhoneDigits = new RegExp(JUNK_PHONE_DIGITS);
const junkPhoneE164 = new RegExp(JUNK_PHONE_E164);

/** The cleaned form junk words are checked on (normalize.ts `cleaned` of stage 0). */
function cleaned(type: IdType, raw: string): string {
  if (type.normalize === 'email')
    return trimChars(trimChars(raw.toLowerCase(), EDGE_CHARS).replaceAll('mailto:', ''), EDGE_CHARS);
  if (type.normalize === 'phone') return raw.replace(/[^0-9+]/g, '').replaceAll('+', '');
  return trimChars(raw, WHITESPACE).toLowerCase();
}

function junkCleaned(type: IdType, value: string): boolean {
  if (type.normalize === 'phone') return value === '' || junkPhoneDigits.test(value);
  return JUNK_WORDS.includes(value) || trimChars(value, '0-') === '';
}

/** Exact values and glob patterns, matched against normalized values. */
interface Matcher {
  values: Set<string>;
  pattern?: RegExp;
}

function matcher(values: string[], globs: string[]): Matcher {
  return {
    values: new Set(values),
    ...(globs.length > 0 ? { pattern: new RegExp(globs.map((g) => `(${globToRegex(g)})`).join('|')) } : {}),
  };
}

function matches(m: Matcher, value: string): boolean {
  return m.values.has(value) || (m.pattern?.test(value) ?? false);
}

const junkEmails = matcher(
  JUNK_EMAILS.filter((e) => !isGlob(e)),
  JUNK_EMAILS.filter(isGlob),
);

/** Screens raw values per id type of one identity.yml. */
export class IdentifierScreen {
  readonly types: Map<string, IdType>;
  private readonly blocked = new Map<string, Matcher>();

  constructor(config: IdentityConfig) {
    this.types = new Map(idTypesOf(config).map((t) => [t.name, t]));
    for (const type of this.types.values()) {
      const entries = config.blocklist[type.name] ?? [];
      // exact entries are normalized like the data (loadBlocklist); globs lowercased for emails
      const values = entries
        .filter((e) => !isGlob(e))
        .map((e) => normalizeValue(type, e))
        .filter((v): v is string => v !== null);
      const globs = entries.filter(isGlob).map((g) => (type.normalize === 'email' ? g.toLowerCase() : g));
      this.blocked.set(type.name, matcher(values, globs));
    }
  }

  /** The usable normalized value of `raw` as id type `typeName`, or why it is refused (unknown type: 'invalid'). */
  screen(typeName: string, raw: string | null | undefined): Screened {
    const type = this.types.get(typeName);
    if (!type) return { refused: 'invalid' };
    if (raw === null || raw === undefined) return { refused: 'missing' };
    if (junkCleaned(type, cleaned(type, raw))) return { refused: 'junk' };
    const value = normalizeValue(type, raw);
    if (value === null) return { refused: 'invalid' };
    if (type.normalize === 'phone' && junkPhoneE164.test(value)) return { refused: 'junk' };
    if (type.normalize === 'email' && matches(junkEmails, value)) return { refused: 'junk' };
    const blocked = this.blocked.get(type.name);
    if (blocked && matches(blocked, value)) return { refused: 'blocklist' };
    return { value };
  }
}
