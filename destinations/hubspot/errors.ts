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

/** Wait after a ten-secondly 429 when no Retry-After came (HubSpot's is not reliable). */
const ROLLING_WAIT_MS = 1_000;
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
    if (body?.policyName === 'DAILY') {
      return new DestinationError('quota', `HubSpot daily API limit reached (429 DAILY): ${message}`, {
        status: 429,
        code: 'DAILY',
      });
    }
    return new DestinationError(
      'rate_limit',
      `HubSpot rate limit (429 ${body?.policyName ?? ''}): ${message}`,
      {
        status: 429,
        retryAfterMs: generic.retryAfterMs ?? ROLLING_WAIT_MS,
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
