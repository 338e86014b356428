/**
 * Each platform's rule per identifier kind: which normalizer, and whether it is hashed.
 * Sources (see test/destination-kit/match-keys*.test.ts for their published examples):
 * - Google Ads Customer Match: https://developers.google.com/google-ads/api/docs/remarketing/audience-segments/customer-match/get-started
 *   and the formatting guide https://developers.google.com/data-manager/api/devguides/concepts/formatting
 *   (email, phone, names hashed; country code and postal code not hashed; no city/state/gender/
 *   birth date in Customer Match).
 * - Meta Custom Audiences: https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences
 *   and https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
 *   (everything hashed except MADID and EXTERN_ID).
 * - plain (Klaviyo, Mailchimp, Braze take the identifier itself): email trimmed and lowercased
 *   without Google's gmail rule (it is the address mail goes to), phone in E.164 with `+`.
 */
import { normalizeEmail } from './email.js';
import { normalizeExternalId, normalizeMobileAdId } from './ids.js';
import {
  countryCode,
  normalizeCityForMeta,
  normalizePostalForGoogle,
  normalizePostalForMeta,
  normalizeStateForMeta,
} from './location.js';
import { normalizeNameForGoogle, normalizeNameForMeta } from './names.js';
import { normalizeBirthDate, normalizeGender } from './person.js';
import { toE164 } from './phone.js';
import type { MatchKeyKind, MatchKeyRule, MatchPlatform } from './types.js';

const hashed = (normalize: MatchKeyRule['normalize']): MatchKeyRule => ({ normalize, hashed: true });
const unhashed = (normalize: MatchKeyRule['normalize']): MatchKeyRule => ({ normalize, hashed: false });

const googleAds: Partial<Record<MatchKeyKind, MatchKeyRule>> = {
  email: hashed((value) => normalizeEmail(value, { canonicalGmail: true })),
  phone: hashed((value, options) => toE164(value, options.defaultCallingCode)),
  first_name: hashed((value) => normalizeNameForGoogle(value, 'first')),
  last_name: hashed((value) => normalizeNameForGoogle(value, 'last')),
  country: unhashed((value) => countryCode(value)?.toUpperCase() ?? null),
  postal_code: unhashed(normalizePostalForGoogle),
  external_id: unhashed(normalizeExternalId),
  mobile_ad_id: unhashed((value) => normalizeMobileAdId(value, false)),
};

const meta: Partial<Record<MatchKeyKind, MatchKeyRule>> = {
  email: hashed((value) => normalizeEmail(value)),
  // Digits with the country code, no '+' and no leading zeros: E.164 without its '+'.
  phone: hashed((value, options) => toE164(value, options.defaultCallingCode)?.slice(1) ?? null),
  first_name: hashed(normalizeNameForMeta),
  last_name: hashed(normalizeNameForMeta),
  city: hashed(normalizeCityForMeta),
  state: hashed(normalizeStateForMeta),
  postal_code: hashed(normalizePostalForMeta),
  country: hashed(countryCode),
  gender: hashed(normalizeGender),
  birth_date: hashed((value) => normalizeBirthDate(value)),
  external_id: unhashed(normalizeExternalId),
  mobile_ad_id: unhashed((value) => normalizeMobileAdId(value, true)),
};

const plain: Partial<Record<MatchKeyKind, MatchKeyRule>> = {
  email: unhashed((value) => normalizeEmail(value)),
  phone: unhashed((value, options) => toE164(value, options.defaultCallingCode)),
  external_id: unhashed(normalizeExternalId),
};

/** Every platform's rules. */
export const PLATFORM_RULES: Record<MatchPlatform, Partial<Record<MatchKeyKind, MatchKeyRule>>> = {
  google_ads: googleAds,
  meta,
  plain,
};
