/**
 * The ground truth's spelling of an identifier: undoes exactly the noise the demo seed adds
 * (case, whitespace, gmail dots and +tags, phone formats) so truth clusters can be computed
 * independently of the resolver under test. Junk needs no rule here: a value shared by several
 * true people never links anything in the truth clustering (see truth.ts).
 * Engine-specific pieces (split, regex replace, casts, substrings) come from the dialect.
 */
import type { Dialect } from '../warehouse/types.js';

/** SQL for the canonical form of `expr` (any type, read as text) under the id type's `normalize` kind. */
export function oracleValue(d: Dialect, expr: string, normalize: 'email' | 'phone' | undefined): string {
  const text = d.cast(expr, 'string');
  if (normalize === 'email') {
    const email = d.regexpReplaceAll(`lower(${text})`, '\\s', '');
    const local = d.splitPart(email, '@', 1);
    const domain = d.splitPart(email, '@', 2);
    return `CASE WHEN ${email} NOT LIKE '%_@%_.%_' THEN NULL
      WHEN ${domain} IN ('gmail.com', 'googlemail.com')
        THEN replace(${d.splitPart(local, '+', 1)}, '.', '') || '@gmail.com'
      ELSE ${email} END`;
  }
  if (normalize === 'phone') {
    const digits = d.regexpReplaceAll(text, '[^0-9]', '');
    // 11 digits starting with the NANP country code 1: the 10 after it.
    return `CASE WHEN length(${digits}) = 11 AND ${digits} LIKE '1%' THEN ${d.substring(digits, 2, 10)}
      WHEN length(${digits}) = 10 THEN ${digits} END`;
  }
  // Spaces only, as the engines' one-argument trim did.
  return `NULLIF(${d.trimChars(text, ' ')}, '')`;
}
