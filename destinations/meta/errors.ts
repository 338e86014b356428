/**
 * Meta's errors are classified by the Graph error `code`, not the HTTP status (throttling comes
 * as 400 or 403): 4 / 17 / 613 / 80003 (and the other 8000x business-use-case limits) are
 * throttling, waiting for the `X-Business-Use-Case-Usage` header's estimated_time_to_regain_access
 * (minutes; over 15 minutes the run ends partial and the rest waits for the next one); 190 and the
 * permission codes stop the run as auth; 1 and 2 (and `is_transient`) are retried; an audience
 * that does not exist is a config error.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';

/** Graph API error body. */
export interface MetaErrorBody {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_user_msg?: string;
    fbtrace_id?: string;
  };
}

const THROTTLE_CODES = new Set([4, 17, 32, 613, 80000, 80003, 80004]);
const AUTH_CODES = new Set([102, 104, 190, 10, 200, 294]);
const TRANSIENT_CODES = new Set([1, 2]);
/** Longer than this, a throttle ends the run (partial) instead of waiting inside it. */
const LONGEST_WAIT_MS = 15 * 60_000;

function parse(body: string): MetaErrorBody['error'] | undefined {
  try {
    return (JSON.parse(body) as MetaErrorBody)?.error ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds until Meta lets the account call again, from `X-Business-Use-Case-Usage`
 * (`{"<id>":[{"type","call_count",…,"estimated_time_to_regain_access":<minutes>}]}`): the
 * longest wait it names, or undefined when it names none.
 */
export function regainAccessMs(header: string | null): number | undefined {
  if (!header) return undefined;
  try {
    const usage = JSON.parse(header) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
    const minutes = Object.values(usage)
      .flat()
      .map((entry) => Number(entry?.estimated_time_to_regain_access ?? 0));
    const longest = Math.max(0, ...minutes.filter(Number.isFinite));
    return longest > 0 ? longest * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

/** The connector's refineError hook. */
export function refineMetaError(
  response: HttpResponseInfo,
  generic: DestinationError,
): DestinationError | undefined {
  const error = parse(response.body);
  if (error?.code === undefined) return undefined;
  const { code } = error;
  const status = response.status;
  const what = `Meta error ${code}${error.error_subcode ? `/${error.error_subcode}` : ''}: ${error.message ?? 'no message'}`;
  const options = { status, code: String(code) };
  if (THROTTLE_CODES.has(code)) {
    const wait = regainAccessMs(response.headers.get('x-business-use-case-usage')) ?? generic.retryAfterMs;
    if (wait !== undefined && wait > LONGEST_WAIT_MS) {
      return new DestinationError(
        'quota',
        `${what} (throttled for ${Math.round(wait / 60_000)} min; the rest waits for the next run)`,
        options,
      );
    }
    return new DestinationError('rate_limit', `${what} (throttled)`, {
      ...options,
      ...(wait !== undefined && { retryAfterMs: wait }),
    });
  }
  // A missing or wrong appsecret_proof comes as code 100, but it is a credential problem.
  if (AUTH_CODES.has(code) || (code >= 200 && code < 300) || /appsecret_proof/i.test(error.message ?? ''))
    return new DestinationError('auth', what, options);
  if (TRANSIENT_CODES.has(code) || error.is_transient)
    return new DestinationError('retryable', what, {
      ...options,
      ...(generic.retryAfterMs !== undefined && { retryAfterMs: generic.retryAfterMs }),
    });
  if (code === 100 && error.error_subcode === 33)
    return new DestinationError('config', `${what} (check the sync's list: the audience id)`, options);
  if (status >= 400 && status < 500) return new DestinationError('record', what, options);
  return undefined;
}
