/**
 * The lander: reads micro-batches from the event log every `landing_interval_ms`, lands each
 * through `withWarehouse` (the warehouse is open only while a batch is written, so other weft
 * commands can use a DuckDB file between batches) and acks the batch only after the commit.
 * A failed landing is retried with the same batch (backing off) until it lands; meanwhile the
 * log fills and the collector answers 429, so nothing acknowledged is dropped.
 */
import type { Project } from '../../config/types.js';
import { withWarehouse } from '../../warehouse/shared-access.js';
import type { CollectedEvent, EventLog, LogBatch } from '../types.js';
import { landBatch } from './land-batch.js';
import { TableColumns } from './table-columns.js';

/** Lander settings and hooks. */
export interface LanderOptions {
  /** Events per micro-batch (default 10,000: each landing has a fixed cost, so bigger batches keep up with more events per second). */
  maxBatch?: number;
  /** Called after each landed batch (committed and acked) with its events and the landing's duration. */
  onLanded?: (events: CollectedEvent[], ms: number) => void;
  /** Called when a landing fails (it is retried). */
  onError?: (error: Error) => void;
}

/** A running lander. */
export interface Lander {
  /** The last landing error, cleared by the next success. */
  readonly lastError: Error | undefined;
  /** Events landed since start. */
  readonly landed: number;
  /** Lands what the log holds now, then stops reading; resolves when stopped. */
  stop(): Promise<void>;
}

/** Starts landing `log` into the project's `events.schema`. */
export function startLander(project: Project, log: EventLog, options: LanderOptions = {}): Lander {
  const schema = project.config.events?.schema ?? 'events';
  const interval = project.config.events?.landing_interval_ms ?? 1000;
  const maxBatch = options.maxBatch ?? 10_000;
  const known = new TableColumns();
  let stopping = false;
  let wakeSleep: (() => void) | undefined;
  const state = { lastError: undefined as Error | undefined, landed: 0 };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Lands and acks `batch`, retrying; false when stopping cut the retries (the batch stays in the log). */
  const land = async (batch: LogBatch): Promise<boolean> => {
    let backoff = interval;
    for (;;) {
      const started = Date.now();
      try {
        await withWarehouse(project, (warehouse) => landBatch(warehouse, schema, batch.events, known));
        await batch.ack();
        state.lastError = undefined;
        state.landed += batch.events.length;
        options.onLanded?.(batch.events, Date.now() - started);
        return true;
      } catch (error) {
        state.lastError = error as Error;
        options.onError?.(error as Error);
        // Stopping: leave the batch unacked; it is durable and lands at the next start.
        if (stopping) return false;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  };

  const loop = (async () => {
    while (!stopping) {
      const started = Date.now();
      const batch = await log.read(maxBatch, interval);
      if (batch.events.length > 0) await land(batch);
      // A full batch means more is waiting: go on at once; else wait for the next interval.
      const rest = interval - (Date.now() - started);
      if (!stopping && batch.events.length < maxBatch && rest > 0) await sleep(rest);
    }
    // Drain: land what is durable now (unless the warehouse fails: then it waits in the log).
    for (;;) {
      const batch = await log.read(maxBatch, 0);
      if (batch.events.length === 0 || !(await land(batch))) break;
    }
  })();

  return {
    get lastError() {
      return state.lastError;
    },
    get landed() {
      return state.landed;
    },
    async stop() {
      stopping = true;
      wakeSleep?.();
      await loop;
    },
  };
}
