/** What to read: resolved files, their format and the reader options (shared by loads and file sources). */

/** A concrete format (after `auto` is resolved by extension). */
export type ConcreteFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet';

/** The reader options a load or a file source may give. */
export interface ReadOptions {
  /** CSV: whether the first line holds the column names (default: sniffed). */
  header?: boolean;
  /** CSV: the field delimiter (default: sniffed; tab for tsv). */
  delimiter?: string;
  /** Column name → DuckDB type name overriding the detected one. */
  types?: Record<string, string>;
  /** Read `key=value` folders in the paths as columns. */
  hivePartitioning?: boolean;
}

/** Files to read (absolute paths, expanded from globs) in one format. */
export interface ReadSpec extends ReadOptions {
  files: string[];
  format: ConcreteFormat;
  /** The project directory, to show paths relative to it. */
  projectDir: string;
}

/** Whether the format has lines DuckDB can reject one by one (with line numbers). */
export function hasRejectableLines(format: ConcreteFormat): boolean {
  return format === 'csv' || format === 'tsv';
}
