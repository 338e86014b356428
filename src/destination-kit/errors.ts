/**
 * The one error taxonomy for destinations and the one mapping from HTTP responses to it.
 * The runner acts on `kind`: config/auth stop the run without marking anything; retryable and
 * rate_limit are retried with backoff (honouring retryAfterMs); record on a whole batch makes the
 * runner split the batch to isolate the bad rows (a single-record batch is then rejected); quota
 * (the account's daily or rolling-24 h allowance is used up) ends the run `partial`: in-flight
 * batches settle, nothing more is sent, and the unsent rows stay pending for a later run.
 */
import type { HttpResponseInfo } from './types.js';

/** Error kinds: what the runner should do about it. */
export type DestinationErrorKind = 'config' | 'auth' | 'record' | 'retryable' | 'rate_limit' | 'quota';

/** Options of a DestinationError. */
export interface DestinationErrorOptions {
  /** HTTP status when the error came from a response. */
  status?: number;
  /** How long to wait before retrying (retryable, rate_limit). */
  retryAfterMs?: number;
  /** Vendor error code, e.g. REQUEST_LIMIT_EXCEEDED. */
  code?: string;
  cause?: unknown;
}

/** An error from a destination, classified so the runner knows whether to stop, retry or split. */
export class DestinationError extends Error {
  readonly kind: DestinationErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly code?: string;

  constructor(kind: DestinationErrorKind, message: string, options: DestinationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DestinationError';
    this.kind = kind;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.code !== undefined) this.code = options.code;
  }

  /** True for kinds the runner retries (retryable, rate_limit). */
  get isRetryable(): boolean {
    return this.kind === 'retryable' || this.kind === 'rate_limit';
  }

  /** True for kinds that stop the whole run (auth, config). */
  get isFatal(): boolean {
    return this.kind === 'auth' || this.kind === 'config';
  }
}

/** True when `value` is a DestinationError (also across module copies). */
export function isDestinationError(value: unknown): value is DestinationError {
  return value instanceof DestinationError || (value instanceof Error && value.name === 'DestinationError');
}

/** Longest retry delay we honour from a header (a server asking for hours is treated as this). */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * Parses a Retry-After header: delta-seconds (possibly fractional) or an HTTP-date.
 * Returns milliseconds from `now` (never negative, capped), or undefined when absent or invalid.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(Math.round(Number(trimmed) * 1000), MAX_RETRY_AFTER_MS);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/** First 300 characters of a body, on one line, for error messages. */
function snippet(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

/**
 * Maps an HTTP response to the taxonomy. 2xx returns undefined (not an error).
 * 401/403 auth · 404/405/410 and 3xx config · 400/413/422 and other 4xx record ·
 * 429 rate_limit · 408/423/425/5xx retryable; Retry-After (seconds or HTTP-date) → retryAfterMs.
 * Destinations refine this through their `refineError` hook (see http/client.ts).
 */
export function classifyHttpResponse(
  status: number,
  headers: Headers,
  body: string,
): DestinationError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  const detail = body ? `: ${snippet(body)}` : '';
  const withRetry = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
  if (status === 429)
    return new DestinationError('rate_limit', `rate limited (HTTP 429)${detail}`, withRetry);
  if (status === 408 || status === 423 || status === 425 || status >= 500) {
    return new DestinationError('retryable', `HTTP ${status}${detail}`, withRetry);
  }
  if (status === 401 || status === 403) {
    return new DestinationError('auth', `not authorised (HTTP ${status})${detail}`, { status });
  }
  if (status === 404 || status === 405 || status === 410 || (status >= 300 && status < 400)) {
    return new DestinationError('config', `HTTP ${status}: check the URL/object settings${detail}`, {
      status,
    });
  }
  return new DestinationError('record', `rejected (HTTP ${status})${detail}`, { status });
}

/** Same as classifyHttpResponse, from a HttpResponseInfo. */
export function classifyResponse(response: HttpResponseInfo): DestinationError | undefined {
  return classifyHttpResponse(response.status, response.headers, response.body);
}

/** Node's codes for a certificate that cannot be trusted (OpenSSL's verify errors). */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

/**
 * Maps a failure to reach the server (fetch threw) to the taxonomy: timeouts and network resets
 * are retryable; the run's own abort is passed through unchanged; bad URLs and untrusted
 * certificates are config errors (retrying cannot fix them). Messages carry the system's code
 * and words (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT…), never just "fetch failed".
 */
export function classifyNetworkError(error: unknown, url: string): DestinationError | unknown {
  if (isDestinationError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') {
    return new DestinationError('retryable', `request to ${url} timed out`, { cause: error });
  }
  if (name === 'AbortError') return error;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code ?? '';
  if (error instanceof TypeError && /invalid url|failed to parse url/i.test(error.message)) {
    return new DestinationError('config', `invalid URL ${url}`, { cause: error });
  }
  if (cause?.message === 'bad port') {
    // fetch refuses a few ports outright (the Fetch standard's "bad ports"): a config problem.
    return new DestinationError('config', `${url} uses a port that fetch refuses to call (bad port)`, {
      cause: error,
    });
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    // A certificate problem does not heal by retrying: stop at once, with the cause.
    return new DestinationError(
      'config',
      `TLS error calling ${url}: ${cause?.message ?? code} (${code}); the server's certificate is not trusted — fix it, or add its CA with NODE_EXTRA_CA_CERTS`,
      { cause: error, code },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new DestinationError('retryable', `cannot resolve host of ${url} (${code})`, {
      cause: error,
      code,
    });
  }
  if (code && cause?.message) {
    return new DestinationError('retryable', `network error calling ${url} (${code}: ${cause.message})`, {
      cause: error,
      code,
    });
  }
  const what = code || (error instanceof Error ? error.message : String(error));
  return new DestinationError('retryable', `network error calling ${url} (${what})`, { cause: error, code });
}
