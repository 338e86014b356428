/**
 * Sync schedules as croner jobs that never fire by themselves: weft only asks them for fire
 * times (the latest one not after now, the next one after now). Times are evaluated in UTC.
 */
import { Cron } from 'croner';
import type { Project, SyncConfig } from '../config/types.js';

/** Time zone the cron expressions are read in. */
export const SCHEDULE_TIMEZONE = 'UTC';

/** A sync's `schedule` that does not parse; names the sync file. Exit 2 territory. */
export class ScheduleConfigError extends Error {
  override name = 'ScheduleConfigError';
}

/** A sync with a `schedule`, its file and its parsed cron. */
export interface ScheduledSync {
  config: SyncConfig;
  /** Project-relative path of the sync file. */
  path: string;
  cron: Cron;
}

/** Parses one cron expression; throws ScheduleConfigError naming `file`. */
export function parseCron(expression: string, file: string): Cron {
  try {
    return new Cron(expression, { paused: true, timezone: SCHEDULE_TIMEZONE });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ScheduleConfigError(
      `${file}: schedule '${expression}' is not a valid cron expression (${why})`,
    );
  }
}

/**
 * The project's syncs that have a `schedule` (restricted to `names` when given; a named sync
 * without a schedule or unknown is an error), in file order.
 */
export function scheduledSyncs(project: Project, names: string[] = []): ScheduledSync[] {
  for (const name of names) {
    const found = project.syncs.find((s) => s.value.name === name);
    if (!found) {
      const known = project.syncs.map((s) => s.value.name).join(', ') || 'none';
      throw new ScheduleConfigError(`unknown sync '${name}'; known syncs: ${known}`);
    }
    if (found.value.schedule === undefined)
      throw new ScheduleConfigError(`${found.path}: sync '${name}' has no schedule`);
  }
  return project.syncs
    .filter((s) => s.value.schedule !== undefined && (names.length === 0 || names.includes(s.value.name)))
    .map((s) => ({ config: s.value, path: s.path, cron: parseCron(s.value.schedule!, s.path) }));
}

/** The latest fire time at or before `now`, if the expression has one. */
export function latestSlot(cron: Cron, now: Date): Date | undefined {
  // previousRuns excludes a fire time exactly at the reference: look at this second first.
  const second = new Date(Math.floor(now.getTime() / 1000) * 1000);
  if (cron.match(second)) return second;
  return cron.previousRuns(1, now)[0];
}

/** The first fire time after `now`, if any. */
export function nextSlot(cron: Cron, now: Date): Date | undefined {
  return cron.nextRun(now) ?? undefined;
}
