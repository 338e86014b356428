/**
 * The console as a route module of `weft serve` (server.ts `extraRoutes`): its built files at `/`
 * and its JSON API under `/console/api/…`, where every call needs a console key (auth.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactSecrets } from '../../config/project.js';
import type { Project } from '../../config/types.js';
import { BodyError, readBody } from '../body.js';
import type { ExtraRoute } from '../profile-api.js';
import { sendError } from '../respond.js';
import { type ConsoleRole, consoleKeys, consoleRole } from './auth.js';
import { CancelledError, type ConsoleContext, ConsoleError, consoleContext } from './context.js';
import { apiEndpoints } from './endpoints.js';
import { SignInLimit, type SignInLimitOptions } from './sign-in-limit.js';
import { CONSOLE_HEADERS, isStaticRoute, sendStatic } from './static.js';

/** Prefix of the console's JSON API. */
export const CONSOLE_API = '/console/api/';

/** One API endpoint. */
export interface ApiEndpoint {
  method: 'GET' | 'POST';
  /** Matched against the path after CONSOLE_API; groups are the handler's params. */
  pattern: RegExp;
  /** The least role that may call it. */
  role: ConsoleRole;
  handle(call: ApiCall): Promise<unknown>;
}

/** What a handler gets. */
export interface ApiCall {
  ctx: ConsoleContext;
  role: ConsoleRole;
  params: string[];
  url: URL;
  /** The parsed JSON body of a POST ({} for a GET). */
  body: Record<string, unknown>;
  /** Aborted when the client goes away before the answer is sent. */
  signal: AbortSignal;
  /** The builder instance that sent the call (header `x-weft-builder`), if any. */
  builder?: string;
}

/** Options of the console's routes. */
export interface ConsoleRouteOptions {
  /** Where the built files are (tests); default dist/console. */
  root?: string;
  /** The wrong-key limit per client address (sign-in-limit.ts). */
  signIn?: SignInLimitOptions;
}

/** The console's routes over `project`. */
export function consoleRoutes(project: Project, options: ConsoleRouteOptions = {}): ExtraRoute[] {
  const ctx = consoleContext(project);
  const limit = new SignInLimit(options.signIn);
  return [
    {
      matches: (route) => isStaticRoute(route),
      metricRoute: '/console',
      handle: async (request, response, _url, route) => {
        if (request.method !== 'GET' && request.method !== 'HEAD')
          return sendError(response, 405, 'console files take GET', { allow: 'GET' });
        sendStatic(response, route, options.root);
      },
    },
    {
      matches: (route) => route.startsWith(CONSOLE_API.slice(0, -1)),
      metricRoute: '/console/api',
      handle: (request, response, url, route) => handleApi(ctx, limit, request, response, url, route),
    },
  ];
}

async function handleApi(
  ctx: ConsoleContext,
  limit: SignInLimit,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  route: string,
): Promise<void> {
  const headers = { ...CONSOLE_HEADERS, 'cache-control': 'no-store' };
  const wait = limit.wait(request);
  if (wait > 0)
    return sendError(response, 429, `too many wrong keys from this address: retry in ${wait} s`, {
      ...headers,
      'retry-after': String(wait),
    });
  const role = consoleRole(request, consoleKeys(ctx.project().config.serve));
  // A wrong key learns nothing: not even which endpoints exist.
  if (!role) {
    limit.failed(request);
    return sendError(response, 401, 'sign in with a console key', headers);
  }
  const path = route.slice(CONSOLE_API.length);
  const endpoint = apiEndpoints.find((e) => e.method === request.method && e.pattern.test(path));
  if (!endpoint) return sendError(response, 404, `no console API ${request.method} /${path}`, headers);
  if (endpoint.role === 'editor' && role !== 'editor')
    return sendError(response, 403, 'editors only: sign in with the editor key', headers);
  // A client that goes away (the builder aborts a stale draft's call) cancels its work.
  const gone = new AbortController();
  response.on('close', () => {
    if (!response.writableEnded) gone.abort();
  });
  const builder = request.headers['x-weft-builder'];
  try {
    const body = request.method === 'POST' ? await jsonBody(request) : {};
    const params = (endpoint.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p ?? ''));
    const result = await endpoint.handle({
      ctx,
      role,
      params,
      url,
      body: body ?? {},
      signal: gone.signal,
      ...(typeof builder === 'string' && builder !== '' ? { builder: builder.slice(0, 100) } : {}),
    });
    sendSafe(response, 200, result, ctx.secrets(), headers);
  } catch (error) {
    if (response.destroyed) return;
    const status =
      error instanceof ConsoleError || error instanceof BodyError || error instanceof CancelledError
        ? error.status
        : 500;
    const message = redactSecrets((error as Error).message ?? String(error), ctx.secrets());
    sendSafe(response, status, { success: false, error: message }, ctx.secrets(), headers);
  }
}

/** Sends JSON with every secret value replaced, whatever a handler put in it. */
function sendSafe(
  response: ServerResponse,
  status: number,
  body: unknown,
  secrets: string[],
  headers: Record<string, string>,
): void {
  // Every string is redacted before encoding, so a secret with JSON-escaped characters is caught too.
  const text = JSON.stringify(body, (_k, v) =>
    typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? redactSecrets(v, secrets) : v,
  );
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(request, 1_000_000)).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ConsoleError(400, 'the body must be a JSON object');
}
