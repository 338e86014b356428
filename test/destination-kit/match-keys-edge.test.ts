/** Edge cases of the match-key library, and the demo data's own messiness (src/seed/noise.ts). */
import { describe, expect, it } from 'vitest';
import {
  isSha256Hex,
  matchKey,
  matchKeyKinds,
  normalizeBirthDate,
  normalizeMatchKey,
  sha256Hex,
  toE164,
} from '../../src/destination-kit/index.js';
import { presentEmail, presentPhone } from '../../src/seed/noise.js';
import { Rng } from '../../src/seed/prng.js';
import { JUNK_EMAILS, JUNK_PHONES } from '../../src/seed/vocab.js';

describe('phones to E.164', () => {
  it.each([
    ['(415) 555-2671', '+14155552671'],
    ['+1 415-555-2671', '+14155552671'],
    ['4155552671', '+14155552671'],
    ['415.555.2671', '+14155552671'],
    [' 1-415-555-2671 ', '+14155552671'],
    ['+14155552671', '+14155552671'],
    ['415-555-2671 ext. 12', '+14155552671'],
    ['415 555 2671 x9', '+14155552671'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+44 844 412 4653', '+448444124653'],
    ['４１５５５５２６７１', '+14155552671'],
  ])('%s → %s', (input, e164) => {
    expect(toE164(input)).toBe(e164);
  });

  it('uses the default calling code for national numbers, dropping a trunk 0', () => {
    expect(toE164('020 7946 0958', '44')).toBe('+442079460958');
    expect(toE164('07911 123456', '44')).toBe('+447911123456');
    expect(toE164('447911123456', '44')).toBe('+447911123456');
    expect(toE164('+1 415 555 2671', '44')).toBe('+14155552671');
  });

  it.each([
    '0000000000',
    '1234567890',
    '555-5555',
    '000-000-0000',
    'null',
    'n/a',
    '',
    '   ',
    '1-800-FLOWERS',
    '415-555-2671-999',
    '+0 123 4567',
    '+1 911 555 2671',
    '415+555+2671',
    '12',
  ])('%j is not a phone: null, never a hash', (input) => {
    expect(toE164(input)).toBeNull();
    expect(matchKey('meta', 'phone', input)).toBeNull();
    expect(matchKey('google_ads', 'phone', input)).toBeNull();
  });

  it('reads numbers and bigints, rejects other values', () => {
    expect(toE164(4155552671)).toBe('+14155552671');
    expect(toE164(14155552671n)).toBe('+14155552671');
    expect(toE164({ phone: '4155552671' })).toBeNull();
    expect(() => toE164('4155552671', '+1')).toThrow(/calling code/);
  });

  it('gives Meta digits with the country code and no leading zeros', () => {
    expect(normalizeMatchKey('meta', 'phone', '0044 844 412 4653')).toBe('448444124653');
    expect(normalizeMatchKey('meta', 'phone', '07911 123456', { defaultCallingCode: '44' })).toBe(
      '447911123456',
    );
  });
});

describe('emails', () => {
  it.each([
    ['  Jane.Doe@Example.COM\t', 'jane.doe@example.com'],
    ['jane doe@example.com', 'janedoe@example.com'],
    ['\u200bjane@example.com\ufeff', 'jane@example.com'],
    ['mailto:Jane@Example.com', 'jane@example.com'],
    ['jane@example.com.', 'jane@example.com'],
  ])('%j → %s', (input, normalized) => {
    expect(normalizeMatchKey('meta', 'email', input)).toBe(normalized);
  });

  it.each(['', 'null', 'N/A', 'none', 'jane@', '@example.com', 'a@b@c.com', 'jane@localhost', 'jane@.com'])(
    '%j is not an address: null',
    (input) => {
      expect(matchKey('meta', 'email', input)).toBeNull();
      expect(matchKey('google_ads', 'email', input)).toBeNull();
    },
  );

  it('applies the gmail rule for Google only, and null when nothing of the local part is left', () => {
    expect(normalizeMatchKey('google_ads', 'email', 'J.Doe+Shop@GMail.com')).toBe('jdoe@gmail.com');
    expect(normalizeMatchKey('meta', 'email', 'J.Doe+Shop@GMail.com')).toBe('j.doe+shop@gmail.com');
    expect(normalizeMatchKey('google_ads', 'email', '+shop@gmail.com')).toBeNull();
  });
});

describe('names, places, people', () => {
  it('keeps letters of every script, composes accents, drops punctuation', () => {
    const decomposed = 'Vale\u0301ry';
    expect(matchKey('meta', 'first_name', decomposed)).toBe(matchKey('meta', 'first_name', 'Valéry'));
    expect(normalizeMatchKey('meta', 'last_name', " O'Brien-Smith ")).toBe('obriensmith');
    expect(normalizeMatchKey('meta', 'first_name', 'ÉMILIE')).toBe('émilie');
    expect(normalizeMatchKey('meta', 'last_name', 'Müller')).toBe('müller');
    expect(normalizeMatchKey('meta', 'first_name', '山田')).toBe('山田');
    expect(normalizeMatchKey('google_ads', 'first_name', '  Mary   Ann ')).toBe('mary ann');
    expect(normalizeMatchKey('google_ads', 'last_name', "D'Angelo")).toBe('dangelo');
    expect(normalizeMatchKey('google_ads', 'first_name', 'Dr')).toBe('dr');
  });

  it('normalizes to null when nothing is left', () => {
    for (const kind of ['first_name', 'last_name', 'city', 'state'] as const) {
      expect(matchKey('meta', kind, ' - . ')).toBeNull();
      expect(matchKey('meta', kind, null)).toBeNull();
    }
    expect(matchKey('meta', 'country', 'Narnia')).toBeNull();
    expect(matchKey('meta', 'gender', 'unknown')).toBeNull();
    expect(matchKey('meta', 'postal_code', '#!')).toBeNull();
  });

  it('keeps postal codes as text (leading zeros) and trims ZIP+4', () => {
    expect(normalizeMatchKey('meta', 'postal_code', '02134')).toBe('02134');
    expect(normalizeMatchKey('meta', 'postal_code', '021341234')).toBe('02134');
    expect(normalizeMatchKey('meta', 'postal_code', 'K1A 0B1')).toBe('k1a0b1');
  });

  it.each([
    ['1997-02-16', '19970216'],
    ['1997/2/16', '19970216'],
    ['19970216', '19970216'],
    ['1997-02-16T00:00:00Z', '19970216'],
    ['16/02/1997', '19970216'],
    ['02/03/1997', '19970203'],
  ])('birth date %s → %s', (input, normalized) => {
    expect(normalizeMatchKey('meta', 'birth_date', input)).toBe(normalized);
  });

  it('rejects impossible and out-of-range birth dates', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(normalizeBirthDate(new Date(Date.UTC(1980, 0, 31)), now)).toBe('19800131');
    expect(normalizeBirthDate('1997-02-30', now)).toBeNull();
    expect(normalizeBirthDate('1899-12-31', now)).toBeNull();
    expect(normalizeBirthDate('2027-01-01', now)).toBeNull();
    expect(normalizeBirthDate('13/13/1997', now)).toBeNull();
    expect(normalizeBirthDate('1997', now)).toBeNull();
    expect(normalizeBirthDate(new Date(Number.NaN), now)).toBeNull();
  });
});

describe('hashing', () => {
  it('passes an already-hashed value through (lowercased) instead of hashing it twice', () => {
    const hashed = sha256Hex('jane@example.com');
    expect(isSha256Hex(` ${hashed.toUpperCase()} `)).toBe(true);
    expect(matchKey('meta', 'email', hashed)).toBe(hashed);
    expect(matchKey('google_ads', 'phone', ` ${hashed.toUpperCase()} `)).toBe(hashed);
    expect(matchKey('meta', 'email', 'jane@example.com')).toBe(hashed);
  });

  it('does not treat a 64-hex external id as a hash to pass: unhashed kinds are sent as given', () => {
    const id = 'A'.repeat(64);
    expect(matchKey('meta', 'external_id', id)).toBe(id);
  });

  it('refuses kinds a platform does not match on', () => {
    expect(matchKeyKinds('google_ads')).not.toContain('gender');
    expect(() => matchKey('google_ads', 'gender', 'f')).toThrow(/google_ads does not match on gender/);
    expect(matchKeyKinds('meta')).toHaveLength(12);
  });

  it('rejects malformed mobile advertising ids and the opted-out all-zero id', () => {
    expect(matchKey('meta', 'mobile_ad_id', 'not-an-id')).toBeNull();
    expect(matchKey('meta', 'mobile_ad_id', '00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(matchKey('google_ads', 'mobile_ad_id', 'AECE52E7-03EE-455A-B3C4-E57283966239')).toBe(
      'AECE52E7-03EE-455A-B3C4-E57283966239',
    );
  });
});

describe('the demo data (src/seed) normalizes back to the person', () => {
  const rates = { junk: 0.1, missing: 0.05 };

  it('every noisy phone spelling gives the canonical E.164 or, for junk and missing, null', () => {
    const junk = new Set<string>(JUNK_PHONES);
    for (let i = 0; i < 400; i++) {
      const rng = Rng.forKey(7, i, 1);
      const digits = `415${200 + (i % 700)}${String(i).padStart(4, '0')}`;
      const shown = presentPhone(rng, digits, rates);
      const e164 = toE164(shown);
      if (shown === null || junk.has(shown)) expect(e164, String(shown)).toBeNull();
      else expect(e164, shown).toBe(`+1${digits}`);
    }
  });

  it('every noisy email gives the canonical address (Google: also across gmail spellings)', () => {
    const junk = new Set<string>(JUNK_EMAILS);
    for (let i = 0; i < 400; i++) {
      const rng = Rng.forKey(7, i, 2);
      const email = i % 2 ? `mary.smith${i}@gmail.com` : `mary.smith${i}@example.com`;
      const shown = presentEmail(rng, email, rates, 'shop');
      if (shown === null || junk.has(shown)) {
        // Junk that is shaped like an address (test@test.com) is kept: it is not ours to judge.
        if (shown === null || !shown.includes('@')) expect(matchKey('meta', 'email', shown)).toBeNull();
        continue;
      }
      // Meta documents trim + lowercase only: gmail dots and +tags stay as typed.
      expect(normalizeMatchKey('meta', 'email', shown), shown).toBe(
        i % 2 ? shown.trim().toLowerCase() : email,
      );
      const canonical = i % 2 ? `marysmith${i}@gmail.com` : email;
      expect(normalizeMatchKey('google_ads', 'email', shown), shown).toBe(canonical);
    }
  });
});
