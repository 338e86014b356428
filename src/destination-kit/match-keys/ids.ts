/** Identifiers sent as they are: the advertiser's own id and mobile advertising ids. */
import { cleanText } from './text.js';

/** External id (Meta EXTERN_ID, Google third-party user id): trimmed, never hashed or re-cased. */
export function normalizeExternalId(value: unknown): string | null {
  return cleanText(value);
}

/**
 * Mobile advertising id (Apple IDFA, Google AAID): a UUID (8-4-4-4-12 hex, hyphens kept), in
 * lowercase for Meta's MADID ("use all lowercase, keep hyphens"). The all-zero id that opted-out
 * devices report matches no one and is null.
 */
export function normalizeMobileAdId(value: unknown, lowercase: boolean): string | null {
  const text = cleanText(value);
  if (text === null || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text))
    return null;
  if (/^[0-]+$/.test(text)) return null;
  return lowercase ? text.toLowerCase() : text;
}
