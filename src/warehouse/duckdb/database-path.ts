import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WarehouseConnectionConfig } from '../types.js';
import { displayPath } from './open-error.js';

/** The default database file, relative to the project directory. */
export const DEFAULT_DUCKDB_PATH = '.weft/warehouse.duckdb';

/** Where a DuckDB warehouse lives: an absolute file path or `:memory:`, and how to show it. */
export interface DatabaseLocation {
  databasePath: string;
  shownPath: string;
}

/**
 * Resolves the database file from `path` (relative paths against the project dir) or a
 * `duckdb://` URL (`duckdb:///abs/file.duckdb`, `duckdb://relative.duckdb`, `duckdb://:memory:`),
 * defaulting to `.weft/warehouse.duckdb`. Does not touch the disk.
 */
export function resolveDatabaseLocation(
  config: WarehouseConnectionConfig,
  projectDir: string,
): DatabaseLocation {
  const configured = config.path ?? pathFromUrl(config.url) ?? DEFAULT_DUCKDB_PATH;
  if (configured === ':memory:' || configured === '')
    return { databasePath: ':memory:', shownPath: ':memory:' };
  const databasePath = path.resolve(projectDir, configured);
  return { databasePath, shownPath: displayPath(databasePath, projectDir) };
}

function pathFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = /^duckdb:(?:\/\/)?(.*)$/i.exec(url);
  if (!match) throw new Error(`Not a DuckDB URL: ${url} (expected duckdb:///path/to/file.duckdb)`);
  return decodeURIComponent(match[1] ?? '');
}

/** Creates the directory that will hold the database file. */
export function ensureParentDirectory(location: DatabaseLocation): void {
  if (location.databasePath !== ':memory:')
    mkdirSync(path.dirname(location.databasePath), { recursive: true });
}
