/** The webhook signature: X-Weft-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names (lower case, as node:http exposes them). */
export const TIMESTAMP_HEADER = 'x-weft-timestamp';
export const SIGNATURE_HEADER = 'x-weft-signature';

/** The signature header value for `body` sent at `timestamp` (unix seconds, as a string). */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Verifies a signature in constant time, and that the timestamp is within `toleranceSeconds` of
 * `now` (replay protection). Returns the reason it fails, or undefined when it is valid.
 */
export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  toleranceSeconds = 300,
  now: number = Date.now(),
): string | undefined {
  if (!timestamp || !signature) return 'missing X-Weft-Timestamp or X-Weft-Signature';
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds)) return 'invalid X-Weft-Timestamp';
  if (Math.abs(now / 1000 - seconds) > toleranceSeconds) return 'X-Weft-Timestamp outside the tolerance';
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return undefined;
}
