/**
 * Loading files (CSV, TSV, JSON/NDJSON, Parquet; globs and hive partitions) into a source table.
 * CONTRACT STUB: filled in by the file-loads work (issue 13, items 1–2).
 */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { LoadMode, LoadProgress, LoadSummary } from '../types.js';

/** File formats weft reads. `auto` picks by extension. */
export type FileFormat = 'auto' | 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet';

/** What `weft load FILE|GLOB… --into SOURCE.TABLE` asks for. */
export interface FileLoadRequest {
  /** Files or globs, relative to the project directory (absolute paths allowed). */
  patterns: string[];
  /** `SOURCE.TABLE`. */
  into: string;
  mode: LoadMode;
  key?: string[];
  format: FileFormat;
  /** CSV: whether the first line holds the column names (default: sniffed). */
  header?: boolean;
  /** CSV: the field delimiter (default: sniffed; `\t` for tsv). */
  delimiter?: string;
  /** Column name → type (a DuckDB type name such as VARCHAR, BIGINT, DECIMAL(18,2), DATE) overriding the sniffed one. */
  types?: Record<string, string>;
  /** Read `key=value` folders in the paths as columns. */
  hivePartitioning?: boolean;
  /** Lines that may be rejected before the load fails (default 0: any bad line fails the load, nothing is written). */
  maxRejects: number;
}

/** Loads files into the warehouse. */
export async function loadFiles(
  _project: Project,
  _warehouse: Warehouse,
  _request: FileLoadRequest,
  _progress: LoadProgress = {},
): Promise<LoadSummary> {
  throw new Error('weft load FILE is not implemented yet');
}
