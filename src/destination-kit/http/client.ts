/**
 * The destination HTTP client: Node 20's global fetch (its built-in agent keeps connections alive
 * by default), a per-request timeout through AbortSignal.timeout combined with the run's signal,
 * JSON helpers, classification through classifyHttpResponse + the destination's refineError hook,
 * and debug logs without secrets (Authorization-like headers and secret settings redacted).
 */

import { exactJson } from '../../warehouse/exact-json.js';
import { classifyHttpResponse, classifyNetworkError, DestinationError } from '../errors.js';
import { redact } from '../redact.js';
import type { DestinationLogger, HttpResponseInfo } from '../types.js';
import type { HttpClient, HttpRequest, HttpResponse, RequestGate } from './types.js';

/** How a client is built (createDestinationContext does this for the runner). */
export interface HttpClientOptions {
  baseUrl?: string;
  /** Headers sent with every request (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Default per-request timeout in ms (30 s). */
  timeoutMs?: number;
  /** Secret values to redact from logs and error messages. */
  secrets?: readonly string[];
  refineError?: (response: HttpResponseInfo, generic: DestinationError) => DestinationError | undefined;
  logger?: DestinationLogger;
  /** The run's abort signal. */
  signal?: AbortSignal;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
  /** Every request waits for this gate (the account's paced queue) before it is sent. */
  gate?: RequestGate;
  /** Internal: shared by a client and its gated copies, so the plain-http warning is said once. */
  plainHttpWarned?: { value: boolean };
}

const DEFAULT_TIMEOUT_MS = 30_000;

function buildUrl(baseUrl: string | undefined, request: HttpRequest): URL {
  const url = baseUrl === undefined ? new URL(request.path) : new URL(request.path, withSlash(baseUrl));
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/** "http://h/api" + "x" must give "http://h/api/x", not "http://h/x". */
function withSlash(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}

function toResponse(status: number, headers: Headers, text: string, url: string): HttpResponse {
  return {
    status,
    headers,
    text,
    url,
    json<T>(): T | undefined {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
  };
}

/** Statuses that redirect (with a Location header). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Same-origin redirects a read may follow. */
const MAX_READ_REDIRECTS = 5;

/** Whether `hostname` is this machine (loopback), where plain HTTP leaves nothing on the network. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/** Builds an HttpClient. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const secrets = options.secrets ?? [];
  const doFetch = options.fetch ?? fetch;

  const classify = (response: HttpResponse): DestinationError | undefined => {
    const info = { status: response.status, headers: response.headers, body: redact(response.text, secrets) };
    const generic = classifyHttpResponse(info.status, info.headers, info.body);
    if (generic === undefined) return undefined;
    return options.refineError?.(info, generic) ?? generic;
  };

  // Secrets sent in clear text over the network: said once per client, never for this machine.
  const warned = options.plainHttpWarned ?? { value: false };
  const warnPlainHttp = (url: URL) => {
    if (warned.value || url.protocol !== 'http:' || isLocalHost(url.hostname)) return;
    warned.value = true;
    options.logger?.warn(
      `plain http:// to ${url.host}: requests (and their credentials) are not encrypted; use https://`,
    );
  };

  const gate = options.gate;
  // Gated outside the network-error classification: the gate's own refusals (the daily quota,
  // a dropped call) reach the runner as they are.
  const request = (req: HttpRequest): Promise<HttpResponse> =>
    gate ? gate(() => sendOnce(req)) : sendOnce(req);

  const sendOnce = async (req: HttpRequest): Promise<HttpResponse> => {
    let url: URL;
    try {
      url = buildUrl(options.baseUrl, req);
    } catch (error) {
      throw classifyNetworkError(error, redact(req.path, secrets));
    }
    const shownUrl = redact(url.toString(), secrets);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      ...req.headers,
    };
    let body: string | Uint8Array | undefined = req.body;
    if (req.json !== undefined) {
      body = exactJson(req.json); // big numbers as their exact digits, never rounded
      headers['content-type'] ??= 'application/json';
    }
    const timeout = AbortSignal.timeout(req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const started = Date.now();
    const method = req.method ?? (body === undefined ? 'GET' : 'POST');
    warnPlainHttp(url);
    try {
      // Redirects are never followed blindly: a write's body, signature and credentials must not
      // reach another address, and a read follows only within its own origin.
      let target = url;
      let res = await doFetch(target, { method, headers, body, signal, redirect: 'manual' });
      for (let hop = 0; REDIRECTS.has(res.status); hop++) {
        const location = res.headers.get('location');
        const next = location ? new URL(location, target) : undefined;
        const shownNext = next ? redact(next.toString(), secrets) : '(no Location)';
        const read = method === 'GET';
        if (!read || !next || next.origin !== target.origin || hop >= MAX_READ_REDIRECTS) {
          await res.body?.cancel().catch(() => undefined);
          throw new DestinationError(
            'config',
            `${shownUrl} answered HTTP ${res.status}, a redirect to ${shownNext}: weft does not follow ${read ? 'redirects to another origin' : `redirects of a ${method}`} (its body and credentials would go to another address); point the connection at the final URL`,
            { status: res.status },
          );
        }
        await res.body?.cancel().catch(() => undefined);
        target = next;
        res = await doFetch(target, { method, headers, signal, redirect: 'manual' });
      }
      const text = await res.text();
      options.logger?.debug('http', { method, url: shownUrl, status: res.status, ms: Date.now() - started });
      return toResponse(res.status, res.headers, text, shownUrl);
    } catch (error) {
      // A timeout surfaces as TimeoutError only when our timeout fired (not the run's abort).
      const reason = timeout.aborted && !options.signal?.aborted ? timeout.reason : error;
      options.logger?.debug('http failed', { method, url: shownUrl, ms: Date.now() - started });
      throw classifyNetworkError(reason, shownUrl);
    }
  };

  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    const response = await request(req);
    const error = classify(response);
    if (error) throw error;
    return response;
  };

  return {
    request,
    send,
    classify,
    async json<T>(req: HttpRequest): Promise<T | undefined> {
      return (await send(req)).json<T>();
    },
    gated: (next) => createHttpClient({ ...options, gate: next, plainHttpWarned: warned }),
  };
}
