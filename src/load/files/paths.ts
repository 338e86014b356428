/** File patterns resolved against the project directory and expanded, with clear errors. */
import fs from 'node:fs';
import path from 'node:path';
import { duckdbDialect } from '../../warehouse/duckdb/dialect.js';
import { LoadError } from '../write.js';
import type { SqlReader } from './reader.js';

/** An absolute path for `pattern`: relative ones are relative to the project, whatever the working directory. */
export function absolutePattern(projectDir: string, pattern: string): string {
  return path.resolve(projectDir, pattern);
}

/** `file` relative to the project when inside it, else absolute (for messages and summaries). */
export function shownPath(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

const GLOB_CHARS = /[*?[{]/;

/**
 * Expands patterns to the sorted, distinct files they match, with DuckDB's own `glob` (the
 * matching read_csv/read_parquet use). A missing file, a glob matching nothing or an empty file
 * is a LoadError naming it.
 */
export async function expandPatterns(
  reader: SqlReader,
  projectDir: string,
  patterns: string[],
): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const absolute = absolutePattern(projectDir, pattern);
    if (!GLOB_CHARS.test(pattern)) {
      if (!fs.existsSync(absolute)) throw new LoadError(`${pattern}: no such file (looked for ${absolute})`);
      if (fs.statSync(absolute).isDirectory())
        throw new LoadError(`${pattern} is a folder: give a glob such as '${path.join(pattern, '*.csv')}'`);
      files.add(absolute);
      continue;
    }
    const rows = await reader.query(
      `SELECT file FROM glob(${duckdbDialect.literal(absolute)}) ORDER BY file`,
    );
    if (rows.length === 0)
      throw new LoadError(`no file matches '${pattern}' (looked in ${path.dirname(absolute)})`);
    for (const row of rows) files.add(String(row.file));
  }
  for (const file of files) {
    if (fs.statSync(file).size === 0)
      throw new LoadError(`${shownPath(projectDir, file)} is empty (0 bytes)`);
  }
  return [...files].sort();
}
