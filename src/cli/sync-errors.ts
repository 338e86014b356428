/** How plan/sync/runs report the sync engine's errors: config problems exit 2, the rest exit 1. */
import { SyncAlreadyRunningError, SyncConfigError } from '../sync/index.js';
import { ReportedFailure } from './errors.js';
import type { Output } from './output.js';

/** Prints a config problem and ends with exit 2; passes anything else through. */
export function reportConfigError(out: Output, error: unknown): never {
  if (error instanceof SyncConfigError) {
    out.error(`✗ ${error.message}`);
    throw new ReportedFailure(2);
  }
  throw error;
}

/** True for errors that concern one sync only (the others still run). */
export function isPerSyncError(error: unknown): error is Error {
  return error instanceof SyncAlreadyRunningError || error instanceof SyncConfigError;
}
