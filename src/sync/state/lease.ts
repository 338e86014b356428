/**
 * One lease per sync in `sync_leases`, so two runs of a sync never overlap. Acquiring is a
 * transaction (read, check, update the sync's row) in which racing runs conflict on one row. A lease expires at `expires_at` (renewed while the run lives) or as soon
 * as its holder process is known to be dead (same host, pid gone: a kill -9).
 */
import os from 'node:os';
import type { Warehouse } from '../../warehouse/types.js';
import { stateTables } from './tables.js';

/** Default lease lifetime; a live run renews it every third of this. */
export const LEASE_TTL_MS = 5 * 60_000;

/** Thrown when another run holds the sync's lease. */
export class SyncAlreadyRunningError extends Error {
  override name = 'SyncAlreadyRunningError';
  constructor(
    readonly sync: string,
    readonly runId: string,
    readonly startedAt: Date | undefined,
  ) {
    super(
      `sync ${sync} is already running (run ${runId}${startedAt ? `, started ${startedAt.toISOString()}` : ''})`,
    );
  }
}

/** `host/pid` of this process. */
export function currentHolder(): string {
  return `${os.hostname()}/${process.pid}`;
}

/** False only when the holder is on this host and its process is gone. */
export function holderMayBeAlive(holder: string): boolean {
  const slash = holder.lastIndexOf('/');
  const host = holder.slice(0, slash);
  const pid = Number(holder.slice(slash + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

interface LeaseRow {
  run_id: string | null;
  holder: string;
  acquired_at: Date;
  expires_at: Date;
}

/**
 * Takes the lease of `sync` for `runId`, or throws SyncAlreadyRunningError. The sync's lease row
 * is created free if missing; taking it is an UPDATE of that row in a transaction, so two racing
 * runs conflict on the same row and only one commits (the other re-checks and reports the winner).
 */
export function acquireLease(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
  ttlMs = LEASE_TTL_MS,
): Promise<void> {
  // Acquisitions in one process run one at a time: two connections to one embedded database
  // do not reliably conflict on the row (seen under load), while across processes the
  // database itself (DuckDB's file lock, a server's row lock) serializes them.
  const next = acquiring.then(() => acquireLeaseNow(warehouse, stateSchema, sync, runId, ttlMs));
  acquiring = next.catch(() => undefined);
  return next;
}

/** The tail of this process's lease acquisitions. */
let acquiring: Promise<unknown> = Promise.resolve();

async function acquireLeaseNow(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
  ttlMs: number,
): Promise<void> {
  const d = warehouse.dialect;
  const leases = d.qualify(stateTables(stateSchema).leases);
  const where = `sync = ${d.literal(sync)}`;
  // The sync's row, free, to fight over; the primary key keeps racing inserts to one row.
  await warehouse
    .execute(
      `INSERT INTO ${leases} (sync, expires_at) SELECT ${d.literal(sync)}, ${d.literal(new Date(0))} WHERE NOT EXISTS (SELECT 1 FROM ${leases} WHERE ${where})`,
    )
    .catch(() => undefined); // a concurrent run inserted it first
  const take = async () => {
    const now = new Date();
    await warehouse.transaction(async () => {
      const held = await warehouse.query<LeaseRow & Record<string, unknown>>(
        `SELECT * FROM ${leases} WHERE ${where}`,
      );
      for (const lease of held) {
        if (lease.run_id === null || lease.run_id === runId) continue;
        const live = new Date(lease.expires_at).getTime() > now.getTime() && holderMayBeAlive(lease.holder);
        if (live) throw new SyncAlreadyRunningError(sync, lease.run_id, lease.acquired_at);
      }
      await warehouse.execute(
        `UPDATE ${leases} SET run_id = ${d.literal(runId)}, holder = ${d.literal(currentHolder())}, acquired_at = ${d.literal(now)}, expires_at = ${d.literal(new Date(now.getTime() + ttlMs))} WHERE ${where}`,
      );
    });
  };
  try {
    await take();
  } catch (error) {
    if (error instanceof SyncAlreadyRunningError) throw error;
    // A write conflict with a concurrent acquirer: once it has committed, the retry names it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await take();
  }
}

/** Pushes the lease's expiry forward (a live run calls this periodically). */
export async function renewLease(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
  ttlMs = LEASE_TTL_MS,
): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(
    `UPDATE ${d.qualify(stateTables(stateSchema).leases)} SET expires_at = ${d.literal(new Date(Date.now() + ttlMs))} WHERE sync = ${d.literal(sync)} AND run_id = ${d.literal(runId)}`,
  );
}

/** Gives the lease back (only if this run still holds it); the row stays, free. */
export async function releaseLease(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(
    `UPDATE ${d.qualify(stateTables(stateSchema).leases)} SET run_id = NULL, holder = NULL, expires_at = ${d.literal(new Date(0))} WHERE sync = ${d.literal(sync)} AND run_id = ${d.literal(runId)}`,
  );
}
