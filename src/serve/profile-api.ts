/**
 * The profile and personalization routes of `weft serve`, over the serving store, as routes the
 * HTTP server tries before answering 404 (server.ts `extraRoutes`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Project } from '../config/types.js';
import type { LiveIdentity } from '../realtime/live/ingest.js';
import type { ProfileReader } from '../realtime/types.js';
import { handlePersonalize, PERSONALIZE_ROUTE } from './personalize-route.js';
import { handleProfile, PROFILES_PREFIX, type ProfileRouteDeps } from './profile-route.js';
import { RateLimiter } from './rate-limit.js';

const ANSWERED = Promise.resolve();

/** A route module the server dispatches to. */
export interface ExtraRoute {
  /** Whether this module answers `route` (the path without a trailing slash). */
  matches(route: string): boolean;
  /** The `route` label of its metrics (so ids in paths do not become label values). */
  metricRoute: string;
  handle(request: IncomingMessage, response: ServerResponse, url: URL, route: string): Promise<void>;
}

/**
 * The profile API and the personalization endpoint over `store`, configured by weft.yml `serve:`;
 * with `live`, the profile API can list a profile's last events.
 */
export function profileApiRoutes(
  project: Project,
  store: ProfileReader,
  live?: LiveIdentity,
  now?: () => number,
): ExtraRoute[] {
  const serve = project.config.serve;
  const idTypes = Object.keys(project.identity?.id_types ?? {});
  const secretKeys = [serve?.viewer_key, serve?.admin_key].filter((k): k is string => Boolean(k));
  const publishable = [serve?.publishable_key, ...(serve?.publishable_keys ?? [])].filter((k): k is string =>
    Boolean(k),
  );
  const personalize = serve?.personalize;
  const rate = personalize?.rate_limit_per_second ?? 200;
  const limiter = new RateLimiter(rate, Math.max(1, rate * 2), now);
  const profileDeps: ProfileRouteDeps = {
    store,
    secretKeys,
    idTypes,
    ...(live ? { events: (profileId, limit) => live.reader.events({ profileId }, limit) } : {}),
  };
  return [
    {
      matches: (route) => route.startsWith(PROFILES_PREFIX),
      metricRoute: '/v1/profiles',
      // answered synchronously from the embedded store: no promise of its own to wait for
      handle: (request, response, url, route) =>
        handleProfile(request, response, route, profileDeps, url) ?? ANSWERED,
    },
    {
      matches: (route) => route === PERSONALIZE_ROUTE,
      metricRoute: PERSONALIZE_ROUTE,
      handle: (request, response, url) =>
        handlePersonalize(request, response, url, {
          store,
          keys: publishable,
          publicTraits: serve?.public.traits ?? [],
          publicAudiences: serve?.public.audiences ?? [],
          corsOrigins: personalize?.cors_origins,
          maxAgeSeconds: personalize?.max_age_seconds ?? 60,
          limiter,
          anonymousIdType: personalize?.anonymous_id_type ?? 'anonymous_id',
          userIdType: personalize?.allow_user_id ? personalize.user_id_type : undefined,
        }),
    },
  ];
}
