/**
 * Asks the warehouse to hand memory it freed back to the OS, when it can (the embedded DuckDB
 * keeps a big join's memory resident otherwise). A sync calls it after its plan and after each
 * merged journal chunk, so the push and the merge do not stack on top of the plan's peak.
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
