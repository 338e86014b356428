/**
 * Crash recovery, run first by every sync run while holding the lease: journals left by runs
 * that died are merged (their acknowledged rows are delivered, so the snapshot advances), and
 * their `running` rows become `failed`.
 */
import type { Warehouse } from '../warehouse/types.js';
import { listJournals } from './journal/journal-file.js';
import { mergeJournal } from './journal/merge.js';
import { abandonedRunsSql, interruptedRunSql } from './state/runs.js';
import type { ResolvedSync } from './types.js';

/** Merges every leftover journal of the sync; returns how many runs were recovered. */
export async function recoverInterruptedRuns(
  warehouse: Warehouse,
  projectDir: string,
  sync: ResolvedSync,
  currentRunId: string,
): Promise<number> {
  const d = warehouse.dialect;
  const leftovers = listJournals(projectDir, sync.config.name).filter((j) => j.runId !== currentRunId);
  for (const { runId, file } of leftovers) {
    await mergeJournal(warehouse, sync, runId, file, (counts) => [
      interruptedRunSql(d, sync.stateSchema, runId, counts, new Date()),
    ]);
  }
  await warehouse.execute(abandonedRunsSql(d, sync.stateSchema, sync.config.name, currentRunId, new Date()));
  return leftovers.length;
}
