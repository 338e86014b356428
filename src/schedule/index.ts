/** The scheduler: cron-driven syncs with build-before-sync, state in the warehouse, alerts. */
export { buildWhatChanged, type ChangedBuild } from './build/build-changed.js';
export {
  latestSlot,
  nextSlot,
  parseCron,
  SCHEDULE_TIMEZONE,
  ScheduleConfigError,
  type ScheduledSync,
  scheduledSyncs,
} from './cron.js';
export { type DueSync, dueSyncs, nextWake } from './due.js';
export type { ScheduledRun, ScheduleEvent } from './events.js';
export { DEFAULT_CONCURRENCY, Scheduler, type SchedulerOptions } from './scheduler.js';
export { readScheduleStates, type ScheduleState } from './state.js';
export { scheduleTables } from './tables.js';
