/**
 * CORS for browser sources (analytics.js). A preflight carries no write key, so it is allowed
 * when any source accepts the origin; the actual POST is checked against its source's
 * `cors_origins` (a source without the list accepts any origin).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventSource } from '../events/collect/write-keys.js';

const ALLOWED_HEADERS = 'Content-Type, Authorization, Content-Encoding';

/** Whether `source` accepts requests from `origin`. */
export function originAllowed(source: Pick<EventSource, 'corsOrigins'>, origin: string): boolean {
  return !source.corsOrigins || source.corsOrigins.includes('*') || source.corsOrigins.includes(origin);
}

/** Answers an OPTIONS preflight. */
export function answerPreflight(
  request: IncomingMessage,
  response: ServerResponse,
  sources: EventSource[],
): void {
  const origin = request.headers.origin;
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin && sources.some((source) => originAllowed(source, origin))) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-methods'] = 'POST, OPTIONS';
    headers['access-control-allow-headers'] = ALLOWED_HEADERS;
    headers['access-control-allow-credentials'] = 'true';
    headers['access-control-max-age'] = '86400';
  }
  response.writeHead(204, headers);
  response.end();
}

/** CORS headers for an actual request from `origin` to `source`, or none when not allowed. */
export function corsHeaders(
  origin: string | undefined,
  source: EventSource | undefined,
): Record<string, string> {
  if (!origin) return {};
  if (source && !originAllowed(source, origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}
