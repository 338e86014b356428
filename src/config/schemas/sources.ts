/** models/sources.yml: raw tables that weft reads but does not build. */
import { z } from 'zod';
import { identifier, strictObject, stringOrList, text } from './common.js';

/** Formats a file source may have (default: by the files' extension). */
export const SOURCE_FILE_FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'parquet'] as const;

const fileOptions = strictObject({
  header: z
    .boolean()
    .optional()
    .describe('CSV: whether the first line holds the column names (default: sniffed)'),
  delimiter: text.optional().describe('CSV: the field delimiter (default: sniffed; a tab for tsv)'),
  types: z
    .record(z.string(), text)
    .optional()
    .describe(
      'Column name → DuckDB type (VARCHAR, BIGINT, DECIMAL(18,2), DATE…) overriding the detected one',
    ),
  hive_partitioning: z.boolean().optional().describe('Read `key=value` folders in the paths as columns'),
});

const tableObject = strictObject({
  name: identifier,
  identifier: text.optional().describe('The table name in the warehouse, when it differs from `name`'),
  description: z.string().optional(),
  files: stringOrList
    .optional()
    .describe('A file source: files or globs (CSV, TSV, JSON, NDJSON, Parquet) relative to the project'),
  format: z.enum(SOURCE_FILE_FORMATS).optional().describe("The files' format (default: by extension)"),
  options: fileOptions.optional().describe('How to read the files'),
  materialized: z
    .boolean()
    .optional()
    .describe('DuckDB: copy the files into a table (true) instead of reading them in place through a view'),
});

/** A source table: `orders` or `{ name: orders, identifier: raw_orders }`. */
export const sourceTableSchema = z.union([identifier, tableObject]);

/** One source: a schema holding tables. */
export const sourceSchema = strictObject({
  schema: text.describe('The warehouse schema holding the tables'),
  description: z.string().optional(),
  tables: z.array(sourceTableSchema).min(1),
  privacy: strictObject({
    delete: stringOrList.describe(
      "Statements `weft privacy delete` runs against this source (loaded by another tool) for each request: `{{hash column}}` is the hash of a column as suppressions store it, `{{suppressed}}` the request's hashes, e.g. DELETE FROM raw.customers WHERE {{hash email}} IN {{suppressed}}",
    ),
  })
    .optional()
    .describe('How to erase a person from this source'),
});

/** models/sources.yml. */
export const sourcesFileSchema = strictObject({
  sources: z.record(identifier, sourceSchema),
});

/** models/sources.yml after validation. */
export type SourcesFile = z.output<typeof sourcesFileSchema>;
