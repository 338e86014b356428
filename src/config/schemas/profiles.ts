/** models/profiles.yml: traits computed per profile. */
import { z } from 'zod';
import { identifier, relationRef, strictObject, text } from './common.js';
import { duration, onSchema } from './trigger.js';

/**
 * `live:`: how `weft serve` updates the trait as events arrive, between builds (the build's
 * value stays the truth: each load of the serving store starts again from it).
 */
const liveTrait = strictObject({
  on: onSchema.describe('The events that update it (the trigger `on:` grammar)'),
  op: z
    .enum(['count', 'latest'])
    .describe(
      "count: the build's value plus the matching events since; latest: the last matching event's timestamp",
    ),
  within: duration
    .optional()
    .describe("count only: count events of this window, e.g. '7d' (events older than it stop counting)"),
}).superRefine((value, ctx) => {
  if (value.within !== undefined && value.op !== 'count')
    ctx.addIssue({ code: 'custom', message: "'within' applies to op: count" });
});

const trait = strictObject({
  from: z
    .union([relationRef, z.array(relationRef).min(1)])
    .describe("A model or 'source.table'; a list (highest priority first) for pick: source_priority"),
  column: text.optional().describe('Take this column, choosing a row with `pick`'),
  pick: z.enum(['most_recent', 'first', 'most_frequent', 'source_priority']).optional(),
  order_by: text.optional().describe('Column ordering rows for most_recent / first'),
  expr: text.optional().describe('An aggregate SQL expression, e.g. sum(amount)'),
  description: z.string().optional(),
  live: liveTrait.optional().describe('Update the trait live in `weft serve` (a live counter)'),
}).superRefine((value, ctx) => {
  if ((value.column === undefined) === (value.expr === undefined)) {
    ctx.addIssue({ code: 'custom', message: "a trait needs exactly one of 'column' or 'expr'" });
  }
  if (value.expr !== undefined && (value.pick !== undefined || value.order_by !== undefined)) {
    ctx.addIssue({ code: 'custom', message: "'pick' and 'order_by' apply to 'column' traits, not 'expr'" });
  }
});

/** The `profiles:` mapping. */
export const profilesSchema = strictObject({
  traits: z.record(identifier, trait),
});

/** models/profiles.yml. */
export const profilesFileSchema = strictObject({ profiles: profilesSchema });

/** The validated `profiles:` mapping. */
export type ProfilesConfig = z.output<typeof profilesSchema>;
/** A trait's `live:` block. */
export type LiveTraitConfig = z.output<typeof liveTrait>;
/** One trait definition. */
export type TraitConfig = z.output<typeof trait>;
