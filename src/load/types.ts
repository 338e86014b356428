/**
 * The contracts of `weft load` and file sources: what a load writes, how, and what it reports.
 * Readers (files: src/load/files/, operational databases: src/load/database/) produce typed rows;
 * `writeRows` (write.ts) puts them into the warehouse atomically; the CLI (src/cli/load.ts) prints
 * the summary.
 */
import type { RelationRef } from '../warehouse/types.js';

/**
 * How loaded rows meet the table already there: `replace` swaps the whole table in one step
 * (nothing partially loaded when a load fails), `append` adds rows, `upsert` replaces rows whose
 * `key` matches and adds the others.
 */
export type LoadMode = 'replace' | 'append' | 'upsert';

/** Load modes, for option parsing and schemas. */
export const LOAD_MODES: readonly LoadMode[] = ['replace', 'append', 'upsert'];

/** One input line (or record) that was not loaded, and why. */
export interface RejectedLine {
  /** The file (relative to the project when inside it) or `table`/`query` for database loads. */
  file: string;
  /** 1-based line number in the file (the header is line 1), when the format has lines. */
  line?: number;
  /** The column the problem is in, when known. */
  column?: string;
  /** Plain words: what is wrong with the line. */
  reason: string;
}

/** What one load did: the CLI prints it, `--json` emits it as one object. */
export interface LoadSummary {
  /** `SOURCE.TABLE` as given to `--into`. */
  into: string;
  /** The warehouse relation written. */
  relation: RelationRef;
  mode: LoadMode;
  /** Files read (file loads) or the database and table/query (database loads). */
  inputs: string[];
  /** Rows read from the inputs (rejected ones included). */
  rows_read: number;
  /** Rows written to the warehouse. */
  rows_loaded: number;
  /** Rows not loaded, with their line numbers: at most the first 100 are listed. */
  rejected: RejectedLine[];
  /** How many rows were rejected in all (may exceed `rejected.length`). */
  rejected_count: number;
  /** Advice printed after the summary (e.g. the sources.yml lines declaring an undeclared target). */
  hints?: string[];
  /** Incremental database loads: the cursor value this load reached (text), else absent. */
  cursor?: string;
  ms: number;
}

/** One progress report of a load. */
export interface LoadProgressReport {
  /** Rows written so far (0 while a whole-file read runs in the warehouse). */
  rows: number;
  bytes?: number;
  totalBytes?: number;
  file?: string;
  /**
   * What runs when rows cannot be counted as they go (DuckDB reads the files in one statement):
   * e.g. "reading 3 files" (their size in `totalBytes`), with the time it has taken so far.
   */
  stage?: string;
  elapsedMs?: number;
}

/** Progress callbacks of a long load (the CLI draws them on a terminal). */
export interface LoadProgress {
  onProgress?: (progress: LoadProgressReport) => void;
}
