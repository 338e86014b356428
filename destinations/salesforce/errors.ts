/**
 * Salesforce's error shapes: whole-request errors are arrays `[{message, errorCode}]`, record
 * errors `{statusCode, message, fields}` inside per-record results. Which codes are retryable,
 * which mean the org's quota is used up, and how a record error reads in sync_rejections.
 */
import {
  DestinationError,
  type HttpResponseInfo,
  type RecordResult,
} from '../../src/destination-kit/index.js';

/** A whole-request error element. */
export interface ApiError {
  message?: string;
  errorCode?: string;
}

/** A record error inside a per-record result. */
export interface RecordError {
  statusCode?: string;
  message?: string;
  fields?: string[];
}

/** Codes worth another try (the row or the org is busy, not wrong). */
const RETRYABLE = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG']);
/** Whole-request codes that mean the sync's configuration is wrong (every batch would fail). */
const CONFIG = new Set(['INVALID_FIELD', 'INVALID_TYPE', 'NOT_FOUND', 'INVALID_SESSION_ID_FOR_OBJECT']);
/** Short wait before retrying a locked row. */
const LOCK_RETRY_MS = 1000;

/** The first error of a Salesforce error body (array or single object), if it has one. */
export function firstApiError(body: string): ApiError | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    return first && typeof first === 'object' && 'errorCode' in first ? (first as ApiError) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * refineError: 403 REQUEST_LIMIT_EXCEEDED is the org's daily quota (not auth); UNABLE_TO_LOCK_ROW
 * and SERVER_UNAVAILABLE are retryable; an unknown field or object is a config error.
 */
export function refineError(
  response: HttpResponseInfo,
  generic: DestinationError,
): DestinationError | undefined {
  const error = firstApiError(response.body);
  const code = error?.errorCode;
  if (!code) return undefined;
  const message = `Salesforce ${code} (HTTP ${response.status}): ${error?.message ?? ''}`.trim();
  const options = { status: response.status, code };
  if (code === 'REQUEST_LIMIT_EXCEEDED') return new DestinationError('quota', message, options);
  if (RETRYABLE.has(code)) {
    return new DestinationError('retryable', message, {
      ...options,
      retryAfterMs: generic.retryAfterMs ?? LOCK_RETRY_MS,
    });
  }
  if (response.status === 401) return new DestinationError('auth', message, options);
  if (CONFIG.has(code) && response.status < 500) return new DestinationError('config', message, options);
  return new DestinationError(generic.kind, message, {
    ...options,
    ...(generic.retryAfterMs !== undefined && { retryAfterMs: generic.retryAfterMs }),
  });
}

/** How one record error reads: `CODE: message (fields: A, B)`. */
export function describeRecordError(error: RecordError): string {
  const fields = error.fields && error.fields.length > 0 ? ` (fields: ${error.fields.join(', ')})` : '';
  return `${error.statusCode ?? 'UNKNOWN_ERROR'}: ${error.message ?? 'no message'}${fields}`;
}

/** The result of a record Salesforce refused: retryable for lock/availability codes, else rejected. */
export function recordFailure(errors: RecordError[] | undefined): RecordResult {
  const list =
    errors && errors.length > 0 ? errors : [{ statusCode: 'UNKNOWN_ERROR', message: 'no error given' }];
  const reason = list.map(describeRecordError).join('; ');
  if (list.some((e) => RETRYABLE.has(e.statusCode ?? ''))) {
    return { status: 'retryable', reason, retryAfterMs: LOCK_RETRY_MS };
  }
  return { status: 'rejected', reason };
}

/** True for a Bulk API `sf__Error` whose code is retryable (`CODE:message:fields --`). */
export function bulkErrorRetryable(sfError: string): boolean {
  return RETRYABLE.has(sfError.split(':', 1)[0]?.trim() ?? '');
}
