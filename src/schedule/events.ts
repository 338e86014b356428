/** What the scheduler reports as it works (the CLI prints one line per event). */
import type { AlertDelivery } from '../alerts/index.js';
import type { RunSummary } from '../sync/types.js';
import type { DueSync } from './due.js';
import type { LoadEvent } from './loads.js';
import type { PrivacyEvent } from './privacy.js';

/** One scheduled run's outcome. */
export interface ScheduledRun {
  sync: string;
  /** The fire time it ran for. */
  slot: Date;
  summary: RunSummary;
  /** True when the scheduler's own shutdown stopped it (its slot stays due). */
  stopped: boolean;
}

/** Scheduler events, in the order they happen for a sync. */
export type ScheduleEvent =
  | { type: 'due'; sync: string; slot: Date; why: DueSync['why'] }
  | { type: 'skipped'; sync: string; reason: string }
  | { type: 'building'; syncs: string[]; nodes: string[] }
  | { type: 'built'; built: string[]; failed: string[]; ms: number }
  | { type: 'started'; sync: string }
  | { type: 'finished'; run: ScheduledRun }
  | { type: 'alert'; sync: string; run_id: string; delivery: AlertDelivery }
  | { type: 'idle'; next?: Date }
  | { type: 'stopping'; reason: string }
  | { type: 'error'; message: string }
  | LoadEvent
  | PrivacyEvent;
