/** DuckDB table-function calls (read_csv / read_json / read_parquet) reading a ReadSpec. */
import { duckdbDialect as d } from '../../warehouse/duckdb/dialect.js';
import type { ReadSpec } from './spec.js';

/** Extra arguments of one read. */
export interface ReadCallOptions {
  /** CSV: column → type (the user's `types` plus weft's own overrides). */
  csvTypes?: Record<string, string>;
  /** JSON: every column with its type (read_json takes all or none). */
  jsonColumns?: Array<{ name: string; type: string }>;
  /** CSV: store bad lines in these temp tables instead of failing (see rejects.ts). */
  rejects?: { table: string; scan: string };
}

function struct(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${d.literal(k)}: ${d.literal(v)}`).join(', ')}}`;
}

/** `read_…([files], options…)`: a table expression for FROM. */
export function readCall(
  spec: ReadSpec | (Omit<ReadSpec, 'files'> & { files: string[] }),
  options: ReadCallOptions = {},
): string {
  const files = `[${spec.files.map((f) => d.literal(f)).join(', ')}]`;
  const args: string[] = [files];
  if (spec.hivePartitioning) args.push('hive_partitioning = true');
  switch (spec.format) {
    case 'csv':
    case 'tsv': {
      if (spec.header !== undefined) args.push(`header = ${spec.header}`);
      const delimiter = spec.delimiter ?? (spec.format === 'tsv' ? '\t' : undefined);
      if (delimiter !== undefined) args.push(`delim = ${d.literal(delimiter)}`);
      const types = Object.entries(options.csvTypes ?? {});
      if (types.length > 0) args.push(`types = ${struct(types)}`);
      if (options.rejects) {
        args.push(
          'store_rejects = true',
          `rejects_table = ${d.literal(options.rejects.table)}`,
          `rejects_scan = ${d.literal(options.rejects.scan)}`,
        );
      }
      return `read_csv(${args.join(', ')})`;
    }
    case 'json':
    case 'ndjson': {
      args.push(`format = ${spec.format === 'ndjson' ? "'newline_delimited'" : "'auto'"}`);
      if (options.jsonColumns)
        args.push(`columns = ${struct(options.jsonColumns.map((c) => [c.name, c.type]))}`);
      return `read_json(${args.join(', ')})`;
    }
    case 'parquet':
      return `read_parquet(${args.join(', ')})`;
  }
}
