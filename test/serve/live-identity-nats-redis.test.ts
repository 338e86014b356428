/**
 * Issue 15's scale-out acceptance for live identity: two compiled `weft serve` processes share a
 * NATS JetStream log and a Redis serving store. A visitor's page view reaches one, their identify
 * the other; the profile API of the first answers the stitched profile within a second of the
 * identify's ack. Skips without NATS or Redis, unless WEFT_REQUIRE_NATS / WEFT_REQUIRE_REDIS=1.
 * (Each process has its own project folder and DuckDB file: landing is not what is tested here.)
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileIdOf } from '../../src/realtime/live/records.js';
import { deleteStream, natsAvailable, natsUrl } from '../events/nats-support.js';
import { REDIS_URL, storeKinds } from '../realtime/stores.js';
import { exited, freePort, healthy, startServe } from './processes.js';
import { removeProject, WEB_KEY, waitFor, writeEventsProject } from './project.js';

const redisAvailable = storeKinds.some((k) => k.name === 'redis');
const VIEWER = 'viewer-key-nats-redis-0123';

describe.runIf(natsAvailable && redisAvailable)('live identity across two weft serve processes', () => {
  const id = randomBytes(4).toString('hex');
  const stream = `WEFT_TEST_${id.toUpperCase()}`;
  const prefix = `weft-test:live-${id}`;
  const dirs: string[] = [];
  const children: ChildProcess[] = [];

  function project(): string {
    const dir = writeEventsProject(`  log: ${natsUrl}
  nats: { stream: ${stream}, ack_wait_ms: 2000 }
serve:
  viewer_key: ${VIEWER}
  store: "${REDIS_URL}"
  store_prefix: "${prefix}"
`);
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(
      path.join(dir, 'models', 'sources.yml'),
      'sources:\n  events:\n    schema: events\n    tables: [identifies]\n',
    );
    writeFileSync(
      path.join(dir, 'models', 'identity.yml'),
      `identity:
  id_types:
    user_id: {}
    email: { normalize: email }
    anonymous_id: {}
  sources:
    - from: events.identifies
      key: id
      ids: { user_id: user_id, anonymous_id: anonymous_id, email: email }
      timestamp: timestamp
`,
    );
    dirs.push(dir);
    return dir;
  }

  beforeAll(() => {
    project();
    project();
  });
  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGTERM');
      await exited(child);
    }
    await deleteStream(stream).catch(() => undefined);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    for (const dir of dirs) removeProject(dir);
  });

  async function send(node: string, kind: string, body: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${node}/v1/${kind}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${WEB_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  async function profile(node: string, key: string) {
    const response = await fetch(`${node}/v1/profiles/${encodeURIComponent(key)}`, {
      headers: { authorization: `Bearer ${VIEWER}` },
    });
    return response.status === 200
      ? ((await response.json()) as { profile_id: string; identifiers: Array<{ type: string }> })
      : undefined;
  }

  it('reads through one process a profile an identify updated through the other, within a second', {
    timeout: 120_000,
  }, async () => {
    const ports = [await freePort(), await freePort()];
    const nodes = ports.map((port) => `http://127.0.0.1:${port}`);
    for (const [i, dir] of dirs.entries()) children.push(startServe(dir, ports[i] as number));
    for (const node of nodes) await waitFor(`weft serve at ${node}`, () => healthy(node), 60_000);
    const [a, b] = nodes as [string, string];
    const anon = `anon-${id}`;
    await send(b, 'page', { anonymousId: anon, timestamp: '2026-03-01T09:00:00.000Z' });
    await waitFor('the page view in the store', () => profile(b, `anonymous_id:${anon}`), 5000);
    await send(a, 'identify', {
      anonymousId: anon,
      userId: `user-${id}`,
      traits: { email: `visitor-${id}@corp.example.io` },
      timestamp: '2026-03-01T09:05:00.000Z',
    });
    const acked = Date.now();
    const stitched = await waitFor(
      'the identify read through the other process',
      async () => {
        const body = await profile(b, `user_id:user-${id}`);
        return body && body.identifiers.length === 3 ? body : undefined;
      },
      5000,
    );
    expect(Date.now() - acked).toBeLessThan(1000);
    expect(stitched.profile_id).toBe(profileIdOf('anonymous_id', anon));
    expect((await profile(b, `email:Visitor-${id}@corp.example.io`))?.profile_id).toBe(stitched.profile_id);
    expect((await profile(a, `anonymous_id:${anon}`))?.profile_id).toBe(stitched.profile_id);
  });
});
