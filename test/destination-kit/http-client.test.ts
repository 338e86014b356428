import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, DestinationError } from '../../src/destination-kit/index.js';
import { capturingLogger } from './harness.js';

let server: Server;
let base: string;
const seen: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      if (req.url?.endsWith('/slow')) return void setTimeout(() => res.end('{}'), 500);
      if (req.url?.endsWith('/teapot')) {
        res.writeHead(418, { 'content-type': 'application/json' });
        return void res.end('{"error":"token s3cr3t-token-value is a teapot"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: body ? JSON.parse(body) : null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createHttpClient', () => {
  it('resolves paths against the base URL, adds query, JSON body and default headers', async () => {
    const http = createHttpClient({ baseUrl: base, headers: { authorization: 'Bearer s3cr3t-token-value' } });
    const answer = await http.json<{ echo: unknown }>({
      path: 'items',
      query: { a: 1, skip: undefined },
      json: { x: 1 },
    });
    expect(answer).toEqual({ echo: { x: 1 } });
    const last = seen.at(-1);
    expect(last?.url).toBe('/api/items?a=1');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(last?.headers.authorization).toBe('Bearer s3cr3t-token-value');
  });

  it('times out per request with a retryable error', async () => {
    const http = createHttpClient({ baseUrl: base });
    const error = await http.send({ path: 'slow', timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).kind).toBe('retryable');
    expect((error as DestinationError).message).toMatch(/timed out/);
  });

  it('classifies non-2xx, applies the refine hook and redacts secrets from messages and logs', async () => {
    const logger = capturingLogger();
    const http = createHttpClient({
      baseUrl: base,
      secrets: ['s3cr3t-token-value'],
      logger,
      refineError: (response, generic) =>
        response.status === 418
          ? new DestinationError('retryable', `vendor quirk: ${response.body}`)
          : generic,
    });
    const raw = await http.request({ path: 'teapot' });
    expect(raw.status).toBe(418);
    const error = (await http.send({ path: 'teapot' }).catch((e: unknown) => e)) as DestinationError;
    expect(error.kind).toBe('retryable');
    expect(error.message).toContain('***');
    expect(error.message).not.toContain('s3cr3t-token-value');
    expect(logger.lines.some((line) => line.includes('teapot'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain('s3cr3t');
  });

  it('turns a refused connection into a retryable error naming ECONNREFUSED, a bad URL or port into config', async () => {
    // A port the OS handed out and took back: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = createHttpClient({ baseUrl: `http://127.0.0.1:${port}` });
    const refused = (await http.send({ path: 'x' }).catch((e: unknown) => e)) as DestinationError;
    expect(refused.kind).toBe('retryable');
    expect(refused.message).toMatch(/ECONNREFUSED/);
    const bad = createHttpClient();
    expect(((await bad.send({ path: 'not a url' }).catch((e: unknown) => e)) as DestinationError).kind).toBe(
      'config',
    );
    // fetch refuses the Fetch standard's "bad ports" (1, 9, 25…) without trying.
    const badPort = createHttpClient({ baseUrl: 'http://127.0.0.1:1' });
    const refusedPort = (await badPort.send({ path: 'x' }).catch((e: unknown) => e)) as DestinationError;
    expect(refusedPort.kind).toBe('config');
    expect(refusedPort.message).toMatch(/bad port/);
  });

  it('passes the run abort through instead of calling it a timeout', async () => {
    const controller = new AbortController();
    const http = createHttpClient({ baseUrl: base, signal: controller.signal });
    const pending = http.send({ path: 'slow' }).catch((e: unknown) => e);
    controller.abort();
    const error = await pending;
    expect(error).not.toBeInstanceOf(DestinationError);
    expect((error as Error).name).toBe('AbortError');
  });
});
