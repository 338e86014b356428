/**
 * Triggers inside `weft serve`. Two paths feed the engine (src/realtime/triggers):
 * - fast: every durable append (HTTP or MQTT) is offered at once, so a trigger acts within a
 *   second of the event;
 * - safe: the lander offers each batch again before landing it and acks the log only after the
 *   offer resolved (the engine records each (trigger, messageId) once, so the second offer fires
 *   nothing new). After a crash the log replays unlanded events through this path, so a firing
 *   for an acknowledged event is never lost.
 * trigger_runs is written through a per-statement warehouse, so a DuckDB file is held only
 * while a statement runs.
 */
import type { Project } from '../config/types.js';
import type { CollectedEvent, LogBatch } from '../events/types.js';
import { startTriggers, type TriggerEngine } from '../realtime/triggers/index.js';
import { warehouseProfileReader } from '../realtime/triggers/warehouse-reader.js';
import type { ProfileReader } from '../realtime/types.js';
import { perUnitWarehouse } from '../warehouse/per-unit-warehouse.js';
import { withWarehouse } from '../warehouse/shared-access.js';

/** The running triggers of a serve process. */
export interface LiveTriggers {
  readonly engine: TriggerEngine;
  /** The fast path: offer without waiting (a failure is logged; the safe path offers again). */
  offerNow(events: CollectedEvent[]): void;
  /** The safe path, for the lander's `beforeLanding`. */
  beforeLanding(batch: LogBatch): Promise<void>;
  close(): Promise<void>;
}

/** Starts the project's enabled triggers; undefined when it has none. */
export async function startLiveTriggers(
  project: Project,
  options: { reader?: ProfileReader; say: (line: string) => void },
): Promise<LiveTriggers | undefined> {
  if (!(project.triggers ?? []).some((t) => t.value.enabled)) return undefined;
  const warehouse = perUnitWarehouse(project);
  const reader = options.reader ?? warehouseProfileReader(project, warehouse);
  // A round of offers reads and writes trigger_runs in one unit: one open of a DuckDB file, not one per statement.
  const engine = await startTriggers(project, reader, {
    warehouse,
    unit: (body) => withWarehouse(project, body),
  });
  return {
    engine,
    offerNow(events) {
      engine.offer(events).catch((error: Error) => {
        options.say(`triggers: recording firings failed (retried when the batch lands): ${error.message}`);
      });
    },
    beforeLanding: (batch) => engine.offer(batch.events),
    close: () => engine.close(),
  };
}
