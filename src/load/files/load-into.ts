/** Loads files into one relation on any warehouse: the core shared by `weft load` and file sources. */
import { statSync } from 'node:fs';
import { canReadLocalFiles } from '../../warehouse/abilities.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import type { LoadMode, LoadProgress } from '../types.js';
import { LoadError } from '../write.js';
import { resolveFormat } from './format.js';
import type { FileFormat } from './index.js';
import { type LoadedFiles, loadNative } from './native.js';
import { expandPatterns } from './paths.js';
import { MemoryFileReader, type SqlReader } from './reader.js';
import { hasRejectableLines, type ReadOptions, type ReadSpec } from './spec.js';
import { loadStreamed } from './streamed.js';

/** Files to load into one relation. */
export interface FilesIntoRequest extends ReadOptions {
  patterns: string[];
  format: FileFormat;
  projectDir: string;
  mode: LoadMode;
  key?: string[];
  maxRejects: number;
}

/** The files read and what the load did. */
export interface FilesIntoResult extends LoadedFiles {
  files: string[];
}

/** Expands the patterns, reads the files and writes them into `target`. */
export async function loadFilesInto(
  warehouse: Warehouse,
  target: RelationRef,
  request: FilesIntoRequest,
  progress: LoadProgress = {},
): Promise<FilesIntoResult> {
  const format = resolveFormat(request.format, request.patterns);
  if (request.maxRejects > 0 && !hasRejectableLines(format)) {
    throw new LoadError(
      `--max-rejects applies to CSV and TSV files; ${format} files load whole or not at all`,
    );
  }
  const options = {
    mode: request.mode,
    ...(request.key ? { key: request.key } : {}),
    maxRejects: request.maxRejects,
  };
  const specOf = async (reader: SqlReader): Promise<ReadSpec> => ({
    files: await expandPatterns(reader, request.projectDir, request.patterns),
    format,
    projectDir: request.projectDir,
    ...(request.header !== undefined ? { header: request.header } : {}),
    ...(request.delimiter !== undefined ? { delimiter: request.delimiter } : {}),
    ...(request.types ? { types: request.types } : {}),
    ...(request.hivePartitioning ? { hivePartitioning: true } : {}),
  });
  if (canReadLocalFiles(warehouse)) {
    const spec = await specOf(warehouse);
    // One statement reads every file, so rows cannot be counted as they go: say what runs and for how long.
    const stage = `reading ${spec.files.length} file${spec.files.length === 1 ? '' : 's'}`;
    const size = totalBytes(spec.files);
    const started = Date.now();
    const report = () =>
      progress.onProgress?.({ rows: 0, stage, totalBytes: size, elapsedMs: Date.now() - started });
    report();
    const ticker = progress.onProgress ? setInterval(report, 500) : undefined;
    ticker?.unref();
    try {
      const loaded = await loadNative(warehouse, spec, target, options);
      progress.onProgress?.({ rows: loaded.rowsLoaded });
      return { ...loaded, files: spec.files };
    } finally {
      clearInterval(ticker);
    }
  }
  const reader = await MemoryFileReader.open();
  try {
    const spec = await specOf(reader);
    return { ...(await loadStreamed(reader, warehouse, spec, target, options, progress)), files: spec.files };
  } finally {
    reader.close();
  }
}

/** The files' total size in bytes (a file that vanished counts 0: the read will say so). */
function totalBytes(files: string[]): number {
  return files.reduce((sum, file) => {
    try {
      return sum + statSync(file).size;
    } catch {
      return sum;
    }
  }, 0);
}
