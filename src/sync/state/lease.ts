/**
 * One lease per sync in `sync_leases`, so two runs of a sync never overlap. Acquiring is a
 * transaction (read, check, replace) followed by a read-back check, so of two racing runs only
 * one keeps the lease. A lease expires at `expires_at` (renewed while the run lives) or as soon
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
  run_id: string;
  holder: string;
  acquired_at: Date;
  expires_at: Date;
}

/** Takes the lease of `sync` for `runId`, or throws SyncAlreadyRunningError. */
export async function acquireLease(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
  ttlMs = LEASE_TTL_MS,
): Promise<void> {
  const d = warehouse.dialect;
  const leases = d.qualify(stateTables(stateSchema).leases);
  const where = `sync = ${d.literal(sync)}`;
  const read = () =>
    warehouse.query<LeaseRow & Record<string, unknown>>(`SELECT * FROM ${leases} WHERE ${where}`);
  const now = new Date();
  try {
    await warehouse.transaction(async () => {
      for (const lease of await read()) {
        const live = new Date(lease.expires_at).getTime() > now.getTime() && holderMayBeAlive(lease.holder);
        if (live && lease.run_id !== runId)
          throw new SyncAlreadyRunningError(sync, lease.run_id, lease.acquired_at);
      }
      await warehouse.execute(`DELETE FROM ${leases} WHERE ${where}`);
      await warehouse.execute(
        `INSERT INTO ${leases} (sync, run_id, holder, acquired_at, expires_at) VALUES (${d.literal(sync)}, ${d.literal(runId)}, ${d.literal(currentHolder())}, ${d.literal(now)}, ${d.literal(new Date(now.getTime() + ttlMs))})`,
      );
    });
  } catch (error) {
    if (error instanceof SyncAlreadyRunningError) throw error;
    // A write conflict with a concurrent acquirer: report whoever holds it now.
    const holder = (await read()).find((l) => l.run_id !== runId);
    if (holder) throw new SyncAlreadyRunningError(sync, holder.run_id, holder.acquired_at);
    throw error;
  }
  const after = await read();
  const other = after.find((l) => l.run_id !== runId);
  if (other || after.length !== 1) {
    throw new SyncAlreadyRunningError(sync, other?.run_id ?? 'unknown', other?.acquired_at);
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

/** Gives the lease back (only if this run still holds it). */
export async function releaseLease(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  runId: string,
): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(
    `DELETE FROM ${d.qualify(stateTables(stateSchema).leases)} WHERE sync = ${d.literal(sync)} AND run_id = ${d.literal(runId)}`,
  );
}
