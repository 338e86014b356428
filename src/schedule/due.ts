/**
 * Which scheduled syncs are due, from their cron and their `schedule_state` row. A sync is due
 * when it never ran, or when a fire time passed since the slot it last ran for. However many
 * slots were missed (the scheduler was down), the sync runs once, for the latest one.
 */
import { latestSlot, nextSlot, type ScheduledSync } from './cron.js';
import type { ScheduleState } from './state.js';

/** A sync to run now, for `slot`. */
export interface DueSync {
  sync: ScheduledSync;
  /** The fire time this run stands for (recorded as `last_due_at` when it ends). */
  slot: Date;
  /** `never run`, `scheduled` (the latest slot) or `catch-up` (several slots passed: run once). */
  why: 'never run' | 'scheduled' | 'catch-up';
}

/** The scheduled syncs due at `now`. */
export function dueSyncs(
  syncs: ScheduledSync[],
  states: ReadonlyMap<string, ScheduleState>,
  now: Date,
): DueSync[] {
  const due: DueSync[] = [];
  for (const sync of syncs) {
    const latest = latestSlot(sync.cron, now);
    const last = states.get(sync.config.name)?.last_due_at;
    if (!last) {
      due.push({ sync, slot: latest ?? now, why: 'never run' });
      continue;
    }
    if (!latest || latest.getTime() <= last.getTime()) continue;
    const following = nextSlot(sync.cron, last);
    const missedSeveral = following !== undefined && following.getTime() < latest.getTime();
    due.push({ sync, slot: latest, why: missedSeveral ? 'catch-up' : 'scheduled' });
  }
  return due;
}

/** When the next of `syncs` fires after `now` (undefined when none ever fires again). */
export function nextWake(syncs: ScheduledSync[], now: Date): Date | undefined {
  let next: Date | undefined;
  for (const sync of syncs) {
    const at = nextSlot(sync.cron, now);
    if (at && (!next || at < next)) next = at;
  }
  return next;
}
