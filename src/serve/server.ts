/**
 * The HTTP server of `weft serve` (node:http): routes to the tracking API, the tail, health,
 * readiness and metrics. Each concern lives in its own module; this file only dispatches.
 */
import { createServer, type Server } from 'node:http';
import type { WriteKeys } from '../events/collect/write-keys.js';
import type { EventLog, EventType } from '../events/types.js';
import { answerPreflight } from './cors.js';
import type { Metrics } from './metrics.js';
import type { ExtraRoute } from './profile-api.js';
import { sendError, sendJson } from './respond.js';
import type { TailHub } from './tail-route.js';
import { handleTracking } from './tracking-route.js';

const TRACKING: Record<string, EventType | 'batch'> = {
  track: 'track',
  identify: 'identify',
  page: 'page',
  screen: 'screen',
  group: 'group',
  alias: 'alias',
  batch: 'batch',
  b: 'batch',
};

/** Paths labelled by name in the HTTP metrics (anything else counts as `other`). */
const KNOWN_ROUTES = new Set([
  ...Object.keys(TRACKING).map((name) => `/v1/${name}`),
  '/v1/tail',
  '/health',
  '/ready',
  '/metrics',
]);

/** Whether the collector can take events now, and why not. */
export type Readiness = () => Promise<{ ready: boolean; reason?: string }>;

/** What the server dispatches to. */
export interface CollectorServerDeps {
  log: EventLog;
  keys: WriteKeys;
  metrics: Metrics;
  tail: TailHub;
  readiness: Readiness;
  now?: () => Date;
  /** More route modules (the profile API, personalization), tried before answering 404. */
  extraRoutes?: ExtraRoute[];
}

/** Creates (does not start) the HTTP server. */
export function createCollectorServer(deps: CollectorServerDeps): Server {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://weft.local');
    const route = url.pathname.replace(/\/+$/, '');
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const extra = deps.extraRoutes?.find((r) => r.matches(route));
      // Only known routes become labels: a client probing random paths must not grow the series.
      const kind = extra ? extra.metricRoute : KNOWN_ROUTES.has(route) ? route : 'other';
      deps.metrics.count('weft_http_requests_total', 'HTTP requests by route and status', {
        route: kind,
        status: String(response.statusCode),
      });
      deps.metrics.count(
        'weft_http_request_seconds_total',
        'Seconds spent answering HTTP requests, by route',
        { route: kind },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    void dispatch(request, response, url, route, deps).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `internal error: ${(error as Error).message}`);
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function dispatch(
  request: import('node:http').IncomingMessage,
  response: import('node:http').ServerResponse,
  url: URL,
  route: string,
  deps: CollectorServerDeps,
): Promise<void> {
  const tracking = route.startsWith('/v1/') ? TRACKING[route.slice(4)] : undefined;
  if (tracking && request.method === 'OPTIONS') return answerPreflight(request, response, deps.keys.sources);
  if (tracking && request.method === 'POST')
    return handleTracking(request, response, tracking, {
      ...deps,
      onDurable: (events) => deps.tail.publish(events),
    });
  if (tracking) return sendError(response, 405, `${route} takes POST`, { allow: 'POST, OPTIONS' });
  if (route === '/v1/tail' && request.method === 'GET') return deps.tail.handle(request, response, url);
  if (route === '/health') return sendJson(response, 200, { status: 'ok' });
  if (route === '/ready') {
    const state = await deps.readiness();
    return sendJson(response, state.ready ? 200 : 503, {
      ready: state.ready,
      ...(state.reason ? { reason: state.reason } : {}),
    });
  }
  if (route === '/metrics') {
    const text = await deps.metrics.render();
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(text);
    return;
  }
  const extra = deps.extraRoutes?.find((r) => r.matches(route));
  if (extra) return extra.handle(request, response, url, route);
  sendError(response, 404, `no route ${request.method} ${route || '/'}`);
}
