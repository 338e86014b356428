/**
 * The tracking API with raw HTTP: each bad input gets its status and a clear reason while the
 * rest of a batch is kept; skew correction, gzip, CORS, health, readiness and metrics.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { type RunningCollector, startCollector } from '../../src/serve/collector.js';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import {
  loadEventsProject,
  removeProject,
  SERVER_KEY,
  WEB_KEY,
  waitFor,
  writeEventsProject,
} from './project.js';

let dir: string;
let collector: RunningCollector;
let project: Project;

beforeAll(async () => {
  dir = writeEventsProject();
  project = await loadEventsProject(dir);
  collector = await startCollector(project, { port: 0 });
});
afterAll(async () => {
  await collector?.close();
  removeProject(dir);
});

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${collector.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(SERVER_KEY), ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe('the tracking API', () => {
  it('accepts a track call and answers its messageId, generating one when none is sent', async () => {
    const sent = await post('/v1/track', { userId: 'u1', event: 'Clicked', messageId: 'given-1' });
    expect(sent).toMatchObject({ status: 200, body: { success: true, messageId: 'given-1' } });
    const generated = await post('/v1/track', { userId: 'u1', event: 'Clicked' });
    expect(generated.status).toBe(200);
    expect(generated.body.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes the write key from the body when there is no Basic auth', async () => {
    const response = await post(
      '/v1/identify',
      { writeKey: WEB_KEY, anonymousId: 'a1', traits: { x: 1 } },
      { authorization: '' },
    );
    expect(response.status).toBe(200);
  });

  it('answers 401 to a wrong or missing write key', async () => {
    const wrong = await post('/v1/track', { userId: 'u1', event: 'E' }, { authorization: basic('nope') });
    expect(wrong).toMatchObject({ status: 401, body: { success: false, error: 'unknown write key' } });
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    const missing = await post('/v1/track', { userId: 'u1', event: 'E' }, { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toContain('missing write key');
  });

  it('answers 400 to malformed JSON, naming the parse error', async () => {
    const response = await post('/v1/batch', '{"batch": [', {});
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^malformed JSON: /);
  });

  it('refuses single calls with no user, an unknown type, or a timestamp years ahead', async () => {
    const noUser = await post('/v1/track', { event: 'E' });
    expect(noUser).toMatchObject({
      status: 400,
      body: { error: 'the event has no userId and no anonymousId' },
    });
    const future = await post('/v1/track', { userId: 'u', event: 'E', timestamp: '2031-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.body.error).toContain('more than a day ahead');
    const unknown = await post('/v1/batch', { batch: [{ type: 'purchase', userId: 'u' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.rejected[0].reason).toContain('unknown type "purchase"');
  });

  it('keeps the good events of a batch and names each refused one by index with its reason', async () => {
    const big = 'x'.repeat(33 * 1024);
    const response = await post('/v1/batch', {
      context: { library: { name: 'batch-lib' } },
      batch: [
        { type: 'track', userId: 'u1', event: 'Good One', messageId: 'ok-1' },
        { type: 'track', event: 'No User', messageId: 'bad-1' },
        { type: 'bogus', userId: 'u1', messageId: 'bad-2' },
        { type: 'track', userId: 'u1', event: 'Huge', properties: { big }, messageId: 'bad-3' },
        { type: 'track', userId: 'u1', event: 'Late', timestamp: '2099-01-01T00:00:00Z', messageId: 'bad-4' },
        { type: 'identify', anonymousId: 'a9', messageId: 'ok-2' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(
      response.body.rejected.map((r: { index: number; status: number; messageId: string }) => [
        r.index,
        r.status,
        r.messageId,
      ]),
    ).toEqual([
      [1, 400, 'bad-1'],
      [2, 400, 'bad-2'],
      [3, 413, 'bad-3'],
      [4, 400, 'bad-4'],
    ]);
    expect(response.body.rejected[2].reason).toContain('32 KB');
  });

  it('refuses a whole batch over 500 KB or over 2,500 events with 413', async () => {
    const events = Array.from({ length: 2501 }, (_, i) => ({
      type: 'track',
      userId: 'u',
      event: 'E',
      messageId: `n${i}`,
    }));
    const tooMany = await post('/v1/batch', { batch: events });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toContain('2501 events');
    const heavy = Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      userId: 'u',
      event: 'E',
      properties: { pad: 'y'.repeat(30_000) },
      messageId: `h${i}`,
    }));
    const tooBig = await post('/v1/batch', { batch: heavy });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toContain('over the 512000-byte');
  });

  it('reads gzip bodies (and refuses a gzip bomb past the limit)', async () => {
    const body = gzipSync(
      JSON.stringify({ batch: [{ type: 'track', userId: 'gz', event: 'Zipped', messageId: 'gz-1' }] }),
    );
    const response = await post('/v1/batch', body, { 'content-encoding': 'gzip' });
    expect(response).toMatchObject({ status: 200, body: { accepted: 1, rejected: [] } });
    const bomb = gzipSync(JSON.stringify({ batch: [], pad: ' '.repeat(2_000_000) }));
    expect((await post('/v1/batch', bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
  });

  it('corrects the client clock skew from sentAt, merges batch context, stamps receivedAt', async () => {
    // The client's clock runs one hour behind: sentAt and the event time are both an hour early.
    const now = Date.now();
    const sentAt = new Date(now - 3_600_000).toISOString();
    const original = new Date(now - 3_600_000 - 5_000).toISOString();
    const response = await post('/v1/batch', {
      sentAt,
      context: { ip: '203.0.113.9', library: { name: 'outer' } },
      batch: [
        {
          type: 'track',
          userId: 'skew',
          event: 'Skewed',
          timestamp: original,
          messageId: 'skew-1',
          context: { library: { name: 'inner' } },
        },
      ],
    });
    expect(response.status).toBe(200);
    const [row] = await waitFor('the skewed event to land', async () => {
      const found = await withWarehouse(project, (w) =>
        w.query(
          "SELECT context_ip, context_library_name, original_timestamp, sent_at, received_at, timestamp FROM events.skewed WHERE id = 'skew-1'",
        ),
      ).catch(() => []);
      return found.length > 0 ? found : undefined;
    });
    expect(row).toMatchObject({ context_ip: '203.0.113.9', context_library_name: 'inner' });
    const ms = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).getTime();
    expect(new Date(ms(row?.original_timestamp)).toISOString()).toBe(original);
    expect(new Date(ms(row?.sent_at)).toISOString()).toBe(sentAt);
    // timestamp = originalTimestamp + (receivedAt − sentAt): 5 s before the server's receipt.
    expect(ms(row?.timestamp)).toBe(ms(row?.received_at) - 5_000);
  });

  it('answers CORS preflights for allowed origins and tags answers to them', async () => {
    const preflight = await fetch(`${collector.url}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const allowed = await post(
      '/v1/page',
      { anonymousId: 'b1', name: 'Home' },
      { authorization: basic(WEB_KEY), origin: 'https://shop.example' },
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const refused = await post(
      '/v1/page',
      { anonymousId: 'b1', name: 'Home' },
      { authorization: basic(WEB_KEY), origin: 'https://evil.example' },
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves /health, /ready and Prometheus metrics counting what it accepted and refused', async () => {
    expect((await fetch(`${collector.url}/health`)).status).toBe(200);
    const ready = await fetch(`${collector.url}/ready`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${collector.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('# TYPE weft_events_accepted_total counter');
    expect(text).toMatch(/weft_events_accepted_total\{source="backend"\} \d+/);
    expect(text).toContain('weft_events_refused_total{source="backend",status="413"} 1');
    expect(text).toContain('# TYPE weft_log_pending_events gauge');
    expect(collector.metrics.value('weft_events_accepted_total', { source: 'web' })).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('answers 404 to unknown routes and 405 to GET on a tracking route', async () => {
    expect((await fetch(`${collector.url}/v2/track`)).status).toBe(404);
    expect((await fetch(`${collector.url}/v1/track`)).status).toBe(405);
  });

  it('labels HTTP metrics by known route only: probed paths count as other', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${collector.url}/v1/probe-${i}`);
    await fetch(`${collector.url}/health`);
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    expect(text).not.toContain('/v1/probe-');
    expect(
      collector.metrics.value('weft_http_requests_total', { route: 'other', status: '404' }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      collector.metrics.value('weft_http_requests_total', { route: '/health', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
  });
});
