/**
 * The bulk path choice: per run and primitive, a destination declaring `bulk` gets bulk batches
 * (and ctx.bulk = true) for a primitive the plan sends at least `bulk.threshold` records through.
 */
import {
  type AnyDestination,
  type BatchLimits,
  type BulkPath,
  type PrimitiveName,
  primitiveFor,
  type RecordOp,
  type SyncMode,
} from '../../destination-kit/index.js';
import type { PlanCounts } from '../types.js';

/** How one primitive is sent in this run. */
export interface PrimitivePath {
  bulk: boolean;
  batch: BatchLimits;
  /** Batches of this primitive in flight at once, retries included (undefined: the run's usual bound). */
  concurrency?: number;
}

const OPS: RecordOp[] = ['added', 'changed', 'removed'];

/** The destination's bulk path for these settings (static, or from its settings), if any. */
export function bulkPathOf(destination: AnyDestination, settings: unknown): BulkPath | undefined {
  const { bulk } = destination;
  return typeof bulk === 'function' ? bulk(settings) : bulk;
}

/** Records the plan sends through each primitive in `mode`. */
export function recordsPerPrimitive(mode: SyncMode, counts: PlanCounts): Map<PrimitiveName, number> {
  const totals = new Map<PrimitiveName, number>();
  for (const op of OPS) {
    const primitive = primitiveFor(mode, op);
    if (primitive) totals.set(primitive, (totals.get(primitive) ?? 0) + counts[op]);
  }
  return totals;
}

/**
 * Picks each primitive's path: bulk when the destination has a bulk path and the plan sends at
 * least its threshold through the primitive; otherwise the regular `batch` limits. Without plan
 * counts (callers that push without planning) every primitive takes the regular path.
 */
export function choosePaths(
  destination: AnyDestination,
  settings: unknown,
  mode: SyncMode,
  batch: BatchLimits,
  counts: PlanCounts | undefined,
): (primitive: PrimitiveName) => PrimitivePath {
  const bulk = bulkPathOf(destination, settings);
  // A sequential destination's batches go one at a time, each after the previous one settled.
  const regular: PrimitivePath = destination.sequential
    ? { bulk: false, batch, concurrency: 1 }
    : { bulk: false, batch };
  if (!bulk || !counts) return () => regular;
  const totals = recordsPerPrimitive(mode, counts);
  const bulkPath: PrimitivePath = { bulk: true, batch: bulk.batch, concurrency: bulk.concurrency ?? 1 };
  const eligible = (primitive: PrimitiveName) => bulk.primitives?.includes(primitive) ?? true;
  return (primitive) =>
    eligible(primitive) && (totals.get(primitive) ?? 0) >= bulk.threshold ? bulkPath : regular;
}
