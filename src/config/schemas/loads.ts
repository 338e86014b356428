/**
 * weft.yml `loads:`: named loads from operational databases, run by `weft schedule` (and
 * `--once`) before the builds that read their table, or on their own cron `schedule`.
 *
 *   loads:
 *     shop_orders:
 *       from: "{{env 'SHOP_DB_URL'}}"     # mysql://, mariadb://, postgres://, mssql:// (a secret)
 *       table: orders                      # or query: "select … from …"
 *       into: shop.orders
 *       cursor: updated_at                 # incremental: only rows above the last load's maximum
 *       key: id                            # with cursor: upsert by key (else append)
 *       schedule: "*\/15 * * * *"          # optional; default: before every scheduled build reading shop.orders
 */
import { z } from 'zod';
import { identifier, strictObject, stringOrList, text } from './common.js';
import { cronProblem } from './cron.js';

/** One scheduled database load. */
export const loadSchema = strictObject({
  from: text.describe(
    'A database URL (mysql://, mariadb://, postgres://, mssql://), e.g. "{{env \'SHOP_DB_URL\'}}" (a secret)',
  ),
  table: text.optional().describe('The table to read (or give query)'),
  query: text.optional().describe('A query to read instead of a table'),
  into: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, "must be 'source.table'")
    .describe('SOURCE.TABLE to write'),
  mode: z
    .enum(['replace', 'append', 'upsert'])
    .optional()
    .describe('Default: replace; with cursor, upsert by key when key is given, else append'),
  key: stringOrList.optional().describe('The column(s) identifying a row (upsert)'),
  cursor: text.optional().describe('Column whose growing values mark new rows (incremental loads)'),
  schedule: text
    .optional()
    .describe('Cron expression (UTC); default: before every scheduled build that reads the table'),
}).superRefine((load, ctx) => {
  const problem = load.schedule === undefined ? undefined : cronProblem(load.schedule.trim());
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['schedule'] });
  if (!load.table === !load.query) {
    ctx.addIssue({ code: 'custom', message: 'needs exactly one of table or query' });
  }
  if (load.mode === 'upsert' && !load.key) {
    ctx.addIssue({
      code: 'custom',
      path: ['key'],
      message: 'mode upsert needs key (the column(s) identifying a row)',
    });
  }
});

/** The `loads:` block: load name → load. */
export const loadsSchema = z.record(identifier, loadSchema);

/** A validated load. */
export type LoadConfig = z.output<typeof loadSchema>;
