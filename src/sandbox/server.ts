/**
 * Serves one emulator over node:http on 127.0.0.1, with the admin API every emulator shares:
 *   GET  /__sandbox/state   → SandboxState (framework stats + the emulator's state)
 *   POST /__sandbox/reset   → forgets state, stats, faults (keeps the configured rate limit)
 *   POST /__sandbox/faults  → FaultSpec: fail next requests, reject records, set the rate limit
 * Other requests go through injected failures, then the rate limit, then the emulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultState } from './faults.js';
import { SlidingWindow } from './rate-limit.js';
import type {
  EmulatorApp,
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  FaultSpec,
  SandboxRateLimit,
  SandboxState,
  SandboxStats,
} from './types.js';

/** How to start one emulator. */
export interface EmulatorServerOptions<Options> {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Emulator-specific options (e.g. the webhook secret). */
  options?: Partial<Options>;
  rateLimit?: SandboxRateLimit;
}

/** A running emulator. The admin API over HTTP and these methods do the same. */
export interface RunningEmulator<S = unknown> {
  name: string;
  /** Base URL, e.g. http://127.0.0.1:4410 (no trailing slash). */
  url: string;
  port: number;
  /** Connection settings pointing at this emulator. */
  settings: Record<string, unknown>;
  /** Stats and state; `query` as for GET /__sandbox/state (e.g. records=false). */
  snapshot(query?: URLSearchParams): SandboxState<S>;
  reset(): void;
  injectFaults(spec: FaultSpec): void;
  close(): Promise<void>;
}

const ADMIN = '/__sandbox/';

function emptyStats(): SandboxStats {
  return { requests: 0, statuses: {}, rateLimited: 0, faultsApplied: 0, peakWindowRequests: 0 };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toRequest(req: IncomingMessage, body: Buffer): EmulatorRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    text: () => body.toString('utf8'),
    json: () => {
      try {
        return body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
      } catch {
        return undefined;
      }
    },
  };
}

function write(res: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (typeof response.body === 'string') payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Starts `definition` on a local port. */
export async function startEmulator<Options, S = unknown>(
  definition: EmulatorDefinition<Options>,
  serverOptions: EmulatorServerOptions<Options> = {},
): Promise<RunningEmulator<S>> {
  const options = serverOptions.options ?? {};
  const app: EmulatorApp = definition.create(options);
  const faults = new FaultState();
  let limiter = serverOptions.rateLimit ? new SlidingWindow(serverOptions.rateLimit) : undefined;
  let stats = emptyStats();

  const snapshot = (query?: URLSearchParams): SandboxState<S> => ({
    name: definition.name,
    stats: { ...stats, statuses: { ...stats.statuses }, peakWindowRequests: limiter?.peak ?? 0 },
    state: app.state(query) as S,
  });
  const reset = () => {
    app.reset();
    faults.clear();
    stats = emptyStats();
    if (limiter) limiter = new SlidingWindow(limiter.limit);
  };
  const injectFaults = (spec: FaultSpec) => {
    faults.apply(spec);
    if (spec.rateLimit === null) limiter = undefined;
    else if (spec.rateLimit) limiter = new SlidingWindow(spec.rateLimit);
  };

  const respond = (res: ServerResponse, response: EmulatorResponse) => {
    stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1;
    write(res, response);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if ((req.url ?? '').startsWith(ADMIN)) return write(res, admin(toRequest(req, await readBody(req))));
    stats.requests++;
    // Faults and the rate limit are decided on arrival (headers), as real APIs count requests,
    // not when a large body has finished uploading.
    const failure = faults.next();
    const arrival = failure === undefined || failure.kind === 'slow' ? limiter?.take() : undefined;
    const body = await readBody(req);
    if (failure) {
      stats.faultsApplied++;
      if (failure.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (failure.kind === 'status') {
        const headers: Record<string, string> = failure.retryAfter
          ? { 'retry-after': failure.retryAfter }
          : {};
        return respond(res, {
          status: failure.status,
          headers,
          body: failure.body ?? { error: 'injected failure' },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
    }
    if (arrival && !arrival.allowed) {
      stats.rateLimited++;
      const retryAfter = String(Math.ceil(arrival.retryAfterMs / 1000));
      return respond(res, {
        status: 429,
        headers: { 'retry-after': retryAfter },
        body: { error: 'rate limited' },
      });
    }
    respond(res, await app.handle(toRequest(req, body), faults));
  };

  const admin = (request: EmulatorRequest): EmulatorResponse => {
    const action = request.path.slice(ADMIN.length);
    if (action === 'state' && request.method === 'GET') return { status: 200, body: snapshot(request.query) };
    if (action === 'reset' && request.method === 'POST') {
      reset();
      return { status: 204 };
    }
    if (action === 'faults' && request.method === 'POST') {
      try {
        injectFaults((request.json() ?? {}) as FaultSpec);
        return { status: 204 };
      } catch (error) {
        return { status: 400, body: { error: (error as Error).message } };
      }
    }
    return {
      status: 404,
      body: { error: `unknown sandbox admin endpoint ${request.method} ${request.path}` },
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, { status: 500, body: { error: (error as Error).message } });
    });
  });
  const host = serverOptions.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(serverOptions.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  return {
    name: definition.name,
    url,
    port,
    settings: definition.settingsFor(url, options),
    snapshot,
    reset,
    injectFaults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
