/**
 * Merges a run's journal into the warehouse: the snapshot advances for acknowledged records
 * only, `sync_rejections` records rejections (attempts, first/last seen) and forgets keys that
 * were acknowledged since. The journal is applied in chunks of at most `chunkEntries` entries,
 * each one bulk load plus a few set-based statements committed together, so the warehouse never
 * holds a whole run's entries uncommitted (DuckDB keeps uncommitted appended rows in memory)
 * and the DML count stays bounded (one merge per chunk; cloud warehouses bill DML). The
 * snapshot may advance chunk by chunk because every merged row was acknowledged; the caller's
 * final statements (the run's status) commit last. Merging is idempotent, so a crash between
 * chunks, or after the last commit but before the file is deleted, is harmless: the next run
 * merges the whole file again.
 */
import fs from 'node:fs';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import { fastHashOf } from '../planner/fast-hash.js';
import { releaseWarehouseMemory } from '../release-memory.js';
import { ensureSnapshot } from '../state/tables.js';
import type { ResolvedSync } from '../types.js';
import type { JournalEntry } from './entries.js';
import { readJournalBatches } from './journal-file.js';
import { mergeStatements, STAGE_COLUMNS, stageTables } from './merge-sql.js';

/**
 * Journal entries per load + merge transaction (rounded up to whole read batches of 2048).
 * Measured on 1M entries: 50k to 250k per chunk merge in about the same time; smaller chunks
 * hold less in memory.
 */
export const MERGE_CHUNK_ENTRIES = 50_000;

/** What a merged journal held. */
export interface MergeCounts {
  acknowledged: number;
  rejected: number;
}

/** Options of `mergeJournal`. */
export interface MergeOptions {
  /** Entries per committed chunk (default MERGE_CHUNK_ENTRIES). */
  chunkEntries?: number;
}

/**
 * Loads `file` chunk by chunk and applies it for run `runId`; then `extraStatements` (e.g. the
 * run's final status, given the totals) commit in a last transaction. The file is deleted after.
 */
export async function mergeJournal(
  warehouse: Warehouse,
  sync: ResolvedSync,
  runId: string,
  file: string,
  extraStatements: (counts: MergeCounts) => string[] = () => [],
  options: MergeOptions = {},
): Promise<MergeCounts> {
  const stage: RelationRef = { schema: sync.stateSchema, name: `journal_${sync.config.name}` };
  const counts: MergeCounts = { acknowledged: 0, rejected: 0 };
  const chunkEntries = Math.max(1, Math.floor(options.chunkEntries ?? MERGE_CHUNK_ENTRIES));
  const inTransaction = (statements: string[]) =>
    warehouse.transaction(async () => {
      for (const sql of statements) await warehouse.execute(sql);
    });
  if (fs.existsSync(file)) {
    await releaseWarehouseMemory(warehouse); // what the push (or the plan) freed
    // Fast hashes are labelled with this engine's scheme: one computed by an older engine (a
    // journal from before an upgrade) can only fail to match, so the row is compared again.
    const fast = await fastHashOf(warehouse);
    if (fast) await ensureSnapshot(warehouse, sync.snapshot); // a snapshot from before fast hashes
    const batches = readJournalBatches(file, Math.min(2048, chunkEntries))[Symbol.asyncIterator]();
    let exhausted = false;
    // The next `chunkEntries` entries, pulled from the one reader in small batches (the file is
    // read once; what is held in memory is one small batch, not the chunk).
    async function* chunk(): AsyncGenerator<unknown[]> {
      let taken = 0;
      while (taken < chunkEntries) {
        const next = await batches.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        taken += next.value.length;
        yield* stageRows(next.value, counts);
      }
    }
    while (!exhausted) {
      const staged = await warehouse.load(stage, STAGE_COLUMNS, chunk());
      if (staged > 0) await inTransaction(mergeStatements(warehouse, sync, stage, runId, fast?.scheme));
      await releaseWarehouseMemory(warehouse);
    }
    for (const table of stageTables(warehouse.dialect, stage))
      await warehouse.execute(warehouse.dialect.dropRelation(table, 'table'));
  }
  await inTransaction(extraStatements(counts));
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Its directory is gone or not a directory (an unwritable journal): there is no file to remove.
  }
  return counts;
}

function* stageRows(entries: JournalEntry[], counts: MergeCounts): Generator<unknown[]> {
  for (const e of entries) {
    if (e.t === 'ack') {
      counts.acknowledged++;
      yield ['ack', e.k, e.h, e.op, e.id ?? null, null, e.f ?? null];
    } else {
      counts.rejected++;
      yield ['rej', e.k, null, null, null, e.r, null];
    }
  }
}
