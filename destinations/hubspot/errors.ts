/**
 * HubSpot's error quirks on top of the generic classification: a 429 says which limit was hit
 * (`policyName`): the rolling ten-second window (back off) or the DAILY allowance (the run ends
 * partial: nothing more can go through today); 423 "locked" wants a wait of at least 2 s; a 400
 * naming an object type HubSpot does not know is a config problem, not a bad record.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';

/** HubSpot's error body (`{status:"error", message, category, policyName?, correlationId}`). */
export interface HubspotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  errorType?: string;
  policyName?: string;
  correlationId?: string;
}

/** Parses an error body; undefined when it is not HubSpot JSON. */
export function parseErrorBody(body: string): HubspotErrorBody | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as HubspotErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wait after a rolling-window 429 without Retry-After (HubSpot's is not reliable): a tenth of the
 * window its X-HubSpot-RateLimit-Interval-Milliseconds header names (1 s for the usual 10 s),
 * within 0.25–2 s: long enough for the oldest requests to leave a full window.
 */
function rollingWait(intervalHeader: string | null): number {
  const interval = Number(intervalHeader);
  if (!Number.isFinite(interval) || interval <= 0) return 1_000;
  return Math.min(2_000, Math.max(250, Math.round(interval / 10)));
}
/** HubSpot asks to wait at least 2 s after a 423 Locked. */
const LOCKED_WAIT_MS = 2_000;

/** The connector's refineError hook. */
export function refineHubspotError(
  response: HttpResponseInfo,
  generic: DestinationError,
): DestinationError | undefined {
  const body = parseErrorBody(response.body);
  const message = body?.message ?? generic.message;
  if (response.status === 429) {
    const header = (name: string) => response.headers.get(`x-hubspot-ratelimit-${name}`);
    if (body?.policyName === 'DAILY') {
      const allowance = header('daily') ? ` of ${header('daily')} requests` : '';
      return new DestinationError(
        'quota',
        `HubSpot daily API limit${allowance} reached (429 DAILY); the rest waits for the next day: ${message}`,
        { status: 429, code: 'DAILY' },
      );
    }
    return new DestinationError(
      'rate_limit',
      `HubSpot rate limit (429 ${body?.policyName ?? ''}): ${message}`,
      {
        status: 429,
        retryAfterMs: generic.retryAfterMs ?? rollingWait(header('interval-milliseconds')),
        ...(body?.policyName !== undefined && { code: body.policyName }),
      },
    );
  }
  if (response.status === 423) {
    return new DestinationError('retryable', `HubSpot record locked (423): ${message}`, {
      status: 423,
      retryAfterMs: Math.max(generic.retryAfterMs ?? 0, LOCKED_WAIT_MS),
    });
  }
  if (response.status === 400 && /infer object type|object type .* not found/i.test(message)) {
    return new DestinationError('config', `HubSpot does not know this object: ${message}`, { status: 400 });
  }
  return undefined;
}
