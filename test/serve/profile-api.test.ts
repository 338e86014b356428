/**
 * The profile API and the personalization endpoint of `weft serve`, over an embedded serving
 * store loaded from a built warehouse (test/realtime/fixture.ts): secret-key auth, the documented
 * JSON shape, lookups normalized like the identity build; the publishable key reads only public
 * traits and audiences, only by the visitor's own anonymous id, with CORS, caching headers, 401
 * for bad keys and a rate limit per key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { loadServingStore } from '../../src/realtime/load/loader.js';
import { answerBody } from '../../src/realtime/store/answer.js';
import { openEmbeddedStore } from '../../src/realtime/store/embedded.js';
import { projectNormalizer } from '../../src/realtime/store/open.js';
import type { ServingStore } from '../../src/realtime/store/types.js';
import { type RunningCollector, startCollector } from '../../src/serve/collector.js';
import { servingProject, servingWarehouse } from '../realtime/fixture.js';
import { loadEventsProject, removeProject, writeEventsProject } from './project.js';

const VIEWER = 'viewer-secret-0123456789';
const PUBLISHABLE = 'pk_live_site_one';
const OTHER_PUBLISHABLE = 'pk_live_site_two';

let dir: string;
let storeDir: string;
let store: ServingStore;
let collector: RunningCollector;
const projectDirs: string[] = [];

async function start(serveBlock: string): Promise<RunningCollector> {
  const projectDir = writeEventsProject(`serve:\n${serveBlock}`);
  const base = await loadEventsProject(projectDir);
  projectDirs.push(projectDir);
  const project: Project = { ...base, identity: servingProject().identity };
  return startCollector(project, { port: 0, store });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'weft-profile-api-'));
  storeDir = path.join(dir, 'store');
  const project = servingProject(dir);
  store = openEmbeddedStore(storeDir, projectNormalizer(project));
  const warehouse = await servingWarehouse();
  await loadServingStore(project, warehouse, store);
  await warehouse.close();
  collector = await start(`  viewer_key: ${VIEWER}
  publishable_keys: [${PUBLISHABLE}, ${OTHER_PUBLISHABLE}]
  public: { traits: [first_name], audiences: [vip] }
  personalize: { cors_origins: ["https://shop.example"], max_age_seconds: 30 }
`);
});
afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const projectDir of projectDirs) removeProject(projectDir);
});

function get(route: string, headers: Record<string, string> = {}) {
  return fetch(`${collector.url}${route}`, { headers });
}
const viewer = { authorization: `Bearer ${VIEWER}` };

describe('GET /v1/profiles/{id}', () => {
  it('answers identifiers, traits and audiences by identifier (normalized) and by profile id', async () => {
    const response = await get(`/v1/profiles/${encodeURIComponent('email: Ann@X.COM')}`, viewer);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['profile_id', 'identifiers', 'traits', 'audiences']);
    expect(body).toMatchObject({
      profile_id: 'p1',
      traits: { first_name: 'Ann', lifetime_value: 30.5 },
      audiences: ['newsletter', 'vip'],
    });
    expect(body.identifiers).toContainEqual({ type: 'phone', value: '+14155552671' });
    const byId = await get('/v1/profiles/p2', viewer);
    expect(await byId.json()).toMatchObject({ profile_id: 'p2', audiences: ['newsletter'] });
  });

  it('answers byte for byte the profile the store reads, serialized (with ?events too)', async () => {
    const reader = collector.live?.reader ?? store;
    for (const [route, read] of [
      ['email:%20Ann@X.COM', () => reader.byIdentifier('email', 'ann@x.com')],
      ['p2', () => reader.byProfileId('p2')],
    ] as const) {
      const profile = await read();
      if (!profile) throw new Error(`the fixture has no ${route}`);
      const response = await get(`/v1/profiles/${route}`, viewer);
      const text = await response.text();
      expect(text).toBe(JSON.stringify(answerBody(profile)));
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      const withEvents = await (await get(`/v1/profiles/${route}?events=5`, viewer)).text();
      expect(withEvents).toBe(JSON.stringify({ ...answerBody(profile), events: [] }));
    }
  });

  it('refuses without the secret key, and a publishable key is not one', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${PUBLISHABLE}` },
    ];
    for (const headers of attempts) {
      const response = await get('/v1/profiles/p1', headers);
      expect(response.status).toBe(401);
      expect(JSON.stringify(await response.json())).not.toContain('Ann');
    }
  });

  it('answers 404 for no match, 400 for an unknown id type, 405 for other methods', async () => {
    expect((await get('/v1/profiles/email:nobody@x.com', viewer)).status).toBe(404);
    const bad = await get('/v1/profiles/mail:ann@x.com', viewer);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/unknown id type 'mail'/);
    const post = await fetch(`${collector.url}/v1/profiles/p1`, { method: 'POST', headers: viewer });
    expect(post.status).toBe(405);
  });
});

describe('GET /v1/personalize', () => {
  const origin = { origin: 'https://shop.example' };

  it('gives the visitor only the public traits and audiences, with CORS and private caching', async () => {
    const response = await get(`/v1/personalize?key=${PUBLISHABLE}&anonymousId=anon-ann-1`, origin);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ known: true, traits: { first_name: 'Ann' }, audiences: ['vip'] });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(response.headers.get('cache-control')).toBe('private, max-age=30');
    expect(response.headers.get('vary')).toContain('Cookie');
  });

  it("reads analytics.js's anonymous id cookie, and a Bearer publishable key", async () => {
    const response = await get('/v1/personalize', {
      authorization: `Bearer ${OTHER_PUBLISHABLE}`,
      cookie: 'other=1; ajs_anonymous_id=%22anon-ann-1%22',
    });
    expect(await response.json()).toMatchObject({ known: true, traits: { first_name: 'Ann' } });
  });

  it('answers 401 for a missing, unknown or secret key', async () => {
    for (const key of ['', '&key=pk_guess', `&key=${VIEWER}`]) {
      const response = await get(`/v1/personalize?anonymousId=anon-ann-1${key}`, origin);
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(JSON.stringify(await response.json())).not.toContain('Ann');
    }
  });

  it('never reads by profile id, user id (off by default) or another id type, and never lists', async () => {
    const byProfile = await get(`/v1/personalize?key=${PUBLISHABLE}&profileId=p1`);
    expect(byProfile.status).toBe(400);
    expect((await get(`/v1/personalize?key=${PUBLISHABLE}&userId=u1`)).status).toBe(400);
    // An email typed as an anonymous id matches nothing: lookups use the anonymous_id type only.
    const email = await get(`/v1/personalize?key=${PUBLISHABLE}&anonymousId=ann@x.com`);
    expect(await email.json()).toEqual({ known: false, traits: {}, audiences: [] });
    expect((await get(`/v1/profiles?key=${PUBLISHABLE}`)).status).toBe(404);
    expect((await get(`/v1/profiles/p1?key=${PUBLISHABLE}`)).status).toBe(401);
  });

  it('refuses origins not listed, and answers their preflight without CORS headers', async () => {
    const response = await get(`/v1/personalize?key=${PUBLISHABLE}&anonymousId=anon-ann-1`, {
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    const preflight = await fetch(`${collector.url}/v1/personalize`, { method: 'OPTIONS', headers: origin });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    const evil = await fetch(`${collector.url}/v1/personalize`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('lookups by user id', () => {
  it('are answered only when serve.personalize.allow_user_id is on', async () => {
    const open = await start(`  publishable_keys: [${PUBLISHABLE}]
  public: { traits: [first_name] }
  personalize: { allow_user_id: true }
`);
    try {
      const response = await fetch(`${open.url}/v1/personalize?key=${PUBLISHABLE}&userId=u1`);
      expect(await response.json()).toEqual({ known: true, traits: { first_name: 'Ann' }, audiences: [] });
    } finally {
      await open.close();
    }
  });
});

describe('the per-key rate limit', () => {
  it('answers 429 with Retry-After once a key is over its rate; other keys are not affected', async () => {
    // 0.01 requests a second: a burst of one, then 100 s before the next.
    const limited = await start(`  publishable_keys: [${PUBLISHABLE}, ${OTHER_PUBLISHABLE}]
  personalize: { rate_limit_per_second: 0.01 }
`);
    try {
      const ask = (key: string) => fetch(`${limited.url}/v1/personalize?key=${key}&anonymousId=anon-p2`);
      expect((await ask(PUBLISHABLE)).status).toBe(200);
      const over = await ask(PUBLISHABLE);
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await ask(OTHER_PUBLISHABLE)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
