/**
 * Live counters: traits of profiles.yml with a `live:` block, updated by `weft serve` as events
 * arrive (`pricing_views_7d`, `last_seen_at`). The build's value stays the truth; live identity
 * adds to it what happened since:
 *   op: count   the build's value (0 when none) plus the matching events seen live, within
 *               `within` of now when set (older ones stop counting as time passes);
 *   op: latest  the later of the build's value and the last matching event's timestamp.
 * The state (per trait, in the overlay record) is the matching events' `[messageId, timestamp]`,
 * newest first, so an event offered twice counts once. Each load of the store drops the records
 * it covers (reconcile.ts), so counting starts again from the new build's values.
 */
import type { LiveTraitConfig } from '../../config/schemas/profiles.js';
import type { Project } from '../../config/types.js';
import type { CollectedEvent } from '../../events/types.js';
import { matchesOn } from '../triggers/event-match.js';
import type { LiveRecord } from './records.js';

/** Events remembered per counter (a count within a window stops growing past it). */
export const COUNTER_EVENTS_KEPT = 1000;

/** One live counter. */
export interface LiveCounter {
  trait: string;
  live: LiveTraitConfig;
}

/** A counter's state: matching events, newest first. */
interface CounterState {
  seen: Array<[messageId: string, at: string]>;
}

/** The live counters of a project's profiles.yml. */
export function liveCounters(project: Project): LiveCounter[] {
  return Object.entries(project.profiles?.traits ?? {}).flatMap(([trait, config]) =>
    config.live ? [{ trait, live: config.live }] : [],
  );
}

/** Records `event` in the counters it matches; true when one changed. */
export function countEvent(
  counters: LiveCounter[],
  record: LiveRecord,
  event: CollectedEvent,
  now: Date,
): boolean {
  let changed = false;
  for (const { trait, live } of counters) {
    if (!matchesOn(live.on as Parameters<typeof matchesOn>[0], event, now)) continue;
    const state = (record.counters[trait] as CounterState | undefined) ?? { seen: [] };
    if (state.seen.some(([id]) => id === event.messageId)) continue;
    const at = new Date(event.timestamp).toISOString();
    const seen = [...state.seen, [event.messageId, at] as [string, string]]
      .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
      .slice(0, COUNTER_EVENTS_KEPT);
    record.counters[trait] = { seen } satisfies CounterState;
    changed = true;
  }
  return changed;
}

/** The counters' state of merged records: their events together, each once. */
export function mergeCounterStates(records: LiveRecord[]): Record<string, unknown> {
  const out: Record<string, CounterState> = {};
  for (const record of records)
    for (const [trait, state] of Object.entries(record.counters)) {
      const seen = new Map((out[trait]?.seen ?? []).map((e) => [e[0], e]));
      for (const entry of (state as CounterState).seen ?? []) seen.set(entry[0], entry);
      out[trait] = {
        seen: [...seen.values()].sort((a, b) => (a[1] < b[1] ? 1 : -1)).slice(0, COUNTER_EVENTS_KEPT),
      };
    }
  return out;
}

/** The counters' values over the loaded `traits` (the build's values), at `now`. */
export function counterValues(
  counters: LiveCounter[],
  record: LiveRecord,
  traits: Record<string, unknown>,
  now: Date,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { trait, live } of counters) {
    const seen = (record.counters[trait] as CounterState | undefined)?.seen ?? [];
    if (seen.length === 0) continue;
    const base = traits[trait];
    if (live.op === 'count') {
      const since =
        live.within === undefined ? undefined : new Date(now.getTime() - live.within).toISOString();
      const fresh = since === undefined ? seen.length : seen.filter(([, at]) => at >= since).length;
      const built = typeof base === 'number' ? base : Number(base ?? 0) || 0;
      out[trait] = built + fresh;
    } else {
      const latest = seen[0]?.[1] as string;
      const built = base === null || base === undefined ? undefined : new Date(String(base));
      out[trait] =
        built && !Number.isNaN(built.getTime()) && built.toISOString() > latest
          ? built.toISOString()
          : latest;
    }
  }
  return out;
}
