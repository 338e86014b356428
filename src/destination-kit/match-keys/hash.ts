/** Digests used by the platforms: SHA-256 (ad platforms) and MD5 (Mailchimp's subscriber hash). */
import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of the UTF-8 text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Lowercase hex MD5 of the UTF-8 text. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** True for a value that already is a SHA-256 hex digest (64 hex digits, any case, trimmed). */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/i.test(value.trim());
}
