/**
 * Stitching one event's identifiers into the live overlay, with the identity build's rules:
 * - only usable identifiers (screen.ts: normalization, junk, blocklist) take part;
 * - hub and shared values of the last build (`h:` keys, loaded by reconcile.ts) never merge
 *   anything: they are left out, as identity_map leaves them out;
 * - `max_per_profile`: when joining the profiles the event links would put more identifiers of
 *   a type in one profile than its limit, they stay apart (the bridge does not merge), and the
 *   event's new identifiers join the profile holding its highest-priority identifier, except
 *   those over their type's limit, which form a profile of their own;
 * - the profile id is the build's: the oldest member's (first seen, then type priority, then
 *   value) — a loaded profile keeps its id, and a new visitor's id is the hash of its first
 *   identifier (src/identity/stable-ids.ts), which is what the next build gives it.
 */
import type { IdType } from '../../identity/context.js';
import type { ProfileReader, ServedProfile } from '../types.js';
import { mergeCounterStates } from './counters.js';
import type { LiveKv } from './kv.js';
import { type Age, compareAge, key, type LiveIdentifier, type LiveRecord, profileIdOf } from './records.js';

/** A profile the event's identifiers already belong to. */
type Cluster = { kind: 'live'; record: LiveRecord } | { kind: 'loaded'; profile: ServedProfile };

/** What one stitch did. */
export interface StitchResult {
  /** The live profile the event's (highest-priority) identifiers now belong to, if any. */
  profileId?: string;
  /** Whether the overlay changed. */
  changed: boolean;
}

/** Everything stitching needs besides the identifiers. */
export interface StitchContext {
  kv: LiveKv;
  /** The loaded profiles (the store's own reads: the last load, no overlay). */
  loaded: ProfileReader;
  types: Map<string, IdType>;
  now: () => Date;
  /** Applies live counters to the record (counters.ts); returns whether it changed anything. */
  count?: (record: LiveRecord) => boolean;
}

const idKey = (id: { type: string; value: string }) => `${id.type}\u0000${id.value}`;

/** Stitches `identifiers` (screened, deduplicated) seen together on one event. */
export async function stitch(ctx: StitchContext, identifiers: LiveIdentifier[]): Promise<StitchResult> {
  if (identifiers.length === 0) return { changed: false };
  return ctx.kv.transact(async (get) => {
    // few round trips: hubs and live identifiers together, then live records, then loaded ones
    const firsts = await get.many<string>([
      ...identifiers.map((id) => key.hub(id.type, id.value)),
      ...identifiers.map((id) => key.identifier(id.type, id.value)),
    ]);
    const usable: LiveIdentifier[] = [];
    const liveIds: Array<string | undefined> = [];
    identifiers.forEach((id, i) => {
      if (firsts[i] !== undefined) return;
      usable.push(id);
      liveIds.push(firsts[identifiers.length + i]);
    });
    const records = await get.many<LiveRecord>(
      liveIds.flatMap((l) => (l === undefined ? [] : [key.profile(l)])),
    );
    const recordOf = new Map(records.flatMap((r) => (r ? [[r.profileId, r] as const] : [])));
    const unresolved = usable.filter((_, i) => !recordOf.has(liveIds[i] as string));
    const loaded = await Promise.all(unresolved.map((id) => ctx.loaded.byIdentifier(id.type, id.value)));
    const owners = await get.many<string>(loaded.flatMap((p) => (p ? [key.base(p.profileId)] : [])));
    const ownerRecords = await get.many<LiveRecord>(
      owners.flatMap((o) => (o === undefined ? [] : [key.profile(o)])),
    );
    const ownerOf = new Map<string, LiveRecord>();
    let o = 0;
    for (const p of loaded) {
      if (!p) continue;
      const owner = owners[o++];
      const record = ownerRecords.find((r) => r?.profileId === owner);
      if (record) ownerOf.set(p.profileId, record);
    }
    const clusters = new Map<string, Cluster>();
    const clusterOf = new Map<string, string>();
    const loose: LiveIdentifier[] = [];
    usable.forEach((id, i) => {
      let found: Cluster | undefined;
      const live = recordOf.get(liveIds[i] as string);
      if (live) found = { kind: 'live', record: live };
      else {
        const profile = loaded[unresolved.indexOf(id)];
        const owner = profile ? ownerOf.get(profile.profileId) : undefined;
        if (owner) found = { kind: 'live', record: owner };
        else if (profile) found = { kind: 'loaded', profile };
      }
      if (!found) {
        loose.push(id);
        return;
      }
      const name =
        found.kind === 'live' ? `live:${found.record.profileId}` : `loaded:${found.profile.profileId}`;
      if (!clusters.has(name)) clusters.set(name, found);
      clusterOf.set(idKey(id), name);
    });
    if (usable.length === 0) return { writes: [], result: { changed: false } };
    // the event's anchor: its highest-priority usable identifier
    const anchor = [...usable].sort((a, b) => priority(ctx, a) - priority(ctx, b))[0] as LiveIdentifier;
    let joined = [...clusters.values()];
    if (joined.length > 1) {
      const members = await membersOf(ctx, joined);
      if (breaksLimit(ctx, [...members, ...loose])) {
        const home = clusterOf.get(idKey(anchor));
        joined = home ? [clusters.get(home) as Cluster] : [];
      }
    }
    const members = await membersOf(ctx, joined);
    const { kept, apart } = withinLimits(ctx, members, loose);
    const writes: Array<[string, unknown]> = [];
    const now = ctx.now().toISOString();
    const result = build(ctx, joined, kept, writes, now);
    if (apart.length > 0) build(ctx, [], apart, writes, now);
    return { writes, result: { ...result, changed: writes.length > 0 } };
  });
}

function priority(ctx: StitchContext, id: { type: string }): number {
  return ctx.types.get(id.type)?.priority ?? Number.MAX_SAFE_INTEGER;
}

/** Every identifier the clusters hold (loaded ones from the load, live ones from the record). */
async function membersOf(
  ctx: StitchContext,
  clusters: Cluster[],
): Promise<Array<{ type: string; value: string }>> {
  const seen = new Map<string, { type: string; value: string }>();
  for (const cluster of clusters) {
    const profiles =
      cluster.kind === 'loaded'
        ? [cluster.profile]
        : (await Promise.all(cluster.record.bases.map((b) => ctx.loaded.byProfileId(b)))).filter(
            (p): p is ServedProfile => p !== undefined,
          );
    for (const p of profiles) for (const id of p.identifiers) seen.set(idKey(id), id);
    if (cluster.kind === 'live') for (const id of cluster.record.identifiers) seen.set(idKey(id), id);
  }
  return [...seen.values()];
}

function countByType(ids: Array<{ type: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id.type, (counts.get(id.type) ?? 0) + 1);
  return counts;
}

function breaksLimit(ctx: StitchContext, ids: Array<{ type: string; value: string }>): boolean {
  const unique = new Map(ids.map((id) => [idKey(id), id]));
  for (const [type, count] of countByType([...unique.values()])) {
    const max = ctx.types.get(type)?.maxPerProfile;
    if (max !== undefined && count > max) return true;
  }
  return false;
}

/** The new identifiers that fit in the profile under each type's limit (oldest first), and the others. */
function withinLimits(
  ctx: StitchContext,
  members: Array<{ type: string; value: string }>,
  loose: LiveIdentifier[],
): { kept: LiveIdentifier[]; apart: LiveIdentifier[] } {
  const counts = countByType(members);
  const memberKeys = new Set(members.map(idKey));
  const kept: LiveIdentifier[] = [];
  const apart: LiveIdentifier[] = [];
  const ordered = [...loose].sort((a, b) =>
    compareAge(
      { seenAt: a.seenAt, priority: priority(ctx, a), tie: `${a.type}:${a.value}` },
      { seenAt: b.seenAt, priority: priority(ctx, b), tie: `${b.type}:${b.value}` },
    ),
  );
  for (const id of ordered) {
    if (memberKeys.has(idKey(id))) {
      kept.push(id);
      continue;
    }
    const max = ctx.types.get(id.type)?.maxPerProfile;
    const count = counts.get(id.type) ?? 0;
    if (max !== undefined && count >= max) apart.push(id);
    else {
      counts.set(id.type, count + 1);
      kept.push(id);
    }
  }
  return { kept, apart };
}

/** Writes the profile joining `clusters` and `loose`; returns its id. */
function build(
  ctx: StitchContext,
  clusters: Cluster[],
  loose: LiveIdentifier[],
  writes: Array<[string, unknown]>,
  now: string,
): StitchResult {
  // The oldest member names the profile, as the build's anchor does.
  const candidates: Array<{ age: Age; id: string }> = clusters.map((c) =>
    c.kind === 'live'
      ? { age: c.record.age, id: c.record.profileId }
      : {
          age: { seenAt: c.profile.firstSeenAt ?? null, priority: -1, tie: c.profile.profileId },
          id: c.profile.profileId,
        },
  );
  for (const id of loose)
    candidates.push({
      age: { seenAt: id.seenAt, priority: priority(ctx, id), tie: `${id.type}:${id.value}` },
      id: profileIdOf(id.type, id.value),
    });
  const oldest = candidates.sort((a, b) => compareAge(a.age, b.age))[0];
  if (!oldest) return { changed: false };
  const lives = clusters.flatMap((c) => (c.kind === 'live' ? [c.record] : []));
  const known = new Map<string, LiveIdentifier>();
  for (const record of lives) for (const id of record.identifiers) known.set(idKey(id), id);
  const fresh = loose.filter((id) => !known.has(idKey(id)));
  const existing = lives.find((r) => r.profileId === oldest.id);
  const untouched =
    fresh.length === 0 && clusters.length === 1 && (lives.length === 0 || existing !== undefined);
  let record: LiveRecord;
  if (untouched && existing) record = structuredClone(existing);
  else if (untouched) {
    // one loaded profile, nothing new: the overlay holds nothing for it unless counters do
    const profile = (clusters[0] as { profile: ServedProfile }).profile;
    record = {
      profileId: profile.profileId,
      bases: [profile.profileId],
      identifiers: [],
      age: oldest.age,
      merged: [],
      counters: {},
      updatedAt: now,
    };
  } else {
    const bases = new Set<string>();
    for (const c of clusters) {
      if (c.kind === 'loaded') bases.add(c.profile.profileId);
      else for (const b of c.record.bases) bases.add(b);
    }
    const merged = new Set<string>();
    for (const r of lives) {
      for (const m of r.merged) merged.add(m);
      if (r.profileId !== oldest.id) merged.add(r.profileId);
    }
    for (const id of fresh) known.set(idKey(id), id);
    record = {
      profileId: oldest.id,
      bases: [...bases].sort(),
      identifiers: [...known.values()].sort((a, b) => (idKey(a) < idKey(b) ? -1 : 1)),
      age: oldest.age,
      merged: [...merged].sort(),
      counters: mergeCounterStates(lives),
      updatedAt: now,
    };
  }
  const counted = ctx.count?.(record) ?? false;
  if (untouched && !counted) return { profileId: oldest.id, changed: false };
  writes.push([key.profile(record.profileId), record]);
  if (!untouched) {
    for (const r of lives)
      if (r.profileId !== record.profileId) {
        writes.push([key.profile(r.profileId), null], [key.moved(r.profileId), record.profileId]);
      }
    for (const m of record.merged) writes.push([key.moved(m), record.profileId]);
    for (const id of record.identifiers) writes.push([key.identifier(id.type, id.value), record.profileId]);
    for (const b of record.bases) writes.push([key.base(b), record.profileId]);
  } else if (!existing) {
    for (const b of record.bases) writes.push([key.base(b), record.profileId]);
  }
  return { profileId: record.profileId, changed: true };
}
