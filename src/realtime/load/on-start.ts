/**
 * The load `weft serve` runs when it starts, in the background: it brings the store up to date
 * with the warehouse's last build (an incremental load writes nothing when nothing changed),
 * while the store keeps answering from what it holds. A failure is reported, not fatal: the
 * store serves its last load.
 */
import type { Project } from '../../config/types.js';
import { withWarehouse } from '../../warehouse/shared-access.js';
import type { ServingStore } from '../store/types.js';
import { loadServingStore, type StoreLoadResult } from './loader.js';

/** Loads `store` from the project's warehouse; resolves undefined (after `say`) when it fails. */
export async function loadOnStart(
  project: Project,
  store: ServingStore,
  say: (line: string) => void,
): Promise<StoreLoadResult | undefined> {
  try {
    const result = await withWarehouse(project, (warehouse) => loadServingStore(project, warehouse, store));
    say(
      `serving store ${store.description}: ${result.mode} load, ${result.written} written, ${result.removed} removed, ${result.profiles} profiles in ${result.ms} ms`,
    );
    return result;
  } catch (error) {
    say(`serving store not loaded (serving its last load): ${(error as Error).message}`);
    return undefined;
  }
}
