/** weft.yml `loads:`: scheduled loads from operational databases. Owned by the database-loads work. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';

/** One scheduled database load. */
export const loadSchema = strictObject({
  from: text.describe('A database URL, e.g. "{{env \'SHOP_DB_URL\'}}" (a secret)'),
  table: text.optional(),
  query: text.optional(),
  into: text.describe('SOURCE.TABLE to write'),
  mode: z.enum(['replace', 'append', 'upsert']).default('replace'),
  key: z.union([text, z.array(text)]).optional(),
  cursor: text.optional(),
  schedule: text
    .optional()
    .describe('Cron expression; default: before every scheduled build that reads the table'),
});

/** The `loads:` block: load name → load. */
export const loadsSchema = z.record(identifier, loadSchema);

/** A validated load. */
export type LoadConfig = z.output<typeof loadSchema>;
