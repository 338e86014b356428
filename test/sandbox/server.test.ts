import { afterEach, describe, expect, it } from 'vitest';
import { emulatorNames, type Sandbox, SlidingWindow, startSandbox } from '../../src/sandbox/index.js';
import type { SandboxState } from '../../src/sandbox/types.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const state = async (base: string) => (await (await fetch(`${base}/__sandbox/state`)).json()) as SandboxState;

describe('startSandbox', () => {
  it('starts every emulator on a free port and closes them', async () => {
    sandbox = await startSandbox();
    expect(Object.keys(sandbox.urls)).toEqual(emulatorNames());
    const url = sandbox.urls.webhook as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await state(url)).name).toBe('webhook');
    await sandbox.close();
    sandbox = undefined;
    await expect(fetch(`${url}/__sandbox/state`)).rejects.toThrow();
  });

  it('refuses unknown emulators and a port already in use, closing what it started', async () => {
    await expect(startSandbox({ destinations: ['nope'] })).rejects.toThrow(/no emulator for nope/);
    sandbox = await startSandbox();
    const port = Number(new URL(sandbox.urls.webhook as string).port);
    await expect(startSandbox({ ports: { webhook: port } })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('admin API and faults', () => {
  it('fails the next N requests as injected, then serves normally; reset clears stats', async () => {
    sandbox = await startSandbox();
    const url = sandbox.urls.webhook as string;
    const inject = await post(`${url}/__sandbox/faults`, {
      fail: [
        { kind: 'status', status: 503, count: 2 },
        { kind: 'status', status: 429, retryAfter: '3' },
        { kind: 'reset' },
      ],
    });
    expect(inject.status).toBe(204);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(`${url}/hooks/weft`, {})).status);
    expect(statuses).toEqual([503, 503, 429]);
    await expect(post(`${url}/hooks/weft`, {})).rejects.toThrow(/fetch failed/);
    // No signature: the emulator itself answers now.
    expect((await post(`${url}/hooks/weft`, {})).status).toBe(401);
    const before = await state(url);
    expect(before.stats).toMatchObject({
      requests: 5,
      faultsApplied: 4,
      statuses: { 503: 2, 429: 1, 401: 1 },
    });
    expect((await post(`${url}/__sandbox/reset`, {})).status).toBe(204);
    expect((await state(url)).stats.requests).toBe(0);
  });

  it('delays slow requests and rejects bad fault specs', async () => {
    sandbox = await startSandbox();
    const url = sandbox.urls.webhook as string;
    await post(`${url}/__sandbox/faults`, { fail: [{ kind: 'slow', delayMs: 300 }] });
    const started = Date.now();
    await post(`${url}/hooks/weft`, {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect((await post(`${url}/__sandbox/faults`, { fail: [{ kind: 'status', status: 200 }] })).status).toBe(
      400,
    );
    expect((await post(`${url}/__sandbox/faults`, { reject: [{ field: 'x', matches: '(' }] })).status).toBe(
      400,
    );
    expect((await fetch(`${url}/__sandbox/nothing`)).status).toBe(404);
  });

  it('enforces a sliding-window rate limit with 429 and Retry-After', async () => {
    sandbox = await startSandbox({ rateLimits: { webhook: { requests: 3, perMs: 2000 } } });
    const url = sandbox.urls.webhook as string;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(`${url}/hooks/weft`, {}));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429, 429]);
    expect(Number(answers[3]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const stats = (await state(url)).stats;
    expect([stats.rateLimited, stats.peakWindowRequests]).toEqual([2, 3]);
    await post(`${url}/__sandbox/faults`, { rateLimit: null });
    expect((await post(`${url}/hooks/weft`, {})).status).toBe(401);
  });
});

describe('SlidingWindow', () => {
  it('allows `requests` per rolling window, refused calls do not count', () => {
    const window = new SlidingWindow({ requests: 2, perMs: 1000 });
    expect(window.take(0).allowed).toBe(true);
    expect(window.take(500).allowed).toBe(true);
    expect(window.take(900)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(window.take(1000).allowed).toBe(true); // the call at 0 left the window
    expect(window.take(1400).allowed).toBe(false);
    expect(window.take(1500).allowed).toBe(true);
    expect(window.peak).toBe(2);
  });
});
