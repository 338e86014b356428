/** Which primitive handles which change, per sync mode. The runner asks here; destinations never decide. */
import type { AnyDestination, PrimitiveName, RecordOp, SyncMode } from './types.js';

/**
 * Routing table. `undefined` means the change is not sent in that mode (e.g. removals in upsert
 * mode, changes in insert mode): the runner counts them as delivered without a request.
 */
const ROUTES: Record<SyncMode, Record<RecordOp, PrimitiveName | undefined>> = {
  upsert: { added: 'upsert', changed: 'upsert', removed: undefined },
  update: { added: 'update', changed: 'update', removed: undefined },
  insert: { added: 'insert', changed: undefined, removed: undefined },
  mirror: { added: 'upsert', changed: 'upsert', removed: 'remove' },
  // A changed member is re-added: adding is idempotent and refreshes its fields where the API keeps any.
  membership: { added: 'addMembers', changed: 'addMembers', removed: 'removeMembers' },
};

/** The primitive that sends a change of kind `op` in `mode`, or undefined when that change is not sent. */
export function primitiveFor(mode: SyncMode, op: RecordOp): PrimitiveName | undefined {
  return ROUTES[mode][op];
}

/** Primitives a destination must implement to support `mode`. */
export function requiredPrimitives(mode: SyncMode): PrimitiveName[] {
  const names = Object.values(ROUTES[mode]).filter((name): name is PrimitiveName => name !== undefined);
  return [...new Set(names)];
}

/** True when the destination declares `mode` (and, by defineDestination's check, implements it). */
export function supportsMode(destination: AnyDestination, mode: SyncMode): boolean {
  return destination.capabilities.modes.includes(mode);
}

/** True when `mode` ever deletes or removes records at the destination. */
export function modeRemoves(mode: SyncMode): boolean {
  return ROUTES[mode].removed !== undefined;
}
