/**
 * Secrets never follow redirects (issue 18, item 4): two real servers on this machine, one that
 * redirects and one "elsewhere" that must never see a write's body, signature or credentials.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLocalHost } from '../../src/destination-kit/http/client.js';
import { createHttpClient, DestinationError } from '../../src/destination-kit/index.js';
import { capturingLogger } from './harness.js';

let origin: Server;
let elsewhere: Server;
let originUrl: string;
let elsewhereUrl: string;
const elsewhereSaw: IncomingMessage[] = [];
const originSaw: string[] = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    elsewhereSaw.push(req);
    res.end('{}');
  });
  elsewhereUrl = await listen(elsewhere);
  origin = createServer((req, res) => {
    originSaw.push(`${req.method} ${req.url}`);
    if (req.url === '/cross') {
      res.writeHead(307, { location: `${elsewhereUrl}/steal` });
      return void res.end();
    }
    if (req.url === '/same') {
      res.writeHead(302, { location: '/final' });
      return void res.end();
    }
    if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  originUrl = await listen(origin);
});
afterAll(async () => {
  await new Promise<void>((resolve) => origin.close(() => resolve()));
  await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
});
beforeEach(() => {
  elsewhereSaw.length = 0;
  originSaw.length = 0;
});

const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as DestinationError,
  );

describe('redirects', () => {
  it('a write redirected to another origin fails as a config error; the other origin sees nothing', async () => {
    const http = createHttpClient({
      baseUrl: originUrl,
      headers: { 'x-weft-signature': 'sha256=secret-sig' },
    });
    const error = await failure(http.send({ path: 'cross', json: { email: 'a@x.io' } }));
    expect(error).toBeInstanceOf(DestinationError);
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(
      /HTTP 307, a redirect to http:\/\/127\.0\.0\.1:\d+\/steal: weft does not follow redirects of a POST/,
    );
    expect(elsewhereSaw).toEqual([]);
  });

  it('a write is not re-sent even to its own origin', async () => {
    const http = createHttpClient({ baseUrl: originUrl });
    const error = await failure(http.send({ path: 'same', method: 'PUT', json: { a: 1 } }));
    expect(error.kind).toBe('config');
    expect(originSaw).toEqual(['PUT /same']);
  });

  it('a read follows a same-origin redirect, but not another origin, and not forever', async () => {
    const http = createHttpClient({ baseUrl: originUrl });
    expect(await http.json({ path: 'same' })).toEqual({ ok: true });
    expect(originSaw).toEqual(['GET /same', 'GET /final']);
    expect((await failure(http.send({ path: 'cross' }))).message).toMatch(/redirects to another origin/);
    expect(elsewhereSaw).toEqual([]);
    expect((await failure(http.send({ path: 'loop' }))).kind).toBe('config');
  });
});

describe('plain http', () => {
  it('warns once for a non-local host, never for this machine', async () => {
    const logger = capturingLogger();
    const remote = createHttpClient({
      baseUrl: 'http://crm.example.invalid',
      logger,
      fetch: async () => new Response('{}', { status: 200 }),
    });
    await remote.send({ path: 'a' });
    await remote.send({ path: 'b' });
    const local = createHttpClient({ baseUrl: originUrl, logger });
    await local.send({ path: 'ok' });
    const warnings = logger.lines.filter((l) => l.startsWith('warn '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plain http:\/\/ to crm\.example\.invalid/);
  });

  it('knows the loopback names', () => {
    for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.8.9.10', '[::1]'])
      expect(isLocalHost(host)).toBe(true);
    for (const host of ['example.com', '10.0.0.1', '192.168.1.2', '128.0.0.1'])
      expect(isLocalHost(host)).toBe(false);
  });
});
