/**
 * Phone numbers to E.164 (`+<calling code><number>`) without a dependency. The rules, and their
 * limits:
 * - `+` or `00` (and `011` when the default calling code is 1) start an international number:
 *   it keeps its own calling code. A `(0)` trunk marker after it (`+44 (0)20 …`) is dropped.
 * - Anything else is national and gets `defaultCallingCode` (default 1). For NANP (1) a national
 *   number is 10 digits, or 11 with a leading 1. For other codes one leading trunk `0` is dropped,
 *   and digits that already start with the code (7+ digits after it) are taken as international.
 * - NANP numbers (+1) are validated: area code and exchange start with 2-9, the area code is not
 *   an N11 service code. So `0000000000`, `1234567890` and `555-5555` are null.
 * - Other countries are only checked for E.164's length (8 to 15 digits, no leading 0); there are
 *   no per-country length tables, so a wrong-length foreign number can pass.
 * - An extension (`x12`, `ext. 12`, `#12`) is dropped. Letters anywhere else (vanity numbers
 *   such as 1-800-FLOWERS, `null`, `n/a`) or characters other than digits, spaces and `-.()/+`
 *   make the value null: an unparseable phone is null, never a hash of garbage.
 */
import { cleanText } from './text.js';

const NANP_NATIONAL = /^[2-9]\d{2}[2-9]\d{6}$/;
const N11 = /^[2-9]11$/;

function nanp(national: string): string | null {
  if (!NANP_NATIONAL.test(national) || N11.test(national.slice(0, 3))) return null;
  return `+1${national}`;
}

/** Checks international digits (calling code first). */
function international(digits: string): string | null {
  if (digits.startsWith('1')) return nanp(digits.slice(1));
  if (!/^[2-9]\d{7,14}$/.test(digits)) return null;
  return `+${digits}`;
}

function national(digits: string, callingCode: string): string | null {
  if (callingCode === '1') {
    return nanp(digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits);
  }
  if (digits.startsWith('0')) return international(callingCode + digits.slice(1));
  if (digits.startsWith(callingCode) && digits.length - callingCode.length >= 7) return international(digits);
  return international(callingCode + digits);
}

/** The phone in E.164 (`+14155550100`), or null when it cannot be read as a phone number. */
export function toE164(value: unknown, defaultCallingCode = '1'): string | null {
  if (!/^[1-9]\d{0,2}$/.test(defaultCallingCode))
    throw new Error(`invalid calling code '${defaultCallingCode}'`);
  const text = cleanText(typeof value === 'string' ? value.normalize('NFKC') : value);
  if (text === null) return null;
  const number = text.replace(/\s*(?:ext\.?|extension|x|#)\s*\d{1,6}$/i, '').replace(/\(0\)/, '');
  if (/[^\d\s\-.()/+]/.test(number)) return null;
  const plus = number.indexOf('+');
  if (plus > 0 || number.lastIndexOf('+') !== plus) return null;
  const digits = number.replace(/\D/g, '');
  if (digits === '') return null;
  if (plus === 0) return international(digits);
  if (digits.startsWith('00')) return international(digits.slice(2));
  if (defaultCallingCode === '1' && digits.startsWith('011')) return international(digits.slice(3));
  return national(digits, defaultCallingCode);
}
