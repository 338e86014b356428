/**
 * Live identity inside `weft serve`: every durable event is stitched into the live overlay of
 * the serving store (stitch.ts) and remembered as one of its profile's last events, so the
 * profile API answers with the stitched profile within milliseconds of the event's ack.
 *
 * Which identifiers an event carries (the id types of identity.yml they are read as): `userId`
 * (serve.personalize.user_id_type), `anonymousId` (anonymous_id_type), `traits.email` (the first
 * id type normalized as email), `traits.phone` (normalized as phone), `context.device.id`
 * (`device_id`), and for `alias` calls `previousId` (a user id when a profile holds it as one,
 * else an anonymous id). Types identity.yml does not have are skipped.
 */
import type { IdentityConfig, Project } from '../../config/types.js';
import type { CollectedEvent } from '../../events/types.js';
import { identifierHash } from '../../privacy/hash.js';
import { projectNormalizer } from '../store/open.js';
import type { ServingStore } from '../store/types.js';
import { eventIdentifiers, type IdTypeNames } from '../triggers/lookup.js';
import { countEvent, type LiveCounter, liveCounters } from './counters.js';
import { KeyedOrder } from './ordered.js';
import { LiveProfiles } from './overlay.js';
import { isoOrNull, key, type LiveIdentifier, type LiveRecord } from './records.js';
import { IdentifierScreen } from './screen.js';
import { type StitchContext, stitch } from './stitch.js';

/** Events kept per profile for the profile API (`GET /v1/profiles/{id}/events`). */
export const EVENTS_KEPT = 50;

/** messageIds remembered as applied, so the lander's replay skips them. */
const RECENT_KEPT = 100_000;

/** One event as the profile API lists it. */
export interface LiveEvent {
  messageId: string;
  type: CollectedEvent['type'];
  event?: string;
  name?: string;
  timestamp: string;
  receivedAt: string;
  source: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
}

/** Options of live identity. */
export interface LiveIdentityOptions {
  now?: () => Date;
  /** The live counters (counters.ts; default: none). */
  counters?: LiveCounter[];
}

/** Stitches events into a store's overlay; `reader` reads through it. */
export class LiveIdentity {
  readonly reader: LiveProfiles;
  readonly screen: IdentifierScreen;
  private readonly names: IdTypeNames;
  private readonly now: () => Date;
  private readonly counters: LiveCounter[];
  /** messageIds this process applied lately (insertion order: the oldest is dropped first). */
  private readonly applied = new Set<string>();
  /** Events stitch at once, in order when they share an identifier. */
  private readonly order = new KeyedOrder();

  constructor(
    identity: IdentityConfig,
    private readonly store: ServingStore,
    names: IdTypeNames,
    normalize: ReturnType<typeof projectNormalizer>,
    options: LiveIdentityOptions = {},
  ) {
    this.screen = new IdentifierScreen(identity);
    this.now = options.now ?? (() => new Date());
    this.counters = options.counters ?? [];
    this.reader = new LiveProfiles(store, normalize, this.counters, this.now);
    this.names = names;
  }

  /**
   * Stitches the events (those sharing an identifier in order, the others at once, across calls
   * too) and keeps each among its profile's last events; resolves when the overlay holds them
   * all. `remember: false` leaves the last events alone (the lander's replay: stitching and
   * counters, deduped by messageId, change nothing the second time).
   */
  async apply(events: CollectedEvent[], remember = true): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const event of events) {
      // the replay skips what this process applied already (the common case: every event)
      if (!remember && this.applied.has(event.messageId)) continue;
      runs.push(
        this.order.run(this.orderKeys(event), async () => {
          await this.applyOne(event, remember);
          this.applied.add(event.messageId);
          if (this.applied.size > RECENT_KEPT)
            this.applied.delete(this.applied.values().next().value as string);
        }),
      );
    }
    // Every event is tried even when one fails; the first failure is reported.
    const outcomes = await Promise.allSettled(runs);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** The values an event's stitching depends on (events sharing one stitch in order). */
  private orderKeys(event: CollectedEvent): string[] {
    const values = eventIdentifiers(event, this.names).map(({ type, value }) => {
      const screened = this.screen.screen(type, value);
      return 'value' in screened ? screened.value : value;
    });
    if (event.type === 'alias' && typeof event.previousId === 'string') values.push(event.previousId.trim());
    return values;
  }

  /** The usable identifiers of `event` (screened like the build screens source values). */
  async identifiersOf(event: CollectedEvent): Promise<LiveIdentifier[]> {
    const seenAt = isoOrNull(event.timestamp);
    const raw = eventIdentifiers(event, this.names);
    if (event.type === 'alias' && typeof event.previousId === 'string' && event.previousId.trim() !== '') {
      const asUser = await this.reader.byIdentifier(this.names.userId, event.previousId);
      raw.push({ type: asUser ? this.names.userId : this.names.anonymousId, value: event.previousId });
    }
    const out = new Map<string, LiveIdentifier>();
    for (const { type, value } of raw) {
      const screened = this.screen.screen(type, value);
      if ('value' in screened)
        out.set(`${type}\u0000${screened.value}`, { type, value: screened.value, seenAt });
    }
    // Identifiers a privacy erasure suppressed (src/privacy/serving.ts marks them) are never stitched.
    const found = [...out.values()];
    const marks = await this.store.live.getMany<boolean>(
      found.map((i) => key.suppressed(identifierHash(i.value))),
    );
    return found.filter((_, i) => !marks[i]);
  }

  private async applyOne(event: CollectedEvent, remember: boolean): Promise<void> {
    const identifiers = await this.identifiersOf(event);
    const ctx: StitchContext = {
      kv: this.store.live,
      loaded: this.store,
      types: this.screen.types,
      now: this.now,
      ...(this.counters.length > 0
        ? { count: (record: LiveRecord) => countEvent(this.counters, record, event, this.now()) }
        : {}),
    };
    const { profileId } = await stitch(ctx, identifiers);
    if (profileId && remember)
      await this.store.live.pushCapped(key.events(profileId), liveEvent(event), EVENTS_KEPT);
  }
}

function liveEvent(event: CollectedEvent): LiveEvent {
  return {
    messageId: event.messageId,
    type: event.type,
    ...(event.event !== undefined ? { event: event.event } : {}),
    ...(event.name !== undefined ? { name: event.name } : {}),
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    source: event.source,
    ...(event.properties ? { properties: event.properties } : {}),
    ...(event.traits ? { traits: event.traits } : {}),
  };
}

/** The event field → id type names of a project (see the file comment). */
export function liveIdTypeNames(project: Project): IdTypeNames {
  const identity = project.identity;
  const personalize = project.config.serve?.personalize;
  const types = Object.entries(identity?.id_types ?? {});
  const by = (normalize: string, fallback: string) =>
    types.find(([, t]) => t?.normalize === normalize)?.[0] ?? fallback;
  return {
    userId: personalize?.user_id_type ?? 'user_id',
    anonymousId: personalize?.anonymous_id_type ?? 'anonymous_id',
    email: by('email', 'email'),
    phone: by('phone', 'phone'),
    deviceId: 'device_id',
  };
}

/** Live identity over `store` for `project` (which must have identity.yml). */
export function openLiveIdentity(
  project: Project,
  store: ServingStore,
  options: LiveIdentityOptions = {},
): LiveIdentity {
  if (!project.identity) throw new Error('live identity needs models/identity.yml');
  return new LiveIdentity(project.identity, store, liveIdTypeNames(project), projectNormalizer(project), {
    counters: liveCounters(project),
    ...options,
  });
}
