/**
 * The Redis serving store, for several `weft serve` processes sharing one state.
 *
 * Keys under `prefix` (default `weft:<project>`):
 *   gen, token, count, lock, writing     the served generation, its load token, its size,
 *                                        the load lock, a full load's generation being written
 *   nextgen                              the last generation number given (never reused)
 *   <gen>:p                              hash: profileId → ServedProfile as JSON
 *   <gen>:i                              hash: `<type>:<value>` → profileId
 *   stage                                hash of an incremental load's staged changes
 *   live:<key>                           the live overlay (live-redis.ts), untouched by loads
 * A generation is two hashes, so dropping an old one is one UNLINK (freed in the background).
 * A full load writes a new generation beside the served one and switches `gen` with one script;
 * an incremental load stages its changes and applies them with one script (redis-scripts.ts).
 *
 * The load lock expires unless the load keeps writing, so a load can outlive its lock (a stalled
 * loader) while another takes it. Every step of a load is therefore one script that checks the
 * lock: beginLoad takes it and removes a dead load's leftovers; each write is applied only while
 * the lock is the load's; the commit switches (dropping the replaced generation) or applies, and
 * releases the lock, at once; abort removes the load's data only while it holds the lock. A load
 * that lost its lock cannot write, commit or remove anything another load owns, and no load,
 * killed at any point, leaves keys the next beginLoad does not remove.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LiveKv } from '../live/kv.js';
import type { ProfileAnswer, ProfileLookup, ServedProfile } from '../types.js';
import { answerBody } from './answer.js';
import { redisLiveKey, redisLiveKv } from './live-redis.js';
import {
  ABORT_SCRIPT,
  ANSWER_SCRIPT,
  APPLY_SCRIPT,
  BEGIN_SCRIPT,
  SWITCH_SCRIPT,
  WRITE_SCRIPT,
} from './redis-scripts.js';
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
  weftBegin(
    lockKey: string,
    prefix: string,
    owner: string,
    lockMs: string,
    mode: LoadMode,
  ): Promise<[string, string]>;
  weftWrite(
    lockKey: string,
    hashKey: string,
    owner: string,
    lockMs: string,
    ...pairs: string[]
  ): Promise<number>;
  weftAbort(lockKey: string, prefix: string, owner: string, gen: string): Promise<number>;
}

/** Connects to `url` (redis://…); keys live under `prefix`. */
export function openRedisStore(url: string, prefix: string, normalize: IdentifierNormalizer): ServingStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableAutoPipelining: true });
  redis.defineCommand('weftAnswer', { numberOfKeys: 1, lua: ANSWER_SCRIPT });
  redis.defineCommand('weftApply', { numberOfKeys: 1, lua: APPLY_SCRIPT });
  redis.defineCommand('weftSwitch', { numberOfKeys: 1, lua: SWITCH_SCRIPT });
  redis.defineCommand('weftBegin', { numberOfKeys: 1, lua: BEGIN_SCRIPT });
  redis.defineCommand('weftWrite', { numberOfKeys: 2, lua: WRITE_SCRIPT });
  redis.defineCommand('weftAbort', { numberOfKeys: 1, lua: ABORT_SCRIPT });
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
    let gen = await this.redis.get(this.key('gen'));
    let cursor = '0';
    while (gen !== null) {
      // The page and the served generation in one MULTI: a load that commits during the scan
      // unlinks the generation scanned (HSCAN of a gone key ends it silently, a truncated list);
      // the scan then starts over on the new one (entries may repeat, none of it is missed).
      const replies = await this.redis
        .multi()
        .get(this.key('gen'))
        .hscan(`${this.prefix}:${gen}:i`, cursor, 'COUNT', 1000)
        .exec();
      if (!replies) throw new Error(`the index scan of ${this.description} was aborted`);
      const [[genError, served], [scanError, page]] = replies as [
        [Error | null, unknown],
        [Error | null, unknown],
      ];
      if (genError || scanError) throw genError ?? scanError;
      if (served !== gen) {
        gen = served as string | null;
        cursor = '0';
        continue;
      }
      const [next, found] = page as [string, string[]];
      for (let i = 0; i + 1 < found.length; i += 2) {
        const field = found[i] as string;
        const colon = field.indexOf(':');
        yield {
          type: field.slice(0, colon),
          value: field.slice(colon + 1),
          profileId: found[i + 1] as string,
        };
      }
      if (next === '0') return;
      cursor = next;
    }
  }

  async beginLoad(mode: LoadMode): Promise<StoreLoad> {
    const owner = randomUUID();
    const lock = this.key('lock');
    const lockMs = String(LOCK_MS);
    // Takes the lock, removes a dead load's leftovers and picks the generation, in one script.
    const [served, gen] = await this.scripts
      .weftBegin(lock, this.prefix, owner, lockMs, mode)
      .catch((error: Error) =>
        conflictOr(
          /^BUSY /.test(error.message) ? new Error(`${error.message} ${this.description}`) : error,
          /^(BUSY|EMPTY) /,
        ),
      );
    const writing = mode === 'full' ? gen : '';
    let written = 0;
    // Writes stay in flight while the loader reads the next rows; past a few, it waits. Each is
    // fenced by the lock (redis-scripts.ts WRITE_SCRIPT) and pushes back its expiry.
    let inFlight: Promise<unknown>[] = [];
    // The first write refused (the lock lost) or failed: every later call of the load throws it.
    let failed: Error | undefined;
    const send = async (hash: string, pairs: string[]) => {
      if (failed) throw failed;
      const write = this.scripts.weftWrite(lock, hash, owner, lockMs, ...pairs).catch((error: Error) => {
        failed ??= /^LOCK /.test(error.message)
          ? new StoreLoadConflict(error.message.slice(error.message.indexOf(' ') + 1))
          : error;
      });
      inFlight.push(write);
      if (inFlight.length >= 16) await flush();
    };
    const flush = async () => {
      const commands = inFlight;
      inFlight = [];
      await Promise.all(commands);
      if (failed) throw failed;
    };
    return {
      put: async (profiles) => {
        if (profiles.length === 0) return;
        if (mode === 'incremental') {
          const fields: string[] = [];
          for (const p of profiles) fields.push(`p:${p.profileId}`, JSON.stringify(p));
          await send(this.key('stage'), fields);
        } else {
          const pairs: string[] = [];
          for (const p of profiles) pairs.push(p.profileId, JSON.stringify(p));
          await send(`${this.prefix}:${gen}:p`, pairs);
          written += profiles.length;
        }
      },
      index: async (entries) => {
        if (mode === 'incremental') throw new Error('an incremental load indexes the profiles it puts');
        if (entries.length === 0) return;
        const pairs: string[] = [];
        for (const e of entries) pairs.push(`${e.type}:${e.value}`, e.profileId);
        await send(`${this.prefix}:${gen}:i`, pairs);
      },
      remove: async (profileIds) => {
        if (mode === 'full') throw new Error('a full load removes by leaving profiles out');
        if (profileIds.length === 0) return;
        await send(
          this.key('stage'),
          profileIds.flatMap((id) => [`d:${id}`, '1']),
        );
      },
      commit: async (token) => {
        await flush();
        // One script each: the lock checked, the load made visible, what it replaced dropped and
        // the lock released, all at once (readers never see a mix; nothing left behind).
        const committed =
          mode === 'incremental'
            ? this.scripts.weftApply(this.key('gen'), this.prefix, served, token, owner)
            : this.scripts.weftSwitch(this.key('gen'), this.prefix, gen, token, owner, String(written));
        await committed.catch((error: Error) => conflictOr(error, /^(STALE|LOCK) /));
      },
      abort: async () => {
        await flush().catch(() => undefined);
        await this.scripts.weftAbort(lock, this.prefix, owner, writing);
      },
    };
  }

  async close(): Promise<void> {
    for (const txn of this.txns) await txn.quit().catch(() => txn.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A script's error: a StoreLoadConflict (its message without the code) when its code matches `codes`. */
function conflictOr(error: Error, codes: RegExp): never {
  if (codes.test(error.message))
    throw new StoreLoadConflict(error.message.slice(error.message.indexOf(' ') + 1));
  throw error;
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
