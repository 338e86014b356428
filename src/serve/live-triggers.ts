/**
 * Triggers inside `weft serve`. Two paths feed the engine (src/realtime/triggers):
 * - fast: every durable append (HTTP or MQTT) is offered at once, so a trigger acts within a
 *   second of the event;
 * - safe: the lander offers each batch again before landing it and acks the log only after the
 *   offer resolved. Events whose fast offer already resolved are skipped (their firings are
 *   recorded); after a crash the log replays unlanded events through this path, and the engine
 *   records each (trigger, messageId) once, so a firing for an acknowledged event is never lost
 *   nor doubled.
 * Firings are recorded in the trigger journal (src/realtime/triggers/journal.ts, a local LMDB
 * file fsync'd per round), never in the warehouse during a round: a round does not wait for the
 * DuckDB file the lander writes. The journal lands in `<state_schema>.trigger_runs` every
 * landing interval, through `landRuns` (the lander's worker thread in `weft serve`), so the
 * table trails the decisions by about a landing interval.
 */
import path from 'node:path';
import type { Project } from '../config/types.js';
import type { CollectedEvent, LogBatch } from '../events/types.js';
import { RecentSet } from '../realtime/triggers/coalesce.js';
import { startTriggers, type TriggerEngine } from '../realtime/triggers/index.js';
import { journalDir, openTriggerJournal, type TriggerJournal } from '../realtime/triggers/journal.js';
import {
  landTriggerRuns,
  type RunUpdate,
  type TriggerRunRow,
  TriggerRuns,
} from '../realtime/triggers/runs-table.js';
import { warehouseInstanceId } from '../realtime/triggers/warehouse-instance.js';
import { warehouseProfileReader } from '../realtime/triggers/warehouse-reader.js';
import type { ProfileReader } from '../realtime/types.js';
import { perUnitWarehouse } from '../warehouse/per-unit-warehouse.js';
import { withWarehouse } from '../warehouse/shared-access.js';

/** How far back a replayed event is recognized as already fired (the engine's default). */
const DEDUPE_WINDOW_MS = 7 * 86_400_000;
/** Journal entries landed per warehouse unit. */
const LAND_BATCH = 20_000;
/** How often old firing ids and caps are forgotten. */
const PRUNE_EVERY_MS = 60_000;

/** Lands journal rows and outcomes in trigger_runs, in one transaction (see `landTriggerRuns`). */
export type RunsLanding = (stateSchema: string, rows: TriggerRunRow[], updates: RunUpdate[]) => Promise<void>;

/** The running triggers of a serve process. */
export interface LiveTriggers {
  readonly engine: TriggerEngine;
  readonly journal: TriggerJournal;
  /** The fast path: offer without waiting (a failure is logged; the safe path offers again). */
  offerNow(events: CollectedEvent[]): void;
  /** The safe path, for the lander's `beforeLanding`. */
  beforeLanding(batch: LogBatch): Promise<void>;
  /** Lands the journal in trigger_runs now (what the timer does every landing interval). */
  landJournal(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the project's enabled triggers; undefined when it has none. */
export async function startLiveTriggers(
  project: Project,
  options: {
    reader?: ProfileReader;
    say: (line: string) => void;
    /** Where the journal lands (weft serve: the lander's worker thread; default: this thread). */
    landRuns?: RunsLanding;
  },
): Promise<LiveTriggers | undefined> {
  if (!(project.triggers ?? []).some((t) => t.value.enabled)) return undefined;
  const warehouse = perUnitWarehouse(project);
  const reader = options.reader ?? warehouseProfileReader(project, warehouse);
  const landRuns: RunsLanding =
    options.landRuns ??
    ((stateSchema, rows, updates) =>
      withWarehouse(project, (w) => landTriggerRuns(w, stateSchema, rows, updates)));
  const schema = project.config.state_schema;
  const longestCap = Math.max(0, ...(project.triggers ?? []).map((t) => t.value.once_per ?? 0));
  const journal = openTriggerJournal(journalDir(project));
  try {
    await withWarehouse(project, async (w) => {
      const runs = new TriggerRuns(w, schema);
      await runs.ensure();
      const instance = await warehouseInstanceId(w, schema);
      // A journal filled from another warehouse (the project now points elsewhere, or the
      // warehouse was recreated) starts over: its dedupe state is not this warehouse's.
      if (journal.seeded && journal.warehouse !== undefined && journal.warehouse !== instance) {
        const aside = path.join(journalDir(project), `unlanded-${journal.warehouse}.ndjson`);
        const kept = await journal.reset(aside);
        options.say(
          `triggers: the journal was filled from another warehouse: seeded again from this one's trigger_runs${kept > 0 ? ` (${kept} firings not landed in the other one kept in ${aside})` : ''}`,
        );
      }
      // A fresh journal starts from what the warehouse knows (a first start, or .weft/ deleted).
      if (!journal.seeded) {
        const now = Date.now();
        await journal.seed(
          {
            firings: await runs.firedSince(new Date(now - DEDUPE_WINDOW_MS)),
            caps: longestCap > 0 ? await runs.lastFiringsSince(new Date(now - longestCap)) : [],
            pending: await runs.pending(),
          },
          instance,
        );
      } else if (journal.warehouse === undefined) await journal.adopt(instance);
    });
  } catch (error) {
    await journal.close();
    throw error;
  }

  /** One landing: the oldest journal entries into trigger_runs (one transaction), then forgotten. */
  const landOnce = async (): Promise<number> => {
    const batch = journal.take(LAND_BATCH);
    if (!batch) return 0;
    await landRuns(schema, batch.rows, batch.updates);
    await journal.landed(batch.lastSeq);
    return batch.count;
  };
  let landing: Promise<void> | undefined;
  let failing = false;
  const landJournal = (): Promise<void> =>
    (landing ??= (async () => {
      try {
        while ((await landOnce()) === LAND_BATCH);
        if (failing) options.say('triggers: trigger_runs lands again');
        failing = false;
      } catch (error) {
        if (!failing)
          options.say(`triggers: landing trigger_runs failed (will retry): ${(error as Error).message}`);
        failing = true;
        throw error;
      } finally {
        landing = undefined;
      }
    })());
  // What a previous process recorded but did not land.
  await landJournal().catch(() => undefined);

  const engine = await startTriggers(project, reader, {
    warehouse,
    journal,
    dedupeWindowMs: DEDUPE_WINDOW_MS,
  });
  const interval = project.config.events?.landing_interval_ms ?? 1000;
  let lastPrune = 0;
  const timer = setInterval(() => {
    void landJournal().catch(() => undefined);
    const now = Date.now();
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    journal
      .prune(new Date(now - DEDUPE_WINDOW_MS), new Date(now - longestCap))
      .catch((error: Error) => options.say(`triggers: pruning the journal failed: ${error.message}`));
  }, interval);
  timer.unref();
  // Events whose fast offer resolved: their firings are recorded, the safe path skips them.
  const offered = new RecentSet(200_000);
  return {
    engine,
    journal,
    offerNow(events) {
      engine.offer(events).then(
        () => {
          for (const event of events) offered.add(event.messageId);
        },
        (error: Error) => {
          options.say(`triggers: recording firings failed (retried when the batch lands): ${error.message}`);
        },
      );
    },
    beforeLanding: (batch) => {
      const unseen = batch.events.filter((event) => !offered.has(event.messageId));
      return unseen.length === 0 ? Promise.resolve() : engine.offer(unseen);
    },
    landJournal,
    async close() {
      clearInterval(timer);
      await engine.close();
      // Lands what is left (after a landing already running); if the warehouse fails, it stays
      // in the journal for the next start.
      await landing?.catch(() => undefined);
      await landJournal().catch(() => undefined);
      await journal.close();
    },
  };
}
