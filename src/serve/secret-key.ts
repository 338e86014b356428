/**
 * The secret-key rule of read endpoints (`/v1/tail`, `/v1/profiles`): a Bearer token equal to
 * `serve.viewer_key` or `serve.admin_key`; with neither configured, loopback clients only.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Whether `request` may read with one of `keys`. */
export function secretKeyAllows(request: IncomingMessage, keys: string[]): boolean {
  if (keys.length === 0) {
    const address = request.socket.remoteAddress ?? '';
    return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  }
  const token = bearerToken(request);
  return token !== undefined && keys.some((key) => sameText(key, token));
}

/** The Bearer token of the Authorization header, if any. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  if (!header.toLowerCase().startsWith('bearer ')) return undefined;
  const token = header.slice(7).trim();
  return token.length > 0 ? token : undefined;
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
