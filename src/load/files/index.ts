/**
 * Loading files (CSV, TSV, JSON/NDJSON, Parquet; globs and hive partitions) into a source table.
 * DuckDB reads every format (read_csv with its sniffer, read_json, read_parquet): in place on a
 * DuckDB warehouse (native.ts), through a private in-memory DuckDB streaming into the engine's
 * bulk loader elsewhere (streamed.ts). Paths are relative to the project directory.
 */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { LoadMode, LoadProgress, LoadSummary } from '../types.js';
import { loadFilesInto } from './load-into.js';
import { shownPath } from './paths.js';
import { resolveInto } from './target.js';

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
  project: Project,
  warehouse: Warehouse,
  request: FileLoadRequest,
  progress: LoadProgress = {},
): Promise<LoadSummary> {
  const started = Date.now();
  const { relation, hints } = resolveInto(project, request.into);
  const result = await loadFilesInto(
    warehouse,
    relation,
    {
      patterns: request.patterns,
      format: request.format,
      projectDir: project.dir,
      mode: request.mode,
      ...(request.key ? { key: request.key } : {}),
      maxRejects: request.maxRejects,
      ...(request.header !== undefined ? { header: request.header } : {}),
      ...(request.delimiter !== undefined ? { delimiter: request.delimiter } : {}),
      ...(request.types ? { types: request.types } : {}),
      ...(request.hivePartitioning ? { hivePartitioning: true } : {}),
    },
    progress,
  );
  return {
    into: request.into,
    relation,
    mode: request.mode,
    inputs: result.files.map((file) => shownPath(project.dir, file)),
    rows_read: result.rowsLoaded + result.rejects.count,
    rows_loaded: result.rowsLoaded,
    rejected: result.rejects.lines,
    rejected_count: result.rejects.count,
    ...(hints.length > 0 ? { hints } : {}),
    ms: Date.now() - started,
  };
}
