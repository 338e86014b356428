/** The HTTP client handed to destination primitives (ctx.http). */

/** One request. `path` is resolved against the destination's base URL unless absolute. */
export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Query parameters appended to the URL. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A JSON body (serialised, content-type set). Mutually exclusive with `body`. */
  json?: unknown;
  /** A raw body. */
  body?: string | Uint8Array;
  /** Per-request timeout; default from the client (30 s). */
  timeoutMs?: number;
}

/** A response read in full (destinations exchange small JSON documents). */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Body text. */
  text: string;
  /** Final URL. */
  url: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json<T = unknown>(): T | undefined;
}

/**
 * Runs one HTTP request when the destination account's budget lets it (src/sync/budget): every
 * request a primitive makes (reads, polls, job steps) waits its turn in the account's paced
 * queue, not only the first one of a batch.
 */
export type RequestGate = (send: () => Promise<HttpResponse>) => Promise<HttpResponse>;

/** Bound HTTP client: base URL, default headers, timeouts, redaction, error classification. */
export interface HttpClient {
  /** Sends a request; resolves with any HTTP status; network failures and timeouts throw a retryable DestinationError. */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Like request, but a non-2xx response throws the classified DestinationError (refined by the destination). */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** send() and parse the body as JSON (undefined when empty). */
  json<T = unknown>(request: HttpRequest): Promise<T | undefined>;
  /** The classified DestinationError for a response (undefined for 2xx), with the destination's refinement. */
  classify(response: HttpResponse): import('../errors.js').DestinationError | undefined;
  /** The same client with every request passing through `gate` (the runner's per-request pacing). */
  gated?(gate: RequestGate): HttpClient;
}
