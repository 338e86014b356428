/**
 * The trigger engine `weft serve` runs: live events in (`offer`), firings recorded in
 * `<state_schema>.trigger_runs` and delivered to their connections.
 */
import { setMaxListeners } from 'node:events';
import type { Project, TriggerConfig } from '../../config/types.js';
import type { DestinationLogger } from '../../destination-kit/index.js';
import type { CollectedEvent } from '../../events/types.js';
import { AccountBudgets, queuePriority } from '../../sync/budget/index.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../../sync/runner/backoff.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { ProfileReader } from '../types.js';
import { Coalescer, RecentSet } from './coalesce.js';
import { openTriggerConnection, type TriggerConnection } from './connection.js';
import { capKey, decide } from './decide.js';
import type { FiringRecords, TriggerJournal } from './journal.js';
import { DEFAULT_ID_TYPES, type IdTypeNames } from './lookup.js';
import { type Candidate, matchEvents } from './match.js';
import type { RenderedMessage } from './render.js';
import { type RunUpdate, type TriggerRunRow, TriggerRuns } from './runs-table.js';
import { Serial } from './serial.js';

/** Options of `startTriggers`. */
export interface TriggerEngineOptions {
  /** The project's warehouse (trigger_runs lives in its `state_schema`). */
  warehouse: Warehouse;
  /** The clock (default: the system's). Every recorded time and every cap and quiet-hours decision reads it. */
  now?: () => Date;
  /** Shared rate budgets (pass the scheduler's so triggers and syncs share each account's limit). */
  budgets?: AccountBudgets;
  /** Retries per delivery (default: the sync runner's, 6 attempts from 250 ms doubling). */
  retry?: RetryPolicy;
  /**
   * Runs statements that belong together in one unit of warehouse access (weft serve: one open of
   * an embedded DuckDB file for a round's reads, writes and pending outcomes, instead of one per
   * statement). Default: straight on `warehouse`.
   */
  unit?: <T>(body: (warehouse: Warehouse) => Promise<T>) => Promise<T>;
  /**
   * Record firings and outcomes in this journal instead of trigger_runs (weft serve: a round never
   * opens the warehouse; the caller lands the journal in trigger_runs, see journal.ts). Dedupe,
   * caps and the pending firings resumed at start are then the journal's; `unit` is not used.
   */
  journal?: TriggerJournal;
  /** How often delivery outcomes are written to trigger_runs (default 250 ms). */
  flushMs?: number;
  /** How far back a replayed event is recognized as already fired (default 7 days). */
  dedupeWindowMs?: number;
  /** Event field → identity.yml id type used to look the person up (defaults: user_id, anonymous_id, email, phone, device_id). */
  idTypes?: Partial<IdTypeNames>;
  logger?: DestinationLogger;
  /** Connection-opening hooks (tests: a destination override). */
  destinationFor?: Parameters<typeof openTriggerConnection>[2]['destinationFor'];
}

/** Counters since start. */
export interface TriggerEngineStats {
  offered: number;
  matched: number;
  recorded: number;
  delivered: number;
  failed: number;
  /** Firings waiting to be delivered (in flight, backing off, or delayed by quiet hours). */
  pending: number;
}

/** A running trigger engine. */
export interface TriggerEngine {
  /**
   * Evaluates `events` against every enabled trigger. Resolves once every firing these events
   * cause is durably recorded in trigger_runs: as `pending` (its delivery then runs in the
   * background, retried with backoff, and, if this process dies first, resumed by the next
   * `startTriggers`), or as `capped`, `quiet` or `failed`. So a caller that acknowledges events
   * to its log only after `offer` resolved loses no firing on a crash, and offering the same
   * events again (a replay) fires nothing twice: each (trigger, messageId) is recorded once.
   * Delivery is at-least-once: a crash after a destination accepted a message but before its
   * `delivered` status was written sends it again on restart (the webhook's batch id and
   * idempotency key stay the same, so receivers can drop it; Slack cannot).
   * Calls are processed in call order, in rounds: the calls made while a round runs are
   * evaluated together in the next (one set of warehouse statements per round, not per call).
   * Rejects when the warehouse write fails (nothing of that round counts as recorded: offer it
   * again).
   */
  offer(events: CollectedEvent[]): Promise<void>;
  /** Writes the delivery outcomes gathered so far. */
  flush(): Promise<void>;
  /** Resolves when no offer is being recorded and no delivery is in flight or backing off (delayed quiet-hours firings excepted). */
  idle(): Promise<void>;
  stats(): TriggerEngineStats;
  /**
   * Stops: no new offers, no new retries; deliveries already sent answer, outcomes are flushed.
   * Firings not delivered stay `pending` and resume at the next start. Does not close the warehouse.
   */
  close(): Promise<void>;
}

/**
 * Starts the engine for the project's enabled triggers (project.triggers): creates trigger_runs
 * when missing, opens every trigger's connection (throws TriggerConnectionError naming the
 * trigger when one cannot send), and resumes the firings a previous process left pending.
 */
export async function startTriggers(
  project: Project,
  reader: ProfileReader,
  options: TriggerEngineOptions,
): Promise<TriggerEngine> {
  const now = options.now ?? (() => new Date());
  const retry = options.retry ?? DEFAULT_RETRY;
  const triggers = (project.triggers ?? []).map((t) => t.value).filter((t) => t.enabled);
  const byName = new Map(triggers.map((t) => [t.name, t]));
  const budgets = options.budgets ?? new AccountBudgets(now);
  const connections = new Map<string, TriggerConnection>();
  for (const trigger of triggers)
    connections.set(
      trigger.name,
      openTriggerConnection(project, trigger, {
        budgets,
        retry,
        priority: queuePriority('high') + 1,
        ...(options.logger && { logger: options.logger }),
        ...(options.destinationFor && { destinationFor: options.destinationFor }),
      }),
    );
  const runs = new TriggerRuns(options.warehouse, project.config.state_schema);
  // A unit's statements on one connection, one unit at a time.
  const journal = options.journal;
  const inUnit = <T>(body: (unitRuns: FiringRecords) => Promise<T>): Promise<T> =>
    io.run(() =>
      journal
        ? body(journal)
        : options.unit
          ? options.unit((warehouse) => body(new TriggerRuns(warehouse, project.config.state_schema)))
          : body(runs),
    );
  // One statement at a time on the warehouse connection; offers in rounds, in call order (caps
  // depend on order): every offer made while a round runs joins the next one.
  const io = new Serial();
  // Firing ids this process recorded lately: the safe path's second offer of a batch finds them
  // here instead of asking trigger_runs again.
  const recentlyRecorded = new RecentSet(200_000);
  await io.run(() => runs.ensure());

  const idTypes = { ...DEFAULT_ID_TYPES, ...options.idTypes };
  const known = project.identity ? new Set(Object.keys(project.identity.id_types)) : undefined;
  const dedupeWindow = options.dedupeWindowMs ?? 7 * 86_400_000;
  const lastFired = new Map<string, Date>();
  const capLoaded = new Set<string>();
  const updates: RunUpdate[] = [];
  const inFlight = new Set<Promise<void>>();
  const delayed = new Set<NodeJS.Timeout>();
  const stop = new AbortController();
  // Every queued delivery and backoff listens to it.
  setMaxListeners(0, stop.signal);
  const counts: TriggerEngineStats = {
    offered: 0,
    matched: 0,
    recorded: 0,
    delivered: 0,
    failed: 0,
    pending: 0,
  };
  let closed = false;

  function deliver(trigger: TriggerConfig, row: TriggerRunRow, message: RenderedMessage): void {
    counts.pending++;
    const connection = connections.get(trigger.name) as TriggerConnection;
    const task = connection
      .send(trigger.name, row.firing_id, message, stop.signal)
      .then((outcome) => {
        if (outcome.status === 'stopped') return;
        if (outcome.status === 'delivered') counts.delivered++;
        else counts.failed++;
        const at = now();
        updates.push({
          firing_id: row.firing_id,
          status: outcome.status,
          reason: outcome.status === 'failed' ? outcome.reason : row.reason,
          attempts: row.attempts + outcome.attempts,
          delivered_at: outcome.status === 'delivered' ? at : null,
          updated_at: at,
        });
      })
      .catch((error: unknown) => {
        options.logger?.error(`trigger '${trigger.name}': delivery crashed`, { error: String(error) });
      })
      .finally(() => {
        counts.pending--;
        inFlight.delete(task);
      });
    inFlight.add(task);
  }

  /** Sends now, or when `next_attempt_at` comes (quiet hours, `action: delay`). */
  function schedule(row: TriggerRunRow, message: RenderedMessage): void {
    const trigger = byName.get(row.trigger_name);
    if (!trigger) {
      updates.push({
        ...failedUpdate(row, `trigger '${row.trigger_name}' no longer exists or is disabled`, now()),
      });
      return;
    }
    const wait = row.next_attempt_at ? row.next_attempt_at.getTime() - now().getTime() : 0;
    if (wait <= 0) {
      deliver(trigger, row, message);
      return;
    }
    counts.pending++;
    const timer = setTimeout(() => {
      delayed.delete(timer);
      counts.pending--;
      if (!closed) deliver(trigger, row, message);
    }, wait);
    timer.unref();
    delayed.add(timer);
  }

  async function loadCaps(candidates: Candidate[], at: Date, unitRuns: FiringRecords): Promise<void> {
    const missing = new Map<string, [string, string]>();
    let longest = 0;
    for (const { trigger, person } of candidates) {
      if (trigger.once_per === undefined) continue;
      const key = capKey(trigger.name, person.personKey);
      if (!capLoaded.has(key)) missing.set(key, [trigger.name, person.personKey]);
      longest = Math.max(longest, trigger.once_per);
    }
    if (missing.size === 0) return;
    const found = await unitRuns.lastFirings([...missing.values()], new Date(at.getTime() - longest));
    for (const key of missing.keys()) {
      capLoaded.add(key);
      const last = found.get(key);
      if (last && !(lastFired.get(key)! > last)) lastFired.set(key, last);
    }
  }

  /** Forgets cap entries older than every window (they are re-read from the table if needed). */
  function pruneCaps(at: Date): void {
    const longest = Math.max(0, ...triggers.map((t) => t.once_per ?? 0));
    if (lastFired.size < 100_000) return;
    for (const [key, last] of lastFired)
      if (at.getTime() - last.getTime() >= longest) {
        lastFired.delete(key);
        capLoaded.delete(key);
      }
  }

  // Resume what a previous process left pending.
  for (const row of journal ? journal.pending() : await io.run(() => runs.pending())) {
    try {
      schedule(row, JSON.parse(row.payload ?? 'null') as RenderedMessage);
    } catch {
      updates.push(failedUpdate(row, 'the recorded payload is unreadable', now()));
    }
  }

  /** Writes the outcomes gathered so far (kept for the next try when the write fails). */
  async function writeUpdates(unitRuns: FiringRecords): Promise<void> {
    const batch = updates.splice(0);
    if (batch.length === 0) return;
    try {
      await unitRuns.update(batch);
    } catch (error) {
      updates.unshift(...batch);
      throw error;
    }
  }
  const flush = () => (updates.length === 0 ? Promise.resolve() : inUnit(writeUpdates));
  /** One round of offers: match, drop what is recorded, decide, record, then send. */
  async function offerRound(events: CollectedEvent[]): Promise<void> {
    counts.offered += events.length;
    if (triggers.length === 0 || events.length === 0) return;
    const at = now();
    const candidates = await matchEvents(triggers, events, { reader, idTypes, knownTypes: known }, at);
    counts.matched += candidates.length;
    if (candidates.length === 0) return;
    const ids = [...new Set(candidates.map((c) => c.firingId))];
    const unknown = ids.filter((id) => !recentlyRecorded.has(id));
    // Decide on a copy: if the insert fails, nothing of this batch counts.
    const caps = new Map<string, Date>();
    const overlay = {
      get: (key: string) => caps.get(key) ?? lastFired.get(key),
      set: (key: string, value: Date) => caps.set(key, value),
    };
    // One unit: what is recorded, the caps, the insert, and the outcomes gathered meanwhile.
    const decisions = await inUnit(async (unitRuns) => {
      const recorded =
        unknown.length === 0
          ? new Set<string>()
          : await unitRuns.existing(unknown, new Date(at.getTime() - dedupeWindow));
      await loadCaps(candidates, at, unitRuns);
      const decided = decide(
        candidates,
        {
          recorded: { has: (id) => recentlyRecorded.has(id) || recorded.has(id) },
          lastFired: overlay,
          slack: (t) => connections.get(t)?.slack ?? false,
        },
        at,
      );
      if (decided.length > 0) await unitRuns.insert(decided.map((d) => d.row));
      // The firings are recorded: a failed outcome write must not fail the offer (it is retried).
      await writeUpdates(unitRuns).catch((error: unknown) =>
        options.logger?.warn('trigger_runs: could not write delivery outcomes (will retry)', {
          error: String(error),
        }),
      );
      return decided;
    });
    if (decisions.length === 0) return;
    for (const { row } of decisions) recentlyRecorded.add(row.firing_id);
    for (const [key, value] of caps) lastFired.set(key, value);
    pruneCaps(at);
    counts.recorded += decisions.length;
    for (const { row, message } of decisions) if (row.status === 'pending' && message) schedule(row, message);
  }
  const offers = new Coalescer<CollectedEvent>(offerRound);

  const flusher = setInterval(() => {
    // A busy engine writes outcomes with each round; the timer covers quiet times.
    if (offers.busy) return;
    flush().catch((error: unknown) =>
      options.logger?.warn('trigger_runs: could not write delivery outcomes (will retry)', {
        error: String(error),
      }),
    );
  }, options.flushMs ?? 250);
  flusher.unref();

  return {
    offer(events) {
      if (closed) return Promise.reject(new Error('the trigger engine is closed'));
      return offers.add(events);
    },
    flush,
    async idle() {
      // Offers still being recorded schedule their deliveries when they finish.
      await offers.drained();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stats: () => ({ ...counts }),
    async close() {
      if (closed) return;
      closed = true;
      await offers.drained();
      stop.abort();
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      clearInterval(flusher);
      await flush();
    },
  };
}

function failedUpdate(row: TriggerRunRow, reason: string, at: Date): RunUpdate {
  return {
    firing_id: row.firing_id,
    status: 'failed',
    reason,
    attempts: row.attempts,
    delivered_at: null,
    updated_at: at,
  };
}
