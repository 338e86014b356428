/**
 * Match keys: identifiers normalized the way each platform documents, then SHA-256 (lowercase
 * hex) where the platform hashes them. Sloppy normalization silently kills match rates, so:
 * - a value that normalizes to nothing (blank, junk such as `null` or `N/A`, an unparseable
 *   phone, an impossible date) is null: send nothing rather than a hash of garbage;
 * - a value that already is a SHA-256 hex digest (64 hex digits) is passed through (lowercased)
 *   for hashed kinds instead of being hashed twice, so pre-hashed warehouse columns work.
 */
import { normalizeEmail } from './email.js';
import { isSha256Hex, md5Hex, sha256Hex } from './hash.js';
import { PLATFORM_RULES } from './platforms.js';
import type { MatchKeyKind, MatchKeyOptions, MatchKeyRule, MatchPlatform } from './types.js';

export { normalizeEmail } from './email.js';
export { isSha256Hex, md5Hex, sha256Hex } from './hash.js';
export { normalizeBirthDate, normalizeGender } from './person.js';
export { toE164 } from './phone.js';
export type { MatchKeyKind, MatchKeyOptions, MatchKeyRule, MatchPlatform } from './types.js';

/** The platform's rule for a kind, or undefined when the platform does not match on it. */
export function matchKeyRule(platform: MatchPlatform, kind: MatchKeyKind): MatchKeyRule | undefined {
  return PLATFORM_RULES[platform][kind];
}

/** Kinds a platform matches on. */
export function matchKeyKinds(platform: MatchPlatform): MatchKeyKind[] {
  return Object.keys(PLATFORM_RULES[platform]) as MatchKeyKind[];
}

function ruleOf(platform: MatchPlatform, kind: MatchKeyKind): MatchKeyRule {
  const rule = matchKeyRule(platform, kind);
  if (!rule) throw new Error(`${platform} does not match on ${kind}`);
  return rule;
}

/**
 * The value normalized by the platform's rule, before hashing (null: nothing usable). Throws for
 * a kind the platform does not match on (a programming error; see matchKeyKinds).
 */
export function normalizeMatchKey(
  platform: MatchPlatform,
  kind: MatchKeyKind,
  value: unknown,
  options: MatchKeyOptions = {},
): string | null {
  return ruleOf(platform, kind).normalize(value, options);
}

/**
 * What to send the platform for this value: the normalized value, SHA-256 hashed (lowercase hex)
 * when the platform hashes this kind; an already-hashed value passes through; null when the value
 * normalizes to nothing.
 */
export function matchKey(
  platform: MatchPlatform,
  kind: MatchKeyKind,
  value: unknown,
  options: MatchKeyOptions = {},
): string | null {
  const rule = ruleOf(platform, kind);
  if (rule.hashed && isSha256Hex(value)) return value.trim().toLowerCase();
  const normalized = rule.normalize(value, options);
  if (normalized === null) return null;
  return rule.hashed ? sha256Hex(normalized) : normalized;
}

/**
 * Mailchimp's subscriber hash: MD5 of the lowercase email address (the member id in
 * `/lists/{id}/members/{hash}`). Whitespace is removed first; no gmail rule. Null for a value that
 * is not an email address.
 */
export function mailchimpSubscriberHash(email: unknown): string | null {
  const normalized = normalizeEmail(email);
  return normalized === null ? null : md5Hex(normalized);
}
