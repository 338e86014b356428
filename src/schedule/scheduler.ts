/**
 * The scheduler: at each tick, finds the due syncs (cron + `schedule_state`), builds what they
 * read and what changed (one build per tick), then runs them, at most `concurrency` at a time,
 * each on its own warehouse connection, never a sync alongside itself. No warehouse is held
 * between ticks (an idle scheduler leaves a DuckDB file to other weft commands). `stop()` starts no new
 * run and fires the running ones' stop signal (they end `partial`, their slot stays due).
 */
import PQueue from 'p-queue';
import type { Project } from '../config/types.js';
import { AccountBudgets } from '../sync/budget/index.js';
import type { RunSyncOptions } from '../sync/index.js';
import type { Warehouse } from '../warehouse/types.js';
import { buildWhatChanged } from './build/build-changed.js';
import { type ScheduledSync, scheduledSyncs } from './cron.js';
import { type DueSync, dueSyncs, nextWake } from './due.js';
import type { ScheduledRun, ScheduleEvent } from './events.js';
import { hasLoads, runDueLoads } from './loads.js';
import { hasPrivacySchedule, PRIVACY_SLOT, privacySlotDue, runScheduledPrivacy } from './privacy.js';
import { runScheduled } from './run-scheduled.js';
import { readScheduleStates } from './state.js';
import { ensureScheduleTables } from './tables.js';

/** Default number of syncs running at once. */
export const DEFAULT_CONCURRENCY = 2;
/** The longest the loop sleeps before looking again (clock changes, edited state). */
const MAX_SLEEP_MS = 60_000;

/** How to run a scheduler. */
export interface SchedulerOptions {
  project: Project;
  /**
   * Opens a warehouse connection: one per tick (state and builds, closed when the tick has
   * launched its runs) and one per running sync, closed when it ends. Nothing stays open while
   * the scheduler idles.
   */
  openWarehouse: () => Promise<Warehouse>;
  /** Only these syncs (default: every sync with a `schedule`). */
  names?: string[];
  /** Syncs running at once (default 2). */
  concurrency?: number;
  /** Options for every run (retry, a destination override in tests…); default: one shared AccountBudgets. */
  runOptions?: RunSyncOptions;
  /** Send alerts for bad runs when weft.yml configures them (default true). */
  alerts?: boolean;
  onEvent?: (event: ScheduleEvent) => void;
  /** The clock (tests). */
  now?: () => Date;
}

/** Runs scheduled syncs; see the file comment. Throws ScheduleConfigError on a bad cron. */
export class Scheduler {
  readonly syncs: ScheduledSync[];
  private readonly queue: PQueue;
  private readonly running = new Map<string, { stop: AbortController; done: Promise<void> }>();
  private readonly emit: (event: ScheduleEvent) => void;
  private readonly now: () => Date;
  private readonly runOptions: RunSyncOptions;
  private tablesReady = false;
  private stopping = false;
  private wake?: () => void;

  constructor(private readonly options: SchedulerOptions) {
    this.syncs = scheduledSyncs(options.project, options.names);
    this.queue = new PQueue({ concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) });
    this.emit = options.onEvent ?? (() => {});
    this.now = options.now ?? (() => new Date());
    // Concurrent syncs of one destination account share its rate limit and daily quota; builds
    // and other runs share the database, so no run may lower its memory limit meanwhile.
    this.runOptions = {
      budget: AccountBudgets.forProject(options.project),
      releaseMemory: false,
      ...options.runOptions,
    };
  }

  /** Runs what is due now and waits for those runs (`weft schedule --once`). */
  async runDue(): Promise<ScheduledRun[]> {
    const runs = await Promise.all(await this.tick());
    return runs.filter((r): r is ScheduledRun => r !== undefined);
  }

  /** Ticks at every fire time until `stop()`, then waits for the running syncs. */
  async runUntilStopped(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.tick();
      } catch (error) {
        this.emit({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
      if (this.stopping) break;
      const next = nextWake(this.syncs, this.now());
      this.emit({ type: 'idle', next });
      await this.sleep(next ? Math.min(MAX_SLEEP_MS, next.getTime() - this.now().getTime()) : MAX_SLEEP_MS);
    }
    await this.settled();
  }

  /** Starts no new run and asks the running ones to stop gracefully. Idempotent. */
  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.emit({ type: 'stopping', reason });
    for (const run of this.running.values()) run.stop.abort(reason); // the run ends partial with error "stopped: <reason>"
    this.wake?.();
  }

  /** Resolves once no sync is running. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Waits for the running syncs (each tick and run closes its own warehouse). */
  async close(): Promise<void> {
    await this.settled();
  }

  /** One look at the clock: due syncs are built for and launched; returns their runs. */
  private async tick(): Promise<Array<Promise<ScheduledRun | undefined>>> {
    const project = this.options.project;
    if (this.stopping || (this.syncs.length === 0 && !hasLoads(project) && !hasPrivacySchedule(project)))
      return [];
    // Opened for this look only: between ticks the scheduler holds no warehouse, so other weft
    // commands can use a DuckDB file while it idles (DuckDB lets one process open a file).
    const warehouse = await this.options.openWarehouse();
    try {
      return await this.lookAndLaunch(warehouse);
    } finally {
      await warehouse.close();
    }
  }

  private async lookAndLaunch(warehouse: Warehouse): Promise<Array<Promise<ScheduledRun | undefined>>> {
    if (!this.tablesReady) {
      await ensureScheduleTables(warehouse, this.options.project.config.state_schema);
      this.tablesReady = true;
    }
    const schema = this.options.project.config.state_schema;
    const states = await readScheduleStates(warehouse, schema);
    const due = dueSyncs(this.syncs, states, this.now()).filter((d) => {
      if (!this.running.has(d.sync.config.name)) return true;
      this.emit({
        type: 'skipped',
        sync: d.sync.config.name,
        reason: 'still running; runs again once it ends',
      });
      return false;
    });
    // weft.yml `loads:` due now, or read by the due syncs, run before the build (src/schedule/loads.ts).
    const loadFailures = await runDueLoads(
      this.options.project,
      warehouse,
      due.map((d) => d.sync.config),
      this.now(),
      this.emit,
    );
    const privacy = await this.launchPrivacy(warehouse);
    if (due.length === 0) return privacy ? [privacy] : [];
    for (const d of due) this.emit({ type: 'due', sync: d.sync.config.name, slot: d.slot, why: d.why });
    const build = await buildWhatChanged(
      this.options.project,
      warehouse,
      due.map((d) => d.sync.config),
      { onEvent: this.emit },
    );
    if (this.stopping) return privacy ? [privacy] : []; // nothing recorded: still due after a restart
    return [
      ...(privacy ? [privacy] : []),
      ...due.map((d) =>
        this.launch(d, loadFailures.get(d.sync.config.name) ?? build.failures.get(d.sync.config.name)),
      ),
    ];
  }

  /** `weft privacy run` when weft.yml `privacy.schedule` is due and it is not running (src/schedule/privacy.ts). */
  private async launchPrivacy(warehouse: Warehouse): Promise<Promise<undefined> | undefined> {
    const project = this.options.project;
    if (!hasPrivacySchedule(project) || this.running.has(PRIVACY_SLOT)) return undefined;
    const slot = await privacySlotDue(project, warehouse, this.now());
    if (!slot) return undefined;
    const stop = new AbortController();
    const done = runScheduledPrivacy(project, this.options.openWarehouse, slot, {
      budgets: this.runOptions.budget ?? AccountBudgets.forProject(project),
      signal: stop.signal,
      emit: this.emit,
    }).catch((error) => this.emit({ type: 'error', message: `privacy: ${(error as Error).message}` }));
    this.running.set(PRIVACY_SLOT, { stop, done });
    void done.finally(() => this.running.delete(PRIVACY_SLOT));
    return done.then(() => undefined);
  }

  /** Queues one run; it is "running" (never launched twice) from now until it ends. */
  private launch(due: DueSync, buildFailure?: string): Promise<ScheduledRun | undefined> {
    const name = due.sync.config.name;
    const stop = new AbortController();
    const result = this.queue.add(async () => {
      if (this.stopping) return undefined; // stopped before it started: still due
      const warehouse = await this.options.openWarehouse();
      try {
        return await runScheduled(
          {
            project: this.options.project,
            warehouse,
            stop: stop.signal,
            runOptions: this.runOptions,
            alerts: this.options.alerts ?? true,
            onEvent: this.emit,
          },
          due,
          buildFailure,
        );
      } finally {
        await warehouse.close();
      }
    });
    const done = result.then(
      () => undefined,
      (error) =>
        this.emit({ type: 'error', message: `${name}: ${error instanceof Error ? error.message : error}` }),
    );
    this.running.set(name, { stop, done });
    void done.finally(() => {
      this.running.delete(name);
      this.wake?.(); // a slot may have passed while it ran
    });
    return result.catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
