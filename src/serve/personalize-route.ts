/**
 * `GET /v1/personalize?anonymousId=…` for browsers: the visitor's public traits and audiences
 * (only those `serve.public` lists), with a publishable key (`?key=` or a Bearer token). It
 * looks a visitor up only by their own anonymous id (the `anonymousId` parameter or
 * analytics.js's `ajs_anonymous_id` cookie), or by user id when `serve.personalize.allow_user_id`
 * says so: never by profile id, never a list. CORS per `serve.personalize.cors_origins`;
 * answers may be cached by the browser only (`private`). Unknown or missing keys: 401; over the
 * per-key rate: 429 with Retry-After.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProfileReader } from '../realtime/types.js';
import type { RateLimiter } from './rate-limit.js';
import { sendError, sendJson } from './respond.js';
import { bearerToken, sameText } from './secret-key.js';

/** The personalization route's path. */
export const PERSONALIZE_ROUTE = '/v1/personalize';

/** What the personalization route needs. */
export interface PersonalizeDeps {
  store: ProfileReader;
  /** Publishable keys (`serve.publishable_key` and `serve.publishable_keys`). */
  keys: string[];
  publicTraits: string[];
  publicAudiences: string[];
  /** Allowed browser origins; undefined: any. */
  corsOrigins?: string[];
  maxAgeSeconds: number;
  limiter: RateLimiter;
  /** identity.yml's id type for analytics.js anonymous ids (default `anonymous_id`). */
  anonymousIdType: string;
  /** identity.yml's id type for user ids, when lookups by user id are allowed. */
  userIdType?: string;
}

/** Answers `/v1/personalize` (GET, or an OPTIONS preflight). */
export async function handlePersonalize(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: PersonalizeDeps,
): Promise<void> {
  const cors = corsHeaders(request.headers.origin, deps.corsOrigins);
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      ...cors,
      ...(cors['access-control-allow-origin']
        ? {
            'access-control-allow-methods': 'GET, OPTIONS',
            'access-control-allow-headers': 'Authorization',
            'access-control-max-age': '86400',
          }
        : {}),
    });
    response.end();
    return;
  }
  if (request.method !== 'GET')
    return sendError(response, 405, `${PERSONALIZE_ROUTE} takes GET`, { ...cors, allow: 'GET, OPTIONS' });
  if (request.headers.origin && !cors['access-control-allow-origin'])
    return sendError(
      response,
      403,
      `origin ${request.headers.origin} may not call ${PERSONALIZE_ROUTE}`,
      cors,
    );
  const given = url.searchParams.get('key') ?? bearerToken(request);
  const key = given === null || given === undefined ? undefined : deps.keys.find((k) => sameText(k, given));
  if (!key)
    return sendError(
      response,
      401,
      given ? 'unknown publishable key' : 'missing publishable key (?key= or a Bearer token)',
      { ...cors, 'www-authenticate': 'Bearer realm="weft"' },
    );
  const wait = deps.limiter.take(key);
  if (wait > 0)
    return sendError(response, 429, 'too many requests for this publishable key', {
      ...cors,
      'retry-after': String(wait),
    });
  const cookies = parseCookies(request.headers.cookie);
  const userId = url.searchParams.get('userId') ?? cookieId(cookies.ajs_user_id);
  const anonymousId = url.searchParams.get('anonymousId') ?? cookieId(cookies.ajs_anonymous_id);
  if (userId && !deps.userIdType)
    return sendError(response, 400, 'lookups by userId are off (serve.personalize.allow_user_id)', cors);
  if (!userId && !anonymousId)
    return sendError(response, 400, 'give anonymousId (or the ajs_anonymous_id cookie)', cors);
  const profile =
    userId && deps.userIdType
      ? await deps.store.byIdentifier(deps.userIdType, userId)
      : await deps.store.byIdentifier(deps.anonymousIdType, anonymousId as string);
  const traits: Record<string, unknown> = {};
  for (const name of deps.publicTraits)
    if (profile && name in profile.traits) traits[name] = profile.traits[name];
  const audiences = profile ? profile.audiences.filter((a) => deps.publicAudiences.includes(a)) : [];
  sendJson(
    response,
    200,
    { known: profile !== undefined, traits, audiences },
    {
      ...cors,
      'cache-control': `private, max-age=${deps.maxAgeSeconds}`,
      vary: 'Origin, Cookie, Authorization',
    },
  );
}

function corsHeaders(origin: string | undefined, allowed: string[] | undefined): Record<string, string> {
  if (!origin) return {};
  if (allowed && !allowed.includes('*') && !allowed.includes(origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cookies;
}

/** analytics.js stores ids JSON-encoded and URL-encoded (`%22abc%22`). */
function cookieId(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let value = raw;
  try {
    value = decodeURIComponent(raw);
  } catch {
    // keep it as it is
  }
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  return value.length > 0 ? value : undefined;
}
