/**
 * The console's wrong-key limit over HTTP (no browser): an address that sends too many wrong keys
 * gets 429 with Retry-After, for every call, until its tries come back; another address with the
 * right key is never slowed; right keys cost nothing. The clock is the test's.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/project.js';
import { SignInLimit } from '../../src/serve/console/sign-in-limit.js';
import { type RunningConsole, startConsole } from '../../src/serve/console/start.js';
import { copyDemoProject } from '../cli/run-weft.js';

/** GET /console/api/session with `key`, from the loopback address `from`. */
function session(
  url: string,
  key: string,
  from: string,
): Promise<{ status: number; retryAfter?: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: hostname,
        port: Number(port),
        path: '/console/api/session',
        localAddress: from,
        headers: { authorization: `Bearer ${key}` },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'] as string | undefined,
            body,
          }),
        );
      },
    );
    request.on('error', reject);
  });
}

describe('the console refuses key guessing', () => {
  const viewer = `viewer-${randomBytes(8).toString('hex')}`;
  let dir: string;
  let running: RunningConsole;
  let clock = 1_000_000;
  const GUESSER = '127.0.0.2';
  const OTHER = '127.0.0.3';

  beforeAll(async () => {
    dir = copyDemoProject('weft-console-limit-');
    const text = fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      text.replace(/^( {2}viewer_key: .*)$/m, `  viewer_key: "${viewer}"`),
    );
    running = await startConsole(await loadProjectOrThrow(dir), {
      port: 0,
      bind: '127.0.0.1',
      signIn: { failures: 3, perSeconds: 60, now: () => clock },
    });
  });
  afterAll(async () => {
    await running?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After after the allowed wrong keys, even for the right key from that address', async () => {
    for (let i = 0; i < 3; i++) expect((await session(running.url, `guess-${i}`, GUESSER)).status).toBe(401);
    const refused = await session(running.url, 'guess-3', GUESSER);
    expect(refused.status).toBe(429);
    // One try comes back every 20 s (3 per 60 s).
    expect(refused.retryAfter).toBe('20');
    expect(JSON.parse(refused.body)).toEqual({
      success: false,
      error: 'too many wrong keys from this address: retry in 20 s',
    });
    // A right guess is not told apart while the address is refused.
    expect((await session(running.url, viewer, GUESSER)).status).toBe(429);

    // Someone else, with the right key, is not slowed by the guesser.
    const other = await session(running.url, viewer, OTHER);
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body)).toEqual({ role: 'viewer', project: 'demo' });

    // After Retry-After one try is back: the right key works, and a wrong one is refused again.
    clock += 20_000;
    expect((await session(running.url, viewer, GUESSER)).status).toBe(200);
    expect((await session(running.url, 'guess-4', GUESSER)).status).toBe(401);
    expect((await session(running.url, 'guess-5', GUESSER)).status).toBe(429);
  });

  it('lets right keys through however many there are', async () => {
    for (let i = 0; i < 12; i++) expect((await session(running.url, viewer, OTHER)).status).toBe(200);
  });
});

describe('SignInLimit', () => {
  const from = (address: string) =>
    ({ socket: { remoteAddress: address } }) as unknown as http.IncomingMessage;

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    let now = 0;
    const limit = new SignInLimit({ failures: 2, perSeconds: 10, now: () => now });
    limit.failed(from('::ffff:10.0.0.1'));
    limit.failed(from('10.0.0.1'));
    expect(limit.wait(from('10.0.0.1'))).toBe(5);
    expect(limit.wait(from('10.0.0.2'))).toBe(0);
    now += 5_000;
    expect(limit.wait(from('::ffff:10.0.0.1'))).toBe(0);
  });
});
