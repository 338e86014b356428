/** models/sources.yml: raw tables that weft reads but does not build. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';

const tableObject = strictObject({
  name: identifier,
  identifier: text.optional().describe('The table name in the warehouse, when it differs from `name`'),
  description: z.string().optional(),
});

/** A source table: `orders` or `{ name: orders, identifier: raw_orders }`. */
export const sourceTableSchema = z.union([identifier, tableObject]);

/** One source: a schema holding tables. */
export const sourceSchema = strictObject({
  schema: text.describe('The warehouse schema holding the tables'),
  description: z.string().optional(),
  tables: z.array(sourceTableSchema).min(1),
});

/** models/sources.yml. */
export const sourcesFileSchema = strictObject({
  sources: z.record(identifier, sourceSchema),
});

/** models/sources.yml after validation. */
export type SourcesFile = z.output<typeof sourcesFileSchema>;
