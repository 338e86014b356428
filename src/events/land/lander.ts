/**
 * The lander: reads micro-batches from the event log every `landing_interval_ms`, lands each
 * through `withWarehouse` (the warehouse is open only while a batch is written, so other weft
 * commands can use a DuckDB file between batches) and acks the batch only after the commit.
 * Landing runs in a worker thread (worker-landing.ts): the collector's thread only reads the
 * log's bytes and acks, so acks never wait behind a landing's parsing and appending. An
 * in-memory DuckDB warehouse (invisible to another thread) lands in this thread instead.
 * A failed landing is retried with the same batch (backing off) until it lands; meanwhile the
 * log fills and the collector answers 429, so nothing acknowledged is dropped.
 */
import type { Project } from '../../config/types.js';
import { landTriggerRuns, type RunUpdate, type TriggerRunRow } from '../../realtime/triggers/runs-table.js';
import { resolveDatabaseLocation } from '../../warehouse/duckdb/database-path.js';
import { withWarehouse } from '../../warehouse/shared-access.js';
import type { EventLog, LogBatch } from '../types.js';
import { landBatch } from './land-batch.js';
import { TableColumns } from './table-columns.js';
import { type LandingWorker, startLandingWorker } from './worker-landing.js';

/** One landed (committed and acked) batch. */
export interface LandedBatch {
  /** Events in the batch (replays of events already landed included). */
  count: number;
  /** The batch's messageIds, when `reportMessageIds` is set. */
  messageIds?: string[];
}

/** Lander settings and hooks. */
export interface LanderOptions {
  /** Events per micro-batch (default 10,000: each landing has a fixed cost, so bigger batches keep up with more events per second). */
  maxBatch?: number;
  /** Called after each landed batch (committed and acked) with its size and the landing's duration. */
  onLanded?: (landed: LandedBatch, ms: number) => void;
  /** Pass each landed batch's messageIds to `onLanded` (costs a copy per batch; for measuring). */
  reportMessageIds?: boolean;
  /** Land in this thread instead of a worker thread (default: a worker, unless the warehouse is `:memory:`). */
  inProcess?: boolean;
  /**
   * Runs before each landing of a batch; the batch is acked only after it resolved, and a
   * rejection is retried like a failed landing. `weft serve` hands the batch to its triggers
   * here, so an event leaves the log only once its firings are recorded (a crash loses none).
   */
  beforeLanding?: (batch: LogBatch) => Promise<void>;
  /** Called when a landing fails (it is retried). */
  onError?: (error: Error) => void;
}

/** A running lander. */
export interface Lander {
  /** The last landing error, cleared by the next success. */
  readonly lastError: Error | undefined;
  /** Events landed since start. */
  readonly landed: number;
  /**
   * Lands trigger journal rows and outcomes in `<stateSchema>.trigger_runs` (one transaction), in
   * the landing worker while it runs (this thread never opens nor closes the DuckDB file), in
   * this thread before it started and after it stopped.
   */
  landTriggerRuns(stateSchema: string, rows: TriggerRunRow[], updates: RunUpdate[]): Promise<void>;
  /** Lands what the log holds now, then stops reading; resolves when stopped. */
  stop(): Promise<void>;
}

/** Starts landing `log` into the project's `events.schema`. */
export function startLander(project: Project, log: EventLog, options: LanderOptions = {}): Lander {
  const schema = project.config.events?.schema ?? 'events';
  const interval = project.config.events?.landing_interval_ms ?? 1000;
  const maxBatch = options.maxBatch ?? 10_000;
  const inProcess = options.inProcess ?? isInMemory(project);
  const known = new TableColumns();
  const worker: LandingWorker | undefined = inProcess
    ? undefined
    : startLandingWorker(project, schema, { reportMessageIds: options.reportMessageIds ?? false });
  let stopping = false;
  let stopped = false;
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
        await options.beforeLanding?.(batch);
        let messageIds: string[] | undefined;
        if (worker) messageIds = (await worker.land(batch.payloads)).messageIds;
        else {
          await withWarehouse(project, (warehouse) => landBatch(warehouse, schema, batch.events, known));
          if (options.reportMessageIds) messageIds = batch.events.map((e) => e.messageId);
        }
        await batch.ack();
        state.lastError = undefined;
        state.landed += batch.count;
        options.onLanded?.(
          { count: batch.count, ...(messageIds ? { messageIds } : {}) },
          Date.now() - started,
        );
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
      if (batch.count > 0) await land(batch);
      // A full batch means more is waiting: go on at once; else wait for the next interval.
      const rest = interval - (Date.now() - started);
      if (!stopping && batch.count < maxBatch && rest > 0) await sleep(rest);
    }
    // Drain: land what is durable now (unless the warehouse fails: then it waits in the log).
    for (;;) {
      const batch = await log.read(maxBatch, 0);
      if (batch.count === 0 || !(await land(batch))) break;
    }
    stopped = true;
    await worker?.close();
  })();

  return {
    get lastError() {
      return state.lastError;
    },
    get landed() {
      return state.landed;
    },
    landTriggerRuns(stateSchema, rows, updates) {
      if (worker && !stopped) return worker.landTriggerRuns(stateSchema, rows, updates);
      return withWarehouse(project, (warehouse) => landTriggerRuns(warehouse, stateSchema, rows, updates));
    },
    async stop() {
      stopping = true;
      wakeSleep?.();
      await loop;
    },
  };
}

/** An in-memory DuckDB database lives in one thread: landing elsewhere would land nowhere. */
function isInMemory(project: Project): boolean {
  const warehouse = project.config.warehouse;
  if (warehouse.type !== 'duckdb') return false;
  return resolveDatabaseLocation(warehouse, project.dir).databasePath === ':memory:';
}
