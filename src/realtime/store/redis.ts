/**
 * The Redis serving store, for several `weft serve` processes sharing one state.
 *
 * Keys under `prefix` (default `weft:<project>`):
 *   gen, token, count, lock, writing     the served generation, its load token, its size,
 *                                        the load lock, a full load's generation being written
 *   <gen>:p                              hash: profileId → ServedProfile as JSON
 *   <gen>:i                              hash: `<type>:<value>` → profileId
 *   stage                                hash of an incremental load's staged changes
 *   live:<key>                           the live overlay (live-redis.ts), untouched by loads
 * A generation is two hashes, so dropping an old one is one UNLINK (freed in the background).
 * A full load writes a new generation beside the served one and switches `gen` with one script;
 * an incremental load stages its changes and applies them with one script (redis-scripts.ts).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LiveKv } from '../live/kv.js';
import type { ProfileAnswer, ProfileLookup, ServedProfile } from '../types.js';
import { answerBody } from './answer.js';
import { redisLiveKey, redisLiveKv } from './live-redis.js';
import { ANSWER_SCRIPT, APPLY_SCRIPT, SWITCH_SCRIPT } from './redis-scripts.js';
import {
  type IdentifierNormalizer,
  type IndexEntry,
  type LoadedLookup,
  type LoadMode,
  type ServingStore,
  type StoredAnswer,
  type StoreLoad,
  StoreLoadConflict,
} from './types.js';

/** The load lock expires unless a load keeps writing (a crashed loader frees it by itself). */
const LOCK_MS = 120_000;

interface ScriptCommands {
  weftAnswer(
    genKey: string,
    prefix: string,
    kind: 'i' | 'p',
    id: string,
    ownerGuard: string,
    ...guards: string[]
  ): Promise<'overlay' | [string, string] | null>;
  weftApply(genKey: string, prefix: string, gen: string, token: string, owner: string): Promise<number>;
  weftSwitch(
    genKey: string,
    prefix: string,
    gen: string,
    token: string,
    owner: string,
    count: string,
  ): Promise<number>;
}

/** Connects to `url` (redis://…); keys live under `prefix`. */
export function openRedisStore(url: string, prefix: string, normalize: IdentifierNormalizer): ServingStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableAutoPipelining: true });
  redis.defineCommand('weftAnswer', { numberOfKeys: 1, lua: ANSWER_SCRIPT });
  redis.defineCommand('weftApply', { numberOfKeys: 1, lua: APPLY_SCRIPT });
  redis.defineCommand('weftSwitch', { numberOfKeys: 1, lua: SWITCH_SCRIPT });
  // Connection errors surface on the commands; without a listener ioredis would print them.
  redis.on('error', () => undefined);
  return new RedisStore(redis, prefix, normalize, redactedUrl(url));
}

class RedisStore implements ServingStore {
  readonly description: string;
  readonly live: LiveKv;
  private readonly scripts: ScriptCommands;
  /** The live overlay's transactions' own connections (WATCH is per connection), opened on first use. */
  private readonly txns: Redis[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly normalize: IdentifierNormalizer,
    url: string,
  ) {
    this.description = `redis:${url}/${prefix}`;
    this.scripts = redis as unknown as ScriptCommands;
    this.live = redisLiveKv(
      redis,
      (lane) => {
        let txn = this.txns[lane];
        if (!txn) {
          txn = redis.duplicate({ enableAutoPipelining: false });
          txn.on('error', () => undefined);
          this.txns[lane] = txn;
        }
        return txn;
      },
      prefix,
    );
  }

  private key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  async byProfileId(profileId: string): Promise<ServedProfile | undefined> {
    const json = await this.readRecord('p', profileId);
    return json ? (JSON.parse(json) as ServedProfile) : undefined;
  }

  async byIdentifier(type: string, value: string): Promise<ServedProfile | undefined> {
    const normalized = this.normalize(type, value);
    if (normalized === null) return undefined;
    const json = await this.readRecord('i', `${type}:${normalized}`);
    return json ? (JSON.parse(json) as ServedProfile) : undefined;
  }

  /** A loaded record's JSON: the answer script with no overlay guards (so never 'overlay'). */
  private async readRecord(kind: 'i' | 'p', id: string): Promise<string | undefined> {
    const found = await this.scripts.weftAnswer(this.key('gen'), this.prefix, kind, id, '');
    return Array.isArray(found) ? found[1] : undefined;
  }

  async answer(lookup: ProfileLookup): Promise<ProfileAnswer | undefined> {
    if (!('type' in lookup)) return (await this.loadedAnswer(lookup, [])) as StoredAnswer | undefined;
    const normalized = this.normalize(lookup.type, lookup.value);
    if (normalized === null) return undefined;
    return (await this.loadedAnswer({ type: lookup.type, value: normalized }, [])) as
      | StoredAnswer
      | undefined;
  }

  async loadedAnswer(
    lookup: LoadedLookup,
    guards: string[],
    ownerGuard?: string,
  ): Promise<StoredAnswer | 'overlay' | undefined> {
    const found = await this.scripts.weftAnswer(
      this.key('gen'),
      this.prefix,
      'profileId' in lookup ? 'p' : 'i',
      'profileId' in lookup ? lookup.profileId : `${lookup.type}:${lookup.value}`,
      ownerGuard === undefined ? '' : redisLiveKey(this.prefix, ownerGuard),
      ...guards.map((guard) => redisLiveKey(this.prefix, guard)),
    );
    if (found === null || found === 'overlay') return found ?? undefined;
    const [profileId, record] = found;
    return {
      profileId,
      json: Buffer.from(JSON.stringify(answerBody(JSON.parse(record) as ServedProfile))),
    };
  }

  async loadToken(): Promise<string | undefined> {
    return (await this.redis.get(this.key('token'))) ?? undefined;
  }

  async count(): Promise<number> {
    return Number((await this.redis.get(this.key('count'))) ?? 0);
  }

  async *indexEntries(): AsyncIterable<IndexEntry> {
    const gen = await this.redis.get(this.key('gen'));
    if (gen === null) return;
    let cursor = '0';
    do {
      const [next, found] = await this.redis.hscan(`${this.prefix}:${gen}:i`, cursor, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i + 1 < found.length; i += 2) {
        const field = found[i] as string;
        const colon = field.indexOf(':');
        yield {
          type: field.slice(0, colon),
          value: field.slice(colon + 1),
          profileId: found[i + 1] as string,
        };
      }
    } while (cursor !== '0');
  }

  async beginLoad(mode: LoadMode): Promise<StoreLoad> {
    const { redis } = this;
    const owner = randomUUID();
    const taken = await redis.set(this.key('lock'), owner, 'PX', LOCK_MS, 'NX');
    if (taken !== 'OK')
      throw new StoreLoadConflict(`another load is writing the serving store ${this.description}`);
    const current = await redis.get(this.key('gen'));
    // Leftovers of a load that died: a half-written generation, staged changes.
    const abandoned = await redis.get(this.key('writing'));
    if (abandoned !== null && abandoned !== current) await this.removeGeneration(abandoned);
    await redis.unlink(this.key('stage'));
    let gen = current;
    if (mode === 'full') {
      gen = String(await redis.incr(this.key('nextgen')));
      if (current !== null && Number(gen) <= Number(current)) {
        gen = String(Number(current) + 1);
        await redis.set(this.key('nextgen'), gen);
      }
      await redis.set(this.key('writing'), gen);
    } else if (current === null) {
      await redis.del(this.key('lock'));
      throw new StoreLoadConflict('an incremental load needs a loaded store');
    }
    let written = 0;
    // Writes stay in flight while the loader reads the next rows; past a few, it waits.
    let inFlight: Promise<unknown>[] = [];
    const send = async (command: Promise<unknown>) => {
      inFlight.push(command, redis.pexpire(this.key('lock'), LOCK_MS));
      if (inFlight.length >= 16) await flush();
    };
    const flush = async () => {
      const commands = inFlight;
      inFlight = [];
      await Promise.all(commands);
    };
    return {
      put: async (profiles) => {
        if (profiles.length === 0) return;
        if (mode === 'incremental') {
          const fields: string[] = [];
          for (const p of profiles) fields.push(`p:${p.profileId}`, JSON.stringify(p));
          await send(redis.hset(this.key('stage'), ...fields));
        } else {
          const pairs: string[] = [];
          for (const p of profiles) pairs.push(p.profileId, JSON.stringify(p));
          await send(redis.hset(`${this.prefix}:${gen}:p`, ...pairs));
          written += profiles.length;
        }
      },
      index: async (entries) => {
        if (mode === 'incremental') throw new Error('an incremental load indexes the profiles it puts');
        if (entries.length === 0) return;
        const pairs: string[] = [];
        for (const e of entries) pairs.push(`${e.type}:${e.value}`, e.profileId);
        await send(redis.hset(`${this.prefix}:${gen}:i`, ...pairs));
      },
      remove: async (profileIds) => {
        if (mode === 'full') throw new Error('a full load removes by leaving profiles out');
        if (profileIds.length === 0) return;
        await send(redis.hset(this.key('stage'), ...profileIds.flatMap((id) => [`d:${id}`, '1'])));
      },
      commit: async (token) => {
        await flush();
        try {
          if (mode === 'incremental')
            await this.scripts.weftApply(this.key('gen'), this.prefix, String(gen), token, owner);
          else
            await this.scripts.weftSwitch(
              this.key('gen'),
              this.prefix,
              String(gen),
              token,
              owner,
              String(written),
            );
        } catch (error) {
          const message = (error as Error).message;
          if (/^(STALE|LOCK) /.test(message))
            throw new StoreLoadConflict(message.slice(message.indexOf(' ') + 1));
          throw error;
        }
        if (mode === 'full' && current !== null) await this.removeGeneration(current);
      },
      abort: async () => {
        await flush().catch(() => undefined);
        if (mode === 'full' && gen !== null) await this.removeGeneration(gen);
        await redis.unlink(this.key('stage'));
        if ((await redis.get(this.key('lock'))) === owner) await redis.del(this.key('lock'));
      },
    };
  }

  /** Deletes generation `gen` (never the served one: callers check). */
  private async removeGeneration(gen: string): Promise<void> {
    await this.redis.unlink(`${this.prefix}:${gen}:p`, `${this.prefix}:${gen}:i`);
  }

  async close(): Promise<void> {
    for (const txn of this.txns) await txn.quit().catch(() => txn.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'redis';
  }
}
