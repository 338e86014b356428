/**
 * `GET /v1/profiles/{id_type}:{value}` and `GET /v1/profiles/{profile_id}`: one profile from the
 * serving store (never the warehouse), for servers holding `serve.viewer_key` or
 * `serve.admin_key` as a Bearer token. The value is normalized like the identity build
 * normalizes it (`email:%20Ann@X.com` finds `ann@x.com`); URL-encode it (`+` → `%2B`).
 * Answer: `{ profile_id, identifiers: [{type, value}], traits, audiences }` (docs/profile-api.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProfileQueryError, parseProfileQuery } from '../profiles/lookup/query.js';
import type { ProfileReader, ServedProfile } from '../realtime/types.js';
import { sendError, sendJson } from './respond.js';
import { secretKeyAllows } from './secret-key.js';

/** Where profile routes start. */
export const PROFILES_PREFIX = '/v1/profiles/';

/** What the profile route needs. */
export interface ProfileRouteDeps {
  store: ProfileReader;
  /** `serve.viewer_key` / `serve.admin_key` (those configured). */
  secretKeys: string[];
  /** The id types of identity.yml. */
  idTypes: string[];
  /** The request URL (for `?events=N`). */
  url?: URL;
  /** The profile's last events seen live, newest first (live identity); absent: `?events` is refused. */
  events?: (profile: ServedProfile, limit: number) => Promise<unknown[]>;
}

/** Most events `?events=N` lists (what live identity keeps per profile). */
export const MAX_EVENTS = 50;

/** The JSON the API answers with for a profile. */
export function profileJson(profile: ServedProfile): Record<string, unknown> {
  return {
    profile_id: profile.profileId,
    identifiers: profile.identifiers,
    traits: profile.traits,
    audiences: profile.audiences,
  };
}

/** Answers one `/v1/profiles/…` request (`route` is the path without a trailing slash). */
export async function handleProfile(
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
  deps: ProfileRouteDeps,
): Promise<void> {
  const headers = { 'cache-control': 'no-store' };
  if (request.method !== 'GET')
    return sendError(response, 405, `${PROFILES_PREFIX}… takes GET`, { allow: 'GET' });
  if (!secretKeyAllows(request, deps.secretKeys))
    return sendError(
      response,
      401,
      'the profile API needs the serve.viewer_key or serve.admin_key as a Bearer token',
      {
        ...headers,
        'www-authenticate': 'Bearer realm="weft"',
      },
    );
  let text: string;
  try {
    text = decodeURIComponent(route.slice(PROFILES_PREFIX.length));
  } catch {
    return sendError(response, 400, 'the identifier is not valid URL encoding', headers);
  }
  let query: ReturnType<typeof parseProfileQuery>;
  try {
    query = parseProfileQuery(text, deps.idTypes);
  } catch (error) {
    if (error instanceof ProfileQueryError) return sendError(response, 400, error.message, headers);
    throw error;
  }
  const eventsParam = deps.url?.searchParams.get('events');
  let limit = 0;
  if (eventsParam !== null && eventsParam !== undefined) {
    limit = Number(eventsParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS)
      return sendError(response, 400, `events must be a whole number from 1 to ${MAX_EVENTS}`, headers);
    if (!deps.events)
      return sendError(
        response,
        400,
        'events need live identity (a serving store and identity.yml)',
        headers,
      );
  }
  const profile =
    query.kind === 'identifier'
      ? await deps.store.byIdentifier(query.idType, query.value)
      : await deps.store.byProfileId(query.profileId);
  if (!profile) return sendError(response, 404, `no profile matches ${text}`, headers);
  const body = profileJson(profile);
  if (limit > 0 && deps.events) body.events = await deps.events(profile, limit);
  sendJson(response, 200, body, headers);
}
