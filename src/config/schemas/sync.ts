/** syncs/*.yml: what to push where, and how. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';
import { cronProblem } from './cron.js';
import { predicateProblem } from './sql-predicate.js';

/** Sync modes. */
export const syncModes = ['upsert', 'update', 'insert', 'mirror', 'membership'] as const;

/** Sync priorities: when syncs share a destination account's budget, higher ones go first. */
export const syncPriorities = ['high', 'normal', 'low'] as const;

/** One syncs/*.yml file. */
export const syncFileSchema = strictObject({
  name: identifier,
  description: z.string().optional(),
  from: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
      "must be 'audience.<name>', a model name, 'profiles' or 'source.table'",
    )
    .describe("'audience.<name>', a model name, 'profiles' (the unified profiles table) or 'source.table'"),
  connection: identifier.describe('A connection from weft.yml'),
  object: text.optional().describe('Destination object, e.g. contacts'),
  mode: z.enum(syncModes).default('upsert'),
  key: text.describe('Source column identifying a row'),
  match_on: text.optional().describe('Destination field the key maps to'),
  list: z
    .union([text, z.number().int()])
    .transform(String)
    .optional()
    .describe('Destination list id (membership mode only)'),
  where: z
    .string()
    .optional()
    .describe(
      'A SQL condition over the source\'s columns; only rows matching it are synced, e.g. "email IS NOT NULL". Rows that stop matching count as removed (removed from the destination in mirror and membership modes, left there in the others)',
    ),
  mappings: z.record(text, text).default({}).describe('destination field → source column or template'),
  schedule: text.optional().describe('Cron expression, e.g. "0 * * * *"'),
  priority: z
    .enum(syncPriorities)
    .default('normal')
    .describe("Who waits when syncs share a destination account's rate limit: high, normal or low"),
  build: z
    .enum(['dbt'])
    .optional()
    .describe("'dbt': `weft schedule` runs `dbt build` for the dbt models this sync reads before it"),
  consent: z
    .array(identifier)
    .optional()
    .describe(
      'Consent purposes (weft.yml privacy.consent) a person must have granted to be sent; the source needs a profile_id column. People without them are held back, and removed per the mode when they withdraw',
    ),
  guardrails: strictObject({
    max_delete_pct: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('Stop before deleting more than this share'),
    max_duplicate_pct: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe(
        'A run that leaves out more than this share of its source rows because their key is duplicated ends partial, not success (default 20; 100 turns it off)',
      ),
  }).optional(),
}).superRefine((value, ctx) => {
  if (value.mode === 'membership' && value.list === undefined) {
    ctx.addIssue({ code: 'custom', message: "membership mode needs 'list'", path: ['list'] });
  }
  if (value.mode !== 'membership' && value.list !== undefined) {
    ctx.addIssue({ code: 'custom', message: "'list' is only used in membership mode", path: ['list'] });
  }
  const filter = value.where === undefined ? undefined : predicateProblem(value.where);
  if (filter) ctx.addIssue({ code: 'custom', message: filter, path: ['where'] });
  const problem = value.schedule === undefined ? undefined : cronProblem(value.schedule.trim());
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['schedule'] });
});

/** A validated sync file. */
export type SyncConfig = z.output<typeof syncFileSchema>;
