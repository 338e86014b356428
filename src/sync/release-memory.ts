/**
 * Asks the warehouse to hand memory back to the OS, when it can: the embedded DuckDB otherwise
 * keeps a big join's freed memory resident and caches the blocks of every table it read (the
 * plan table, the snapshot), which grow with the rows. A sync calls it after its plan, before
 * its merge and after each merged journal chunk — points where nothing else runs on the
 * warehouse — so the push and the merge do not stack on top of the plan's peak.
 *
 * Releasing lowers DuckDB's memory limit for an instant, database-wide: a statement another
 * connection runs at that moment could fail. So it is skipped while more than one sync runs in
 * this process, or while any run was told other work shares the database (`releaseMemory: false`).
 */
import type { Warehouse } from '../warehouse/types.js';

interface ReleasesMemory {
  releaseMemory(): Promise<void>;
}

/** Sync runs alive in this process, and how many of them forbid releasing. */
let activeRuns = 0;
let holds = 0;

/**
 * Registers a sync run for the duration of its work; returns the function ending it.
 * `releaseMemory: false` keeps every run in the process from releasing while this one lives.
 */
export function enterRun(options: { releaseMemory?: boolean } = {}): () => void {
  const hold = options.releaseMemory === false;
  activeRuns++;
  if (hold) holds++;
  let left = false;
  return () => {
    if (left) return;
    left = true;
    activeRuns--;
    if (hold) holds--;
  };
}

/** Whether releasing is safe now: at most one run alive and nobody holding. */
export function memoryReleaseAllowed(): boolean {
  return activeRuns <= 1 && holds === 0;
}

/** Releases the warehouse's freed memory; a no-op for engines without `releaseMemory`, or when not safe. */
export async function releaseWarehouseMemory(warehouse: Warehouse): Promise<void> {
  if (!memoryReleaseAllowed()) return;
  const { releaseMemory } = warehouse as Partial<ReleasesMemory>;
  if (typeof releaseMemory === 'function') await releaseMemory.call(warehouse);
}
