/**
 * weft.yml `loads:` in the scheduler. At each tick, before the builds: a load with a cron
 * `schedule` runs when a fire time has passed since its last run (kept in
 * `<state_schema>.load_schedule_state`); a load without one runs whenever a due sync reads its
 * table, directly or through models and stages. A sync whose load failed does not run (its data
 * would be stale): it is reported like a failed build.
 */
import { compileProject } from '../compiler/compile.js';
import { redactSecrets } from '../config/secrets.js';
import type { LoadConfig, Project, SyncConfig } from '../config/types.js';
import { loadFromDatabase } from '../load/database/index.js';
import type { LoadSummary } from '../load/types.js';
import type { Warehouse } from '../warehouse/types.js';
import { buildGraph, nodeForFrom, upstream } from './build/graph.js';
import { latestSlot, parseCron } from './cron.js';
import { readLoadSlots, recordLoadSlot } from './loads-state.js';

/** What a load did in the scheduler. */
export type LoadEvent =
  | { type: 'loaded'; load: string; summary: LoadSummary }
  | { type: 'load_failed'; load: string; message: string };

/** Whether the project has loads (the scheduler then ticks even without scheduled syncs). */
export function hasLoads(project: Project): boolean {
  return Object.keys(project.config.loads ?? {}).length > 0;
}

/** Each sync's source tables (`shop.orders`), through the models and stages it reads. */
function tablesRead(project: Project, warehouse: Warehouse, syncs: SyncConfig[]): Map<string, Set<string>> {
  try {
    const graph = buildGraph(project, compileProject(project, warehouse.dialect));
    return new Map(
      syncs.map((s) => {
        const ids = upstream(graph, [nodeForFrom(graph, s.from) ?? `source:${s.from}`]);
        return [s.name, new Set([...ids].filter((id) => id.startsWith('source:')).map((id) => id.slice(7)))];
      }),
    );
  } catch {
    return new Map(syncs.map((s) => [s.name, new Set([s.from])])); // models that do not compile fail the build anyway
  }
}

/**
 * Runs the loads due now: cron-scheduled ones past a fire time, and the others read by `syncs`
 * (the syncs due in this tick). Returns sync name → why it must not run.
 */
export async function runDueLoads(
  project: Project,
  warehouse: Warehouse,
  syncs: SyncConfig[],
  now: Date,
  emit: (event: LoadEvent) => void,
): Promise<Map<string, string>> {
  const loads = Object.entries(project.config.loads ?? {});
  const failures = new Map<string, string>();
  if (loads.length === 0) return failures;
  const reads = tablesRead(project, warehouse, syncs);
  const slots = await readLoadSlots(warehouse, project.config.state_schema);
  for (const [name, load] of loads) {
    const readers = syncs.filter((s) => reads.get(s.name)?.has(load.into));
    const slot = load.schedule
      ? latestSlot(parseCron(load.schedule, `weft.yml loads.${name}`), now)
      : undefined;
    const cronDue = slot !== undefined && (slots.get(name)?.getTime() ?? 0) < slot.getTime();
    if (!(load.schedule ? cronDue : readers.length > 0)) continue;
    try {
      const summary = await runLoad(project, warehouse, load);
      emit({ type: 'loaded', load: name, summary });
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error), project.secrets);
      emit({ type: 'load_failed', load: name, message });
      for (const s of readers) failures.set(s.name, `load ${name} into ${load.into} failed: ${message}`);
    }
    if (slot) await recordLoadSlot(warehouse, project.config.state_schema, name, slot);
  }
  return failures;
}

/** One configured load, as `weft load --from` would run it. */
export function runLoad(project: Project, warehouse: Warehouse, load: LoadConfig): Promise<LoadSummary> {
  const key = load.key;
  return loadFromDatabase(project, warehouse, {
    from: load.from,
    ...(load.table ? { table: load.table } : { query: load.query as string }),
    into: load.into,
    mode: load.mode ?? 'replace',
    ...(key ? { key } : {}),
    ...(load.cursor ? { cursor: load.cursor } : {}),
  });
}
