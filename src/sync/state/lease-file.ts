/**
 * A local mirror of a sync's lease (`.weft/leases/<sync>.json`). An embedded DuckDB file is
 * locked by the process running the sync, so a second process cannot even read `sync_leases`;
 * this file lets it say which run holds the sync instead of only "the file is locked".
 */
import fs from 'node:fs';
import path from 'node:path';
import { currentHolder, holderMayBeAlive } from './lease.js';

/** What the mirror holds. */
export interface LeaseFileInfo {
  sync: string;
  run_id: string;
  holder: string;
  started_at: string;
}

function leaseFile(projectDir: string, sync: string): string {
  return path.join(projectDir, '.weft', 'leases', `${sync}.json`);
}

/** Writes the mirror for a run that just took the lease. */
export function writeLeaseFile(projectDir: string, sync: string, runId: string, startedAt: Date): void {
  const file = leaseFile(projectDir, sync);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const info: LeaseFileInfo = {
    sync,
    run_id: runId,
    holder: currentHolder(),
    started_at: startedAt.toISOString(),
  };
  fs.writeFileSync(file, JSON.stringify(info));
}

/** Removes the mirror if this run wrote it. */
export function removeLeaseFile(projectDir: string, sync: string, runId: string): void {
  const info = readLeaseFile(projectDir, sync, false);
  if (info?.run_id === runId) fs.rmSync(leaseFile(projectDir, sync), { force: true });
}

/** The mirror of a sync's lease when its holder may still be alive (or always, with `liveOnly` false). */
export function readLeaseFile(projectDir: string, sync: string, liveOnly = true): LeaseFileInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(leaseFile(projectDir, sync), 'utf8')) as LeaseFileInfo;
    if (typeof info.run_id !== 'string' || typeof info.holder !== 'string') return undefined;
    return !liveOnly || holderMayBeAlive(info.holder) ? info : undefined;
  } catch {
    return undefined;
  }
}
