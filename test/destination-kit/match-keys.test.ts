/**
 * The platforms' own published examples, as vectors. Hashes were checked with `sha256sum`/`md5sum`
 * as well; each block cites where the example is published.
 */
import { describe, expect, it } from 'vitest';
import { mailchimpSubscriberHash, matchKey, normalizeMatchKey } from '../../src/destination-kit/index.js';

describe('Meta: published normalization and hash examples', () => {
  // https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
  // (the same normalization the Custom Audiences customer-file guide asks for:
  // https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences)
  it.each([
    [
      'email',
      'John_Smith@gmail.com',
      'john_smith@gmail.com',
      '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
    ],
    [
      'phone',
      '(650)555-1212',
      '16505551212',
      'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    ],
    ['first_name', 'Mary', 'mary', '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
    ['first_name', '정', '정', '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14'],
    ['first_name', 'Valéry', 'valéry', '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c'],
    ['last_name', 'Valéry', 'valéry', '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c'],
    [
      'birth_date',
      '2/16/1997',
      '19970216',
      '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c',
    ],
    ['country', 'United States', 'us', '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621'],
  ] as const)('%s %s → %s → its published SHA-256', (kind, input, normalized, hash) => {
    expect(normalizeMatchKey('meta', kind, input)).toBe(normalized);
    expect(matchKey('meta', kind, input)).toBe(hash);
  });

  // Same page: formats given without a published hash (gender f/m, city, state, zip examples).
  it.each([
    ['gender', 'Female', 'f'],
    ['gender', 'm', 'm'],
    ['city', 'New York', 'newyork'],
    ['city', 'Paris', 'paris'],
    ['state', 'AZ', 'az'],
    ['state', 'California', 'ca'],
    ['postal_code', '94035', '94035'],
    ['postal_code', '94035-1234', '94035'],
    ['postal_code', 'M1 1AE', 'm11ae'],
    ['postal_code', '75018', '75018'],
    ['postal_code', '1987', '1987'],
  ] as const)('%s %s → %s', (kind, input, normalized) => {
    expect(normalizeMatchKey('meta', kind, input)).toBe(normalized);
  });

  // Custom Audiences: MADID (lowercase, hyphens kept) and EXTERN_ID are sent unhashed.
  it('sends MADID lowercase and EXTERN_ID as given, unhashed', () => {
    expect(matchKey('meta', 'mobile_ad_id', 'AECE52E7-03EE-455A-B3C4-E57283966239')).toBe(
      'aece52e7-03ee-455a-b3c4-e57283966239',
    );
    expect(matchKey('meta', 'external_id', ' CRM-00042 ')).toBe('CRM-00042');
  });
});

describe('Google Ads Customer Match: published normalization examples', () => {
  // https://developers.google.com/data-manager/api/devguides/concepts/formatting
  // (Customer Match's "normalize and hash" rules; hashes below computed with sha256sum).
  it('canonicalizes gmail.com addresses and leaves other domains their dots and plus signs', () => {
    expect(normalizeMatchKey('google_ads', 'email', 'cloudy.sanfrancisco+shopping@gmail.com')).toBe(
      'cloudysanfrancisco@gmail.com',
    );
    expect(matchKey('google_ads', 'email', 'cloudy.sanfrancisco+shopping@gmail.com')).toBe(
      '223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4',
    );
    expect(normalizeMatchKey('google_ads', 'email', 'user.name+NYC@Example.com')).toBe(
      'user.name+nyc@example.com',
    );
    expect(matchKey('google_ads', 'email', 'user.name+NYC@Example.com')).toBe(
      'f109a2a632fbcea5fc82049f50beed3d8621bf9034399f437fb622222acccdac',
    );
    expect(normalizeMatchKey('google_ads', 'email', 'j.doe+ads@googlemail.com')).toBe('jdoe@googlemail.com');
  });

  it('formats phones in E.164 with the plus sign, then hashes', () => {
    expect(normalizeMatchKey('google_ads', 'phone', '(800)555-0100')).toBe('+18005550100');
    expect(matchKey('google_ads', 'phone', '(800)555-0100')).toBe(
      'fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30',
    );
  });

  it('lowercases names without prefixes or suffixes, and hashes them', () => {
    expect(normalizeMatchKey('google_ads', 'first_name', ' Mrs. Mary ')).toBe('mary');
    expect(normalizeMatchKey('google_ads', 'last_name', 'Smith Jr.')).toBe('smith');
    expect(matchKey('google_ads', 'first_name', 'Mary')).toBe(
      '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
    );
  });

  it('sends country (ISO-3166-1 alpha-2) and postal code unhashed', () => {
    expect(matchKey('google_ads', 'country', ' us ')).toBe('US');
    expect(matchKey('google_ads', 'country', 'United Kingdom')).toBe('GB');
    expect(matchKey('google_ads', 'postal_code', ' 94035-1234 ')).toBe('94035-1234');
  });
});

describe('Mailchimp subscriber hash', () => {
  // https://mailchimp.com/developer/marketing/guides/manage-subscribers-with-the-mailchimp-api/
  // "The MD5 hash of urist.mcvankab@freddiesjokes.com is 62eeb292278cc15f5817cb78f7790b08."
  it('is MD5 of the lowercase address', () => {
    expect(mailchimpSubscriberHash('Urist.McVankab@freddiesjokes.com')).toBe(
      '62eeb292278cc15f5817cb78f7790b08',
    );
    expect(mailchimpSubscriberHash('  urist.mcvankab@FREDDIESJOKES.com ')).toBe(
      '62eeb292278cc15f5817cb78f7790b08',
    );
    expect(mailchimpSubscriberHash('n/a')).toBeNull();
  });
});

describe('plain identifiers for email tools (Klaviyo, Braze, Mailchimp)', () => {
  it('keeps the real address (no gmail rule) and the E.164 phone, never hashed', () => {
    expect(matchKey('plain', 'email', ' First.Last+news@Gmail.com ')).toBe('first.last+news@gmail.com');
    expect(matchKey('plain', 'phone', '650.555.1212')).toBe('+16505551212');
  });
});
