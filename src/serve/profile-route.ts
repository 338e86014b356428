/**
 * `GET /v1/profiles/{id_type}:{value}` and `GET /v1/profiles/{profile_id}`: one profile from the
 * serving store (never the warehouse), for servers holding `serve.viewer_key` or
 * `serve.admin_key` as a Bearer token. The value is normalized like the identity build
 * normalizes it (`email:%20Ann@X.com` finds `ann@x.com`); URL-encode it (`+` → `%2B`).
 * Answer: `{ profile_id, identifiers: [{type, value}], traits, audiences }` (docs/profile-api.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProfileQueryError, parseProfileQuery } from '../profiles/lookup/query.js';
import { answerBody, withEvents } from '../realtime/store/answer.js';
import type { ProfileAnswer, ProfileLookup, ProfileReader } from '../realtime/types.js';
import { sendError } from './respond.js';
import { secretKeyAllows } from './secret-key.js';

/** Where profile routes start. */
export const PROFILES_PREFIX = '/v1/profiles/';

/** What the profile route needs (built once, not per request). */
export interface ProfileRouteDeps {
  store: ProfileReader;
  /** `serve.viewer_key` / `serve.admin_key` (those configured). */
  secretKeys: string[];
  /** The id types of identity.yml. */
  idTypes: string[];
  /** The profile's last events seen live, newest first (live identity); absent: `?events` is refused. */
  events?: (profileId: string, limit: number) => Promise<unknown[]>;
}

/** Most events `?events=N` lists (what live identity keeps per profile). */
export const MAX_EVENTS = 50;

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * Answers one `/v1/profiles/…` request (`route` is the path without a trailing slash; `url` the
 * request URL, for `?events=N`). A profile the store keeps ready is answered synchronously with
 * its stored bytes; only a store on a server, `?events` or a profile the live overlay changed
 * make it wait.
 */
export function handleProfile(
  request: IncomingMessage,
  response: ServerResponse,
  route: string,
  deps: ProfileRouteDeps,
  url?: URL,
): void | Promise<void> {
  if (request.method !== 'GET')
    return sendError(response, 405, `${PROFILES_PREFIX}… takes GET`, { allow: 'GET' });
  if (!secretKeyAllows(request, deps.secretKeys))
    return sendError(
      response,
      401,
      'the profile API needs the serve.viewer_key or serve.admin_key as a Bearer token',
      { ...NO_STORE, 'www-authenticate': 'Bearer realm="weft"' },
    );
  let text: string;
  try {
    text = decodeURIComponent(route.slice(PROFILES_PREFIX.length));
  } catch {
    return sendError(response, 400, 'the identifier is not valid URL encoding', NO_STORE);
  }
  let query: ReturnType<typeof parseProfileQuery>;
  try {
    query = parseProfileQuery(text, deps.idTypes);
  } catch (error) {
    if (error instanceof ProfileQueryError) return sendError(response, 400, error.message, NO_STORE);
    throw error;
  }
  // `url.searchParams` builds an object: only asked for when there is a query string
  const eventsParam = url && url.search !== '' ? url.searchParams.get('events') : null;
  let limit = 0;
  if (eventsParam !== null) {
    limit = Number(eventsParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS)
      return sendError(response, 400, `events must be a whole number from 1 to ${MAX_EVENTS}`, NO_STORE);
    if (!deps.events)
      return sendError(
        response,
        400,
        'events need live identity (a serving store and identity.yml)',
        NO_STORE,
      );
  }
  const lookup: ProfileLookup =
    query.kind === 'identifier' ? { type: query.idType, value: query.value } : { profileId: query.profileId };
  const found = deps.store.answer ? deps.store.answer(lookup) : readAnswer(deps.store, lookup);
  if (found instanceof Promise)
    return found.then((answer) => respond(response, answer, text, limit, deps.events));
  return respond(response, found, text, limit, deps.events);
}

/** The answer through the reads every ProfileReader has (a reader without `answer`). */
async function readAnswer(reader: ProfileReader, lookup: ProfileLookup): Promise<ProfileAnswer | undefined> {
  const profile =
    'type' in lookup
      ? await reader.byIdentifier(lookup.type, lookup.value)
      : await reader.byProfileId(lookup.profileId);
  return profile && { profileId: profile.profileId, profile };
}

function respond(
  response: ServerResponse,
  answer: ProfileAnswer | undefined,
  text: string,
  limit: number,
  events: ProfileRouteDeps['events'],
): void | Promise<void> {
  if (!answer) return sendError(response, 404, `no profile matches ${text}`, NO_STORE);
  if (limit > 0 && events)
    return events(answer.profileId, limit).then((listed) => send(response, answer, listed));
  send(response, answer);
}

/** Sends the answer: the stored bytes as they are, or the composed profile serialized the same way. */
function send(response: ServerResponse, answer: ProfileAnswer, events?: unknown[]): void {
  let body: string | Uint8Array;
  if ('json' in answer) body = events ? withEvents(answer.json, events) : answer.json;
  else {
    const object = answerBody(answer.profile);
    if (events) object.events = events;
    body = JSON.stringify(object);
  }
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    'cache-control': 'no-store',
  });
  response.end(body);
}
