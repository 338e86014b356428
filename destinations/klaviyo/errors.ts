/**
 * Klaviyo's errors are JSON:API (`{"errors":[{"code","detail",…}]}`): messages read "code:
 * detail". A 429 carries Retry-After (handled generically); when it does not, `RateLimit-Reset`
 * (seconds until the window reopens) is the wait.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';
import { errorText } from './api.js';

/** The destination's refineError hook. */
export function refineKlaviyoError(response: HttpResponseInfo, generic: DestinationError): DestinationError {
  let retryAfterMs = generic.retryAfterMs;
  if (retryAfterMs === undefined && response.status === 429) {
    const reset = Number(response.headers.get('ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) retryAfterMs = Math.min(reset, 60) * 1000;
  }
  return new DestinationError(generic.kind, `Klaviyo ${response.status}: ${errorText(response.body)}`, {
    status: response.status,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}
