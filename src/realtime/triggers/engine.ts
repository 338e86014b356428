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
import { openTriggerConnection, type TriggerConnection } from './connection.js';
import { capKey, decide } from './decide.js';
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
   * Calls are processed one at a time, in call order. Rejects when the warehouse write fails
   * (nothing of the batch counts as recorded: offer it again).
   */
  offer(events: CollectedEvent[]): Promise<void>;
  /** Writes the delivery outcomes gathered so far. */
  flush(): Promise<void>;
  /** Resolves when no delivery is in flight or backing off (delayed quiet-hours firings excepted). */
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
  // One statement at a time on the warehouse connection; offers one at a time (caps depend on order).
  const io = new Serial();
  const offers = new Serial();
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

  async function loadCaps(candidates: Candidate[], at: Date): Promise<void> {
    const missing = new Map<string, [string, string]>();
    let longest = 0;
    for (const { trigger, person } of candidates) {
      if (trigger.once_per === undefined) continue;
      const key = capKey(trigger.name, person.personKey);
      if (!capLoaded.has(key)) missing.set(key, [trigger.name, person.personKey]);
      longest = Math.max(longest, trigger.once_per);
    }
    if (missing.size === 0) return;
    const found = await io.run(() =>
      runs.lastFirings([...missing.values()], new Date(at.getTime() - longest)),
    );
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
  for (const row of await io.run(() => runs.pending())) {
    try {
      schedule(row, JSON.parse(row.payload ?? 'null') as RenderedMessage);
    } catch {
      updates.push(failedUpdate(row, 'the recorded payload is unreadable', now()));
    }
  }

  const flush = () =>
    io.run(async () => {
      const batch = updates.splice(0);
      if (batch.length === 0) return;
      try {
        await runs.update(batch);
      } catch (error) {
        updates.unshift(...batch);
        throw error;
      }
    });
  const flusher = setInterval(() => {
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
      return offers.run(async () => {
        counts.offered += events.length;
        if (triggers.length === 0 || events.length === 0) return;
        const at = now();
        const candidates = await matchEvents(triggers, events, { reader, idTypes, knownTypes: known }, at);
        counts.matched += candidates.length;
        if (candidates.length === 0) return;
        const ids = [...new Set(candidates.map((c) => c.firingId))];
        const recorded = await io.run(() => runs.existing(ids, new Date(at.getTime() - dedupeWindow)));
        await loadCaps(candidates, at);
        // Decide on a copy: if the insert fails, nothing of this batch counts.
        const caps = new Map<string, Date>();
        const overlay = {
          get: (key: string) => caps.get(key) ?? lastFired.get(key),
          set: (key: string, value: Date) => caps.set(key, value),
        };
        const decisions = decide(
          candidates,
          { recorded, lastFired: overlay, slack: (t) => connections.get(t)?.slack ?? false },
          at,
        );
        if (decisions.length === 0) return;
        await io.run(() => runs.insert(decisions.map((d) => d.row)));
        for (const [key, value] of caps) lastFired.set(key, value);
        pruneCaps(at);
        counts.recorded += decisions.length;
        for (const { row, message } of decisions)
          if (row.status === 'pending' && message) schedule(row, message);
      });
    },
    flush,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stats: () => ({ ...counts }),
    async close() {
      if (closed) return;
      closed = true;
      await offers.run(async () => undefined);
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
