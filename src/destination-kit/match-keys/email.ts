/**
 * Email normalization. Every platform: whitespace removed (an address cannot contain any, so this
 * only undoes typing noise) and lowercased. Google additionally canonicalizes gmail.com and
 * googlemail.com local parts: dots removed and a `+tag` dropped, as its formatting guide shows
 * (cloudy.sanfrancisco+shopping@gmail.com → cloudysanfrancisco@gmail.com; other domains keep
 * dots and plus signs). A value that is not shaped like an address (no single `@`, empty local
 * part, a domain without a dot: `null`, `N/A`, `none`) normalizes to null.
 */
import { cleanText } from './text.js';

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** Options of normalizeEmail. */
export interface EmailOptions {
  /** Google's gmail rule: drop dots and the `+tag` in gmail.com/googlemail.com local parts. */
  canonicalGmail?: boolean;
}

/** The normalized address, or null when the value is not an email address. */
export function normalizeEmail(value: unknown, options: EmailOptions = {}): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const address = text
    .replace(/\s+/gu, '')
    .toLowerCase()
    .replace(/^mailto:/, '');
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return null;
  let local = address.slice(0, at);
  const domain = address.slice(at + 1).replace(/\.$/, '');
  if (!/^[^.]+(\.[^.]+)+$/u.test(domain)) return null;
  if (options.canonicalGmail && GMAIL_DOMAINS.has(domain)) {
    local = (local.split('+')[0] ?? '').replace(/\./g, '');
    if (local === '') return null;
  }
  return `${local}@${domain}`;
}
