/** The file format of a load: given, or picked from the file names' extensions. */
import { LoadError } from '../write.js';
import type { FileFormat } from './index.js';
import type { ConcreteFormat } from './spec.js';

const BY_EXTENSION: Array<[RegExp, ConcreteFormat]> = [
  [/\.csv(\.gz|\.zst)?$/i, 'csv'],
  [/\.(tsv|tab)(\.gz|\.zst)?$/i, 'tsv'],
  [/\.(ndjson|jsonl)(\.gz|\.zst)?$/i, 'ndjson'],
  [/\.json(\.gz|\.zst)?$/i, 'json'],
  [/\.(parquet|pq)$/i, 'parquet'],
];

/** The format of a file name by its extension, or undefined. */
export function formatOfName(name: string): ConcreteFormat | undefined {
  return BY_EXTENSION.find(([pattern]) => pattern.test(name))?.[1];
}

/** `format` itself, or the one format every pattern's extension names (else a LoadError). */
export function resolveFormat(format: FileFormat | undefined, patterns: string[]): ConcreteFormat {
  if (format && format !== 'auto') return format;
  const found = new Set<ConcreteFormat>();
  for (const pattern of patterns) {
    const byName = formatOfName(pattern.replace(/[*?]+$/, ''));
    if (!byName) {
      throw new LoadError(
        `cannot tell the format of '${pattern}' from its extension (.csv, .tsv, .json, .ndjson, .jsonl, .parquet): give --format (or format: in sources.yml)`,
      );
    }
    found.add(byName);
  }
  if (found.size > 1) {
    throw new LoadError(`the files mix formats (${[...found].join(', ')}): load each format separately`);
  }
  return [...found][0] as ConcreteFormat;
}
