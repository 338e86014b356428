/**
 * Asks the warehouse to hand memory back to the OS, when it can: the embedded DuckDB otherwise
 * keeps a big join's freed memory resident and caches the blocks of every table it read (the
 * plan table, the snapshot), which grow with the rows. A sync calls it after its plan, before
 * its merge and after each merged journal chunk — points where nothing else runs on the
 * warehouse — so the push and the merge do not stack on top of the plan's peak.
 */
import type { Warehouse } from '../warehouse/types.js';

interface ReleasesMemory {
  releaseMemory(): Promise<void>;
}

/** Releases the warehouse's freed memory; a no-op for engines without `releaseMemory`. */
export async function releaseWarehouseMemory(warehouse: Warehouse): Promise<void> {
  const { releaseMemory } = warehouse as Partial<ReleasesMemory>;
  if (typeof releaseMemory === 'function') await releaseMemory.call(warehouse);
}
