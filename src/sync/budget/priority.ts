/** Sync priorities (syncs/*.yml `priority`) as p-queue priorities: a higher number starts first. */
import type { syncPriorities } from '../../config/schemas/sync.js';

/** `high`, `normal` or `low`. */
export type SyncPriority = (typeof syncPriorities)[number];

const QUEUE_PRIORITY: Record<SyncPriority, number> = { high: 1, normal: 0, low: -1 };

/** The p-queue `priority` of a sync priority (normal when absent). */
export function queuePriority(priority: SyncPriority | undefined): number {
  return QUEUE_PRIORITY[priority ?? 'normal'];
}
