/**
 * Customer Match user identifiers from mapped fields, normalized and hashed with the match-keys
 * `google_ads` rules: `email` → hashedEmail, `phone` → hashedPhoneNumber, and `first_name` +
 * `last_name` + `country` + `zip` → addressInfo (Google needs all four; country and zip are
 * not hashed); `external_id` → thirdPartyUserId and `mobile_ad_id` → mobileId for CRM-id and
 * mobile-id lists. A person sends at most 20 identifiers; these give at most five.
 */
import { type MatchKeyKind, matchKey } from '../../src/destination-kit/index.js';

/** One entry of `userIdentifiers` (exactly one field set). */
export type UserIdentifier =
  | { hashedEmail: string }
  | { hashedPhoneNumber: string }
  | {
      addressInfo: {
        hashedFirstName: string;
        hashedLastName: string;
        countryCode: string;
        postalCode: string;
      };
    }
  | { thirdPartyUserId: string }
  | { mobileId: string };

/** Destination fields a Google Ads sync may map. */
export const GOOGLE_ADS_FIELDS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'country',
  'zip',
  'external_id',
  'mobile_ad_id',
] as const;

/** The person's identifiers (empty when nothing normalizes to a usable value). */
export function userIdentifiers(
  fields: Record<string, unknown>,
  defaultCallingCode: string,
): UserIdentifier[] {
  const key = (kind: MatchKeyKind, field: string) =>
    matchKey('google_ads', kind, fields[field], { defaultCallingCode });
  const identifiers: UserIdentifier[] = [];
  const email = key('email', 'email');
  if (email) identifiers.push({ hashedEmail: email });
  const phone = key('phone', 'phone');
  if (phone) identifiers.push({ hashedPhoneNumber: phone });
  const [first, last, country, zip] = [
    key('first_name', 'first_name'),
    key('last_name', 'last_name'),
    key('country', 'country'),
    key('postal_code', 'zip'),
  ];
  if (first && last && country && zip)
    identifiers.push({
      addressInfo: { hashedFirstName: first, hashedLastName: last, countryCode: country, postalCode: zip },
    });
  const external = key('external_id', 'external_id');
  if (external) identifiers.push({ thirdPartyUserId: external });
  const mobile = key('mobile_ad_id', 'mobile_ad_id');
  if (mobile) identifiers.push({ mobileId: mobile });
  return identifiers;
}

/** Identifiers kept as the member's destination id, so a removal (which gets no fields) sends them. */
export function encodeIdentifiers(identifiers: UserIdentifier[]): string {
  return JSON.stringify(identifiers);
}

/** Identifiers of a destination id written by encodeIdentifiers (empty for anything else). */
export function decodeIdentifiers(destinationId: string | undefined): UserIdentifier[] {
  if (!destinationId?.startsWith('[')) return [];
  try {
    const value: unknown = JSON.parse(destinationId);
    return Array.isArray(value) ? (value as UserIdentifier[]) : [];
  } catch {
    return [];
  }
}
