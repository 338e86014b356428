/** Shared types of the match-key library: identifier kinds, platforms, options. */

/** A kind of identifier an ad or email platform can match people on. */
export type MatchKeyKind =
  | 'email'
  | 'phone'
  | 'first_name'
  | 'last_name'
  | 'city'
  | 'state'
  | 'postal_code'
  | 'country'
  | 'gender'
  | 'birth_date'
  | 'external_id'
  | 'mobile_ad_id';

/**
 * Whose rules to apply. `google_ads` (Customer Match) and `meta` (Custom Audiences) get each
 * platform's documented normalization and SHA-256; `plain` is for email tools (Klaviyo,
 * Mailchimp, Braze) that take the identifier itself: normalized, never hashed.
 */
export type MatchPlatform = 'google_ads' | 'meta' | 'plain';

/** Options for normalizing one value. */
export interface MatchKeyOptions {
  /**
   * Calling code (digits, no '+') for phones written without one, e.g. '1' (NANP, the default)
   * or '44'. Phones written with '+' or '00' keep their own.
   */
  defaultCallingCode?: string;
}

/** How a platform treats one kind: its normalizer, and whether the result is SHA-256 hashed. */
export interface MatchKeyRule {
  /** Normalized text, or null when the value normalizes to nothing usable. */
  normalize(value: unknown, options: MatchKeyOptions): string | null;
  /** True: send SHA-256 lowercase hex of the normalized text; false: send the normalized text. */
  hashed: boolean;
}
