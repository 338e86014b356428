/**
 * Erasure reaches the serving store (src/privacy/serving.ts), embedded and Redis alike: after a
 * load and a live stitch, `weft:serving` removes the person's loaded profile, identifier index
 * entries, overlay records and last events, and their identifiers are never stitched live again.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { serveSchema } from '../../src/config/schemas/serve.js';
import type { Project } from '../../src/config/types.js';
import type { CollectedEvent } from '../../src/events/types.js';
import { createErasureRequests, runPendingSteps } from '../../src/privacy/requests.js';
import { openLiveIdentity } from '../../src/realtime/live/ingest.js';
import { loadServingStore } from '../../src/realtime/load/loader.js';
import { openServingStore } from '../../src/realtime/store/open.js';
import { servingProject, servingWarehouse } from '../realtime/fixture.js';
import { REDIS_URL, storeKinds } from '../realtime/stores.js';

const dirs: string[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (prefixes.length === 0) return;
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

/** The fixture project with its serving store: embedded under a temp dir, or a fresh Redis prefix. */
function projectWith(kind: string): Project {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-erase-serving-'));
  dirs.push(dir);
  const base = servingProject(dir);
  const prefix = `weft-test:${randomBytes(6).toString('hex')}`;
  if (kind === 'redis') prefixes.push(prefix);
  const serve = serveSchema.parse(kind === 'redis' ? { store: REDIS_URL, store_prefix: prefix } : {});
  return { ...base, config: { ...base.config, serve } };
}

let sequence = 0;
function event(fields: Partial<CollectedEvent>): CollectedEvent {
  sequence++;
  const at = `2026-03-01T10:00:${String(sequence % 60).padStart(2, '0')}.000Z`;
  return {
    messageId: `m-${sequence}`,
    type: 'track',
    source: 'web',
    timestamp: at,
    receivedAt: at,
    ...fields,
  };
}

describe.each(storeKinds.map((k) => k.name))('erasure from the %s serving store', (kind) => {
  it('removes the loaded and live person, acknowledges the step, and never stitches them again', async () => {
    const project = projectWith(kind);
    const warehouse = await servingWarehouse();
    const store = openServingStore(project);
    try {
      await loadServingStore(project, warehouse, store);
      const live = openLiveIdentity(project, store);
      await live.apply([
        event({ type: 'identify', anonymousId: 'anon-x', userId: 'u1' }),
        event({ type: 'page', anonymousId: 'anon-x' }),
      ]);
      const ann = await live.reader.byIdentifier('anonymous_id', 'anon-x');
      expect(ann?.profileId).toBe('p1');
      const identifiers = (ann?.identifiers ?? []).map((i) => ({ type: i.type, value: i.value }));
      expect(identifiers).toContainEqual({ type: 'anonymous_id', value: 'anon-x' });
      expect(identifiers.length).toBeGreaterThan(3);
      expect(await live.reader.events(ann as never, 10)).toHaveLength(2);

      const [filed] = await createErasureRequests(project, warehouse, [['email:ann@x.com']], {
        newId: () => 'pr_serving',
      });
      await runPendingSteps(project, warehouse);

      const [step] = await warehouse.query(
        `SELECT status, destination, records FROM weft_state.privacy_steps WHERE request_id = '${filed?.request_id}' AND step = 'weft:serving'`,
      );
      expect(step).toMatchObject({ status: 'acknowledged', destination: 'serving_store' });
      expect(Number(step?.records)).toBeGreaterThan(0);
      for (const { type, value } of identifiers) {
        expect(await live.reader.byIdentifier(type, value), `${type}:${value}`).toBeUndefined();
        expect(await store.byIdentifier(type, value), `${type}:${value}`).toBeUndefined();
      }
      expect(await live.reader.byProfileId('p1')).toBeUndefined();
      expect(await store.byProfileId('p1')).toBeUndefined();
      expect(await store.live.list('e:p1')).toEqual([]);
      const left: string[] = [];
      for await (const k of store.live.keys('')) if (!k.startsWith('x:') && !k.startsWith('h:')) left.push(k);
      expect(left).toEqual([]);
      // the other person is untouched
      expect((await live.reader.byIdentifier('user_id', 'u2'))?.profileId).toBe('p2');

      // a later event with the erased identifiers (one known only live) stitches none of them
      await live.apply([
        event({ type: 'identify', anonymousId: 'anon-new', userId: 'u1', traits: { email: 'Ann@X.com' } }),
        event({ type: 'page', anonymousId: 'anon-x', userId: 'u2' }),
      ]);
      expect(await live.reader.byIdentifier('user_id', 'u1')).toBeUndefined();
      expect(await live.reader.byIdentifier('email', 'ann@x.com')).toBeUndefined();
      expect(await live.reader.byIdentifier('anonymous_id', 'anon-x')).toBeUndefined();
      const fresh = await live.reader.byIdentifier('anonymous_id', 'anon-new');
      expect(fresh?.identifiers.map((i) => `${i.type}:${i.value}`)).toEqual(['anonymous_id:anon-new']);
      expect((await live.reader.byIdentifier('user_id', 'u2'))?.profileId).toBe('p2');
    } finally {
      await store.close();
      await warehouse.close();
    }
  });
});
