/**
 * Live identity end to end, through the real collector (HTTP, embedded log, lander into DuckDB)
 * and the compiled `weft build`: an anonymous visitor views pages, then identifies; within a
 * second of the identify's ack the profile API answers one profile for the anonymous id, the
 * user id and the email, with the last events; the next `weft build` (another process) gives
 * that profile the same id, and its load takes over from the live overlay.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileIdOf } from '../../src/realtime/live/records.js';
import { type RunningCollector, startCollector } from '../../src/serve/collector.js';
import { runWeft } from '../cli/run-weft.js';
import { loadEventsProject, removeProject, WEB_KEY, waitFor, writeEventsProject } from './project.js';

const VIEWER = 'viewer-key-live-0123456789';
let dir: string;
let collector: RunningCollector;

beforeAll(async () => {
  dir = writeEventsProject(`serve:
  viewer_key: ${VIEWER}
`);
  mkdirSync(path.join(dir, 'models'));
  writeFileSync(
    path.join(dir, 'models', 'sources.yml'),
    `sources:
  events:
    schema: events
    tables: [pages, identifies]
`,
  );
  writeFileSync(
    path.join(dir, 'models', 'identity.yml'),
    `identity:
  id_types:
    user_id: { max_per_profile: 1 }
    email: { normalize: email }
    anonymous_id: {}
  sources:
    - from: events.pages
      key: id
      ids: { user_id: user_id, anonymous_id: anonymous_id }
      timestamp: timestamp
    - from: events.identifies
      key: id
      ids: { user_id: user_id, anonymous_id: anonymous_id, email: email }
      timestamp: timestamp
`,
  );
  collector = await startCollector(await loadEventsProject(dir), { port: 0 });
});
afterAll(async () => {
  await collector?.close();
  if (dir) removeProject(dir);
});

async function send(kind: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${collector.url}/v1/${kind}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${WEB_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

interface ProfileBody {
  profile_id: string;
  identifiers: Array<{ type: string; value: string }>;
  events?: Array<{ type: string; messageId: string }>;
}

async function profile(id: string, query = ''): Promise<ProfileBody | undefined> {
  const response = await fetch(`${collector.url}/v1/profiles/${encodeURIComponent(id)}${query}`, {
    headers: { authorization: `Bearer ${VIEWER}` },
  });
  return response.status === 200 ? ((await response.json()) as ProfileBody) : undefined;
}

describe('live identity through the collector and weft build', () => {
  it('makes a visitor one profile within a second of identifying, with the id the next build gives', {
    timeout: 120_000,
  }, async () => {
    const anon = 'c9f1d2a4-5b6e-4f70-8a91-live0000visitor';
    await send('page', {
      anonymousId: anon,
      name: 'Home',
      timestamp: '2026-03-01T09:00:00.000Z',
      messageId: 'pg-1',
    });
    await send('page', {
      anonymousId: anon,
      name: 'Pricing',
      timestamp: '2026-03-01T09:01:00.000Z',
      messageId: 'pg-2',
    });
    await send('identify', {
      anonymousId: anon,
      userId: 'user-4711',
      traits: { email: 'Visitor@Corp.example.io' },
      timestamp: '2026-03-01T09:02:00.000Z',
      messageId: 'id-1',
    });
    const acked = Date.now();
    const stitched = await waitFor(
      'the identify in the profile API',
      async () => {
        const body = await profile('user_id:user-4711');
        return body?.identifiers.some((i) => i.type === 'anonymous_id') ? body : undefined;
      },
      5000,
    );
    expect(Date.now() - acked).toBeLessThan(1000);
    const liveId = stitched.profile_id;
    expect(liveId).toBe(profileIdOf('anonymous_id', anon));
    expect(stitched.identifiers).toEqual([
      { type: 'anonymous_id', value: anon },
      { type: 'email', value: 'visitor@corp.example.io' },
      { type: 'user_id', value: 'user-4711' },
    ]);
    expect((await profile(`anonymous_id:${anon}`))?.profile_id).toBe(liveId);
    expect((await profile('email:VISITOR@corp.example.io'))?.profile_id).toBe(liveId);
    // the event joins the profile's list just after the stitch
    const withEvents = await waitFor(
      'the identify among the last events',
      async () => {
        const body = await profile(liveId, '?events=5');
        return body?.events?.length === 3 ? body : undefined;
      },
      2000,
    );
    expect(withEvents.events?.map((e) => e.messageId)).toEqual(['id-1', 'pg-2', 'pg-1']);

    await waitFor('the events to land', async () =>
      (await collector.log.stats()).pending === 0 ? true : undefined,
    );
    const build = await runWeft(['build', '--project', dir, '--json']);
    if (build.code !== 0) throw new Error(`weft build exited ${build.code}: ${build.stderr}`);
    const result = JSON.parse(build.stdout.trim().split('\n').at(-1) ?? '{}') as {
      serving_store?: { status: string; live?: { dropped: number; rekeyed: number } };
    };
    expect(result.serving_store).toMatchObject({ status: 'loaded', live: { dropped: 1, rekeyed: 0 } });
    // the build's answer now, not the overlay's: the same profile id
    expect(await collector.store?.live.get(`p:${liveId}`)).toBeUndefined();
    const built = await profile(`anonymous_id:${anon}`);
    expect(built?.profile_id).toBe(liveId);
    expect(built?.identifiers.map((i) => i.type)).toEqual(['anonymous_id', 'email', 'user_id']);
    expect(await collector.store?.byIdentifier('user_id', 'user-4711')).toMatchObject({ profileId: liveId });
  });
});
