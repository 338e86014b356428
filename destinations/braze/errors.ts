/**
 * Braze's quirks on top of the generic classification: error bodies are `{"message": "…"}`, and
 * a 429 says when the window reopens in `X-RateLimit-Reset` (unix seconds) rather than always in
 * Retry-After.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';

/** Braze's `message`, or the raw text. */
export function brazeMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 300) || 'no message';
}

/** Milliseconds until X-RateLimit-Reset (unix seconds), or undefined. */
export function resetDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.min(Math.max(0, reset * 1000 - now), 60_000);
}

/** The destination's refineError hook. */
export function refineBrazeError(response: HttpResponseInfo, generic: DestinationError): DestinationError {
  const retryAfterMs =
    generic.retryAfterMs ?? (response.status === 429 ? resetDelayMs(response.headers) : undefined);
  return new DestinationError(generic.kind, `Braze ${response.status}: ${brazeMessage(response.body)}`, {
    status: response.status,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}
