/**
 * Reads through the live overlay: the profile API, personalization and triggers see a loaded
 * profile with what live identity stitched into it since the load (identifiers, the loaded
 * profiles it joined, live counters). Resolution:
 *   by identifier: the overlay's `i:` entry, else the load's profile (then its `b:` owner);
 *   by profile id: the overlay's `p:` record, else a `m:` forwarding (a live profile merged
 *   away), else the load's profile (then its `b:` owner).
 */
import type { IdentifierNormalizer, ServingStore, StoredAnswer } from '../store/types.js';
import type {
  ProfileAnswer,
  ProfileLookup,
  ProfileReader,
  ServedIdentifier,
  ServedProfile,
} from '../types.js';
import { counterValues, type LiveCounter } from './counters.js';
import { key, type LiveRecord } from './records.js';

/** Forwardings followed at most (a chain is one hop in practice: merges rewrite them). */
const MAX_HOPS = 8;

/** The served profile of a record: its loaded profiles joined, its live identifiers and counters added. */
export async function composeProfile(
  loaded: ProfileReader,
  record: LiveRecord,
  counters: LiveCounter[] = [],
  now: Date = new Date(),
): Promise<ServedProfile> {
  const bases = (await Promise.all(record.bases.map((id) => loaded.byProfileId(id)))).filter(
    (p): p is ServedProfile => p !== undefined,
  );
  // the profile named like the record first: its traits win over the others'
  bases.sort((a, b) => Number(b.profileId === record.profileId) - Number(a.profileId === record.profileId));
  const identifiers = new Map<string, ServedIdentifier>();
  const audiences = new Set<string>();
  const traits: Record<string, unknown> = {};
  for (const base of bases) {
    for (const id of base.identifiers) identifiers.set(`${id.type}\u0000${id.value}`, id);
    for (const audience of base.audiences) audiences.add(audience);
    for (const [name, value] of Object.entries(base.traits))
      if (!(name in traits) || traits[name] === null) traits[name] = value;
  }
  for (const id of record.identifiers)
    identifiers.set(`${id.type}\u0000${id.value}`, { type: id.type, value: id.value });
  for (const [name, value] of Object.entries(counterValues(counters, record, traits, now)))
    traits[name] = value;
  return {
    profileId: record.profileId,
    identifiers: [...identifiers.values()].sort((a, b) =>
      a.type === b.type ? (a.value < b.value ? -1 : 1) : a.type < b.type ? -1 : 1,
    ),
    traits,
    audiences: [...audiences].sort(),
    firstSeenAt: record.age.seenAt,
  };
}

/** A ProfileReader over a serving store and its live overlay. */
export class LiveProfiles implements ProfileReader {
  constructor(
    private readonly store: ServingStore,
    private readonly normalize: IdentifierNormalizer,
    private readonly counters: LiveCounter[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {}

  private compose(record: LiveRecord): Promise<ServedProfile> {
    return composeProfile(this.store, record, this.counters, this.now());
  }

  async byIdentifier(type: string, value: string): Promise<ServedProfile | undefined> {
    const normalized = this.normalize(type, value);
    if (normalized === null) return undefined;
    const liveId = await this.store.live.get<string>(key.identifier(type, normalized));
    if (liveId !== undefined) {
      const record = await this.record(liveId);
      if (record) return this.compose(record);
    }
    const loaded = await this.store.byIdentifier(type, normalized);
    return loaded ? this.withOwner(loaded) : undefined;
  }

  /**
   * The profile API's read. When the overlay holds nothing for the lookup (no `i:` entry for the
   * identifier; no `p:` record or `m:` forwarding for the id) nor for the loaded profile found
   * (no `b:` owner), the answer is the loaded one as the store keeps it, read in one step
   * (synchronously from the embedded store); otherwise it is composed as the reads above do.
   */
  answer(lookup: ProfileLookup): ProfileAnswer | undefined | Promise<ProfileAnswer | undefined> {
    let fast: ReturnType<ServingStore['loadedAnswer']>;
    if ('type' in lookup) {
      const normalized = this.normalize(lookup.type, lookup.value);
      if (normalized === null) return undefined;
      fast = this.store.loadedAnswer(
        { type: lookup.type, value: normalized },
        [key.identifier(lookup.type, normalized)],
        key.base(''),
      );
    } else {
      const id = lookup.profileId;
      fast = this.store.loadedAnswer(lookup, [key.profile(id), key.moved(id)], key.base(''));
    }
    return fast instanceof Promise ? fast.then((f) => this.settle(f, lookup)) : this.settle(fast, lookup);
  }

  private settle(
    fast: StoredAnswer | 'overlay' | undefined,
    lookup: ProfileLookup,
  ): ProfileAnswer | undefined | Promise<ProfileAnswer | undefined> {
    if (fast !== 'overlay') return fast;
    const read =
      'type' in lookup ? this.byIdentifier(lookup.type, lookup.value) : this.byProfileId(lookup.profileId);
    return read.then((profile) => profile && { profileId: profile.profileId, profile });
  }

  async byProfileId(profileId: string): Promise<ServedProfile | undefined> {
    const record = await this.record(profileId);
    if (record) return this.compose(record);
    const loaded = await this.store.byProfileId(profileId);
    return loaded ? this.withOwner(loaded) : undefined;
  }

  /**
   * The last `limit` events seen live of the profile answered for `profile` (its own, those of
   * the loaded profiles and live profiles it joined), newest first, each once.
   */
  async events<T extends { messageId: string; timestamp: string }>(
    profile: Pick<ServedProfile, 'profileId'>,
    limit: number,
  ): Promise<T[]> {
    const record = await this.record(profile.profileId);
    const ids = new Set([profile.profileId, ...(record?.bases ?? []), ...(record?.merged ?? [])]);
    const lists = await Promise.all([...ids].map((id) => this.store.live.list<T>(key.events(id))));
    const seen = new Set<string>();
    return lists
      .flat()
      .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
      .filter((e) => !seen.has(e.messageId) && seen.add(e.messageId) !== undefined)
      .slice(0, limit);
  }

  /** The live record `profileId` is now (following merges), if any. */
  async record(profileId: string): Promise<LiveRecord | undefined> {
    let id = profileId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const [record, moved] = await this.store.live.getMany<LiveRecord | string>([
        key.profile(id),
        key.moved(id),
      ]);
      if (record) return record as LiveRecord;
      if (typeof moved !== 'string') return undefined;
      id = moved;
    }
    return undefined;
  }

  /** A loaded profile, or the live profile it was stitched into. */
  private async withOwner(loaded: ServedProfile): Promise<ServedProfile> {
    const owner = await this.store.live.get<string>(key.base(loaded.profileId));
    const record = owner === undefined ? undefined : await this.record(owner);
    return record ? this.compose(record) : loaded;
  }
}
