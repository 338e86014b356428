/**
 * Google Ads error bodies (`{error:{code,status,message,details:[{errors:[{errorCode,message,
 * location}]}]}}`) on top of the generic classification: `CONCURRENT_MODIFICATION` (another job
 * on the list) is retried; quota errors (429 RESOURCE_EXHAUSTED) wait for the `retryDelay` Google
 * names (over 15 minutes, e.g. the daily operations allowance, the run ends partial and the rest
 * waits); an unknown or wrong-type user list and unaccepted Customer Match terms are config errors.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';

/** One GoogleAdsError. */
export interface GoogleAdsError {
  errorCode?: Record<string, string>;
  message?: string;
  location?: { fieldPathElements?: Array<{ fieldName?: string; index?: number }> };
  details?: { quotaErrorDetails?: { retryDelay?: string; rateName?: string } };
}

/** A google.rpc.Status as Google Ads returns it (error bodies and partialFailureError). */
export interface GoogleStatus {
  code?: number;
  status?: string;
  message?: string;
  details?: Array<{ '@type'?: string; errors?: GoogleAdsError[]; retryDelay?: string }>;
}

const CONFIG_CODES = new Set([
  'INVALID_USER_LIST_ID',
  'INVALID_USER_LIST_TYPE',
  'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS',
  'NOT_ON_ALLOWLIST_FOR_USER_ID',
  'CUSTOMER_NOT_FOUND',
]);
const LONGEST_WAIT_MS = 15 * 60_000;

/** Every GoogleAdsError in a status. */
export function adsErrors(status: GoogleStatus | undefined): GoogleAdsError[] {
  return (status?.details ?? []).flatMap((detail) => detail.errors ?? []);
}

/** `offlineUserDataJobError: INVALID_SHA256_FORMAT` style text for one error. */
export function errorCodeText(error: GoogleAdsError): string {
  const [kind, code] = Object.entries(error.errorCode ?? {})[0] ?? ['unknown', 'UNKNOWN'];
  return `${code} (${kind})`;
}

/** Seconds of a protobuf Duration string (`"30s"`, `"1.5s"`) as milliseconds. */
function durationMs(text: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text ?? '');
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** The longest retryDelay a status names (quota error details or a RetryInfo detail). */
export function retryDelayMs(status: GoogleStatus | undefined): number | undefined {
  const delays = [
    ...(status?.details ?? []).map((detail) => durationMs(detail.retryDelay)),
    ...adsErrors(status).map((error) => durationMs(error.details?.quotaErrorDetails?.retryDelay)),
  ].filter((ms): ms is number => ms !== undefined);
  return delays.length > 0 ? Math.max(...delays) : undefined;
}

function parse(body: string): GoogleStatus | undefined {
  try {
    return (JSON.parse(body) as { error?: GoogleStatus }).error;
  } catch {
    return undefined;
  }
}

/** The connector's refineError hook. */
export function refineGoogleAdsError(
  response: HttpResponseInfo,
  generic: DestinationError,
): DestinationError | undefined {
  const status = parse(response.body);
  if (!status) return undefined;
  const errors = adsErrors(status);
  const codes = errors.flatMap((error) => Object.values(error.errorCode ?? {}));
  const first = errors[0];
  const what = `Google Ads ${status.status ?? response.status}: ${first ? `${errorCodeText(first)} ${first.message ?? ''}`.trim() : (status.message ?? '')}`;
  const options = { status: response.status, ...(codes[0] !== undefined && { code: codes[0] }) };
  if (codes.includes('CONCURRENT_MODIFICATION'))
    return new DestinationError('retryable', `${what} (another job is changing the list)`, options);
  if (
    response.status === 429 ||
    status.status === 'RESOURCE_EXHAUSTED' ||
    codes.includes('RESOURCE_EXHAUSTED')
  ) {
    const wait = retryDelayMs(status) ?? generic.retryAfterMs;
    if (wait !== undefined && wait > LONGEST_WAIT_MS)
      return new DestinationError(
        'quota',
        `${what} (retry in ${Math.round(wait / 60_000)} min: the rest waits for a later run)`,
        options,
      );
    return new DestinationError('rate_limit', what, {
      ...options,
      ...(wait !== undefined && { retryAfterMs: wait }),
    });
  }
  if (codes.some((code) => CONFIG_CODES.has(code))) return new DestinationError('config', what, options);
  return new DestinationError(generic.kind, what, {
    ...options,
    ...(generic.retryAfterMs !== undefined && { retryAfterMs: generic.retryAfterMs }),
  });
}
