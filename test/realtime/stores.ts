/**
 * The serving stores tests loop over: embedded (an LMDB file in a temp dir) always, and Redis at
 * 127.0.0.1:6379 (WEFT_TEST_REDIS_URL to override) when it answers. An unreachable Redis skips
 * its cases with a printed reason, unless WEFT_REQUIRE_REDIS=1 (CI), which makes it a failure.
 * Each opened store is fresh: its own temp dir, or its own key prefix (deleted by `cleanup`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { openEmbeddedStore } from '../../src/realtime/store/embedded.js';
import { openRedisStore } from '../../src/realtime/store/redis.js';
import type { IdentifierNormalizer, ServingStore } from '../../src/realtime/store/types.js';

export const REDIS_URL = process.env.WEFT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

async function probeRedis(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

const redisProblem = await probeRedis();
if (redisProblem) {
  if (process.env.WEFT_REQUIRE_REDIS === '1') throw new Error(`WEFT_REQUIRE_REDIS=1 but ${redisProblem}`);
  console.warn(`Skipping the Redis store cases: ${redisProblem}`);
}

/** A way to open fresh stores of one kind. */
export interface StoreKind {
  name: string;
  /** Opens a new, empty store; `shared` opens a second handle on the same one. */
  open(normalize: IdentifierNormalizer): { store: ServingStore; shared(): ServingStore };
  cleanup(): Promise<void>;
}

function embeddedKind(): StoreKind {
  const dirs: string[] = [];
  return {
    name: 'embedded',
    open(normalize) {
      const dir = mkdtempSync(path.join(tmpdir(), 'weft-store-'));
      dirs.push(dir);
      return { store: openEmbeddedStore(dir, normalize), shared: () => openEmbeddedStore(dir, normalize) };
    },
    async cleanup() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function redisKind(): StoreKind {
  const prefixes: string[] = [];
  return {
    name: 'redis',
    open(normalize) {
      const prefix = `weft-test:${randomBytes(6).toString('hex')}`;
      prefixes.push(prefix);
      return {
        store: openRedisStore(REDIS_URL, prefix, normalize),
        shared: () => openRedisStore(REDIS_URL, prefix, normalize),
      };
    },
    async cleanup() {
      const redis = new Redis(REDIS_URL);
      for (const prefix of prefixes) {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      redis.disconnect();
    },
  };
}

/** Every store kind reachable here. */
export const storeKinds: StoreKind[] = [embeddedKind(), ...(redisProblem ? [] : [redisKind()])];
