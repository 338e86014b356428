/** models/audiences/*.yml: a condition tree over traits, events and other audiences, or raw SQL. */
import { z } from 'zod';
import { identifier, relationRef, strictObject, text } from './common.js';

/**
 * Comparison operators for trait and event-column conditions. `between` is inclusive
 * (`[low, high]`); contains / starts_with / ends_with compare text case-sensitively. The relative
 * date ops take a whole number of days N and compare with "now" (weft.yml `as_of`, else the
 * warehouse's clock): `within_days` = in the last N days (now − N days ≤ value ≤ now),
 * `older_than_days` = before now − N days, `within_next_days` = in the next N days
 * (now ≤ value ≤ now + N days). A NULL value matches only `is_null`.
 */
export const conditionOps = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'between',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'is_null',
  'is_not_null',
  'within_days',
  'older_than_days',
  'within_next_days',
] as const;
/** The operators comparing a date or timestamp with "now" minus or plus N days. */
export const relativeDateOps = ['within_days', 'older_than_days', 'within_next_days'] as const;
/** A comparison operator. */
export type ConditionOp = (typeof conditionOps)[number];

const scalar = z.union([z.string(), z.number(), z.boolean()]);
type Scalar = z.output<typeof scalar>;

/**
 * Checks that `value` fits `op`: none for null tests, a list for in/not_in/between, a whole
 * number of days for the relative date ops, else one value.
 */
export function checkOperand(
  condition: { op: ConditionOp; value?: Scalar | Scalar[] },
  ctx: z.core.$RefinementCtx,
): void {
  const { op, value } = condition;
  const say = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['value'] });
  if (op === 'is_null' || op === 'is_not_null') {
    if (value !== undefined) say(`'${op}' takes no value`);
  } else if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(value) || value.length === 0) say(`'${op}' needs a non-empty list of values`);
  } else if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2) say("'between' needs a list of two values [low, high]");
  } else if ((relativeDateOps as readonly string[]).includes(op)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      say(`'${op}' needs a whole number of days (e.g. 30)`);
  } else if (value === undefined || Array.isArray(value)) {
    say(`'${op}' needs a single value`);
  }
}

/** A condition's `value`: one scalar or a list. */
export const operand = z.union([scalar, z.array(scalar)]).optional();

const traitCondition = strictObject({
  trait: identifier,
  op: z.enum(conditionOps),
  value: operand,
}).superRefine(checkOperand);

const columnCondition = strictObject({ column: text, op: z.enum(conditionOps), value: operand }).superRefine(
  checkOperand,
);

const countBounds = { eq: 0, neq: 0, gt: 0, gte: 0, lt: 0, lte: 0 } as const;
const count = strictObject({
  eq: z.number().int().min(0).optional(),
  neq: z.number().int().min(0).optional(),
  gt: z.number().int().min(0).optional(),
  gte: z.number().int().min(0).optional(),
  lt: z.number().int().min(0).optional(),
  lte: z.number().int().min(0).optional(),
}).refine(
  (value) => Object.keys(countBounds).some((k) => value[k as keyof typeof countBounds] !== undefined),
  {
    message: 'needs at least one of eq, neq, gt, gte, lt, lte',
  },
);

const eventCondition = strictObject({
  event: relationRef.describe("The events' model or 'source.table': an identity source (identity.yml)"),
  timestamp: text.optional().describe('The event time column (needed by within_days)'),
  within_days: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Only events in the last N days (now − N days ≤ timestamp ≤ now)'),
  count: count
    .optional()
    .describe(
      'How many matching events, all bounds must hold (default: at least one). { eq: 0 } = did not; lt/lte/eq 0 include profiles with no events',
    ),
  where: z.array(columnCondition).optional().describe('Conditions on event columns, all must hold'),
}).superRefine((value, ctx) => {
  if (value.within_days !== undefined && value.timestamp === undefined) {
    ctx.addIssue({ code: 'custom', message: "'within_days' needs 'timestamp'", path: ['timestamp'] });
  }
});

/** A condition on an event column. */
export type ColumnCondition = z.output<typeof columnCondition>;
/** A condition on a profile trait. */
export type TraitCondition = z.output<typeof traitCondition>;
/** A condition on a profile's events. */
export type EventCondition = z.output<typeof eventCondition>;
/** A node of an audience's condition tree. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | TraitCondition
  | EventCondition
  | { audience: string };

/** A condition tree node (recursive). */
export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      strictObject({ all: z.array(conditionSchema).min(1) }),
      strictObject({ any: z.array(conditionSchema).min(1) }),
      strictObject({ not: conditionSchema }),
      traitCondition,
      eventCondition,
      strictObject({ audience: identifier }),
    ]),
  )
  .meta({ id: 'condition', description: 'all / any / not, a trait, an event or an audience condition' });

/** `splits:` arm name → whole percent; the percents sum to 100. */
const splitsSchema = z
  .record(identifier, z.number().int().min(0).max(100))
  .refine((arms) => Object.keys(arms).length > 0, { message: 'needs at least one arm' })
  .refine((arms) => Object.values(arms).reduce((sum, p) => sum + p, 0) === 100, {
    message: 'the arm percents must sum to 100',
  });

/** One models/audiences/*.yml file. */
export const audienceFileSchema = strictObject({
  name: identifier.describe('Output: view audience_<name>'),
  description: z.string().optional(),
  where: conditionSchema.optional(),
  sql: text
    .optional()
    .describe(
      "Raw SELECT returning profile_id (instead of where); {{ref 'model'}}, {{source 's' 't'}} and {{var 'v'}} work",
    ),
  exclude: conditionSchema.optional().describe('Profiles matching this condition are removed'),
  splits: splitsSchema
    .optional()
    .describe(
      'Deterministic arms, e.g. { control: 10, treatment: 90 }: a profile stays in its arm across builds. Adds column split and a view audience_<name>_<arm> per arm',
    ),
  columns: z.array(identifier).default([]).describe('Traits exported next to profile_id'),
}).superRefine((value, ctx) => {
  if ((value.where === undefined) === (value.sql === undefined)) {
    ctx.addIssue({ code: 'custom', message: "an audience needs exactly one of 'where' or 'sql'" });
  }
});

/** A validated audience file. */
export type AudienceConfig = z.output<typeof audienceFileSchema>;
