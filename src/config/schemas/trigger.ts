/**
 * models/triggers/*.yml: when a live event matches (`on:`) and its person matches a condition
 * tree over the live profile (`where:`, the audience grammar), send a message to a connection.
 */
import { z } from 'zod';
import { checkOperand, conditionOps, conditionSchema, operand } from './audience.js';
import { identifier, strictObject, stringOrList, text } from './common.js';

/** `90s`, `30m`, `24h`, `7d` → milliseconds. */
const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a duration such as `24h`; undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : undefined;
}

export const duration = z
  .string()
  .refine((value) => parseDuration(value) !== undefined, {
    message: "must be a positive duration such as '90s', '30m', '24h' or '7d'",
  })
  .transform((value) => parseDuration(value) as number);

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day 'HH:MM' (24-hour), e.g. '21:30'");

const timeZone = text.refine(isTimeZone, {
  message: "unknown time zone: use an IANA name such as 'Europe/Paris', 'America/New_York' or 'UTC'",
});

/** Property / event-field conditions of `on.where`. */
const fieldCondition = strictObject({
  property: text
    .optional()
    .describe("A property of the event (`properties.<name>`; dots go deeper: 'meter.id')"),
  field: text
    .optional()
    .describe("Any field of the event by path, e.g. 'context.page.path' or 'traits.plan'"),
  op: z.enum(conditionOps),
  value: operand,
}).superRefine((value, ctx) => {
  if ((value.property === undefined) === (value.field === undefined))
    ctx.addIssue({ code: 'custom', message: "a condition needs exactly one of 'property' or 'field'" });
  checkOperand(value, ctx);
});

/** `on:`: which events start the trigger (and which a live counter counts, profiles.ts). Every part given must hold. */
export const onSchema = strictObject({
  type: z
    .union([
      z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']),
      z.array(z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias'])).min(1),
    ])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional()
    .describe('Call type(s); default: any'),
  event: stringOrList.optional().describe('track: the event name(s), exact'),
  name: stringOrList.optional().describe('page / screen: the page or screen name(s), exact'),
  source: stringOrList
    .optional()
    .describe(
      'The events source(s): weft.yml events.sources names, or the MQTT mapping source (default mqtt)',
    ),
  where: z.array(fieldCondition).optional().describe('Conditions on the event, all must hold'),
}).superRefine((value, ctx) => {
  if (Object.values(value).every((part) => part === undefined))
    ctx.addIssue({ code: 'custom', message: "'on' needs at least one of type, event, name, source, where" });
});

/** `send:`: where the message goes and what it says. */
const sendSchema = strictObject({
  connection: identifier.describe('A weft.yml connection (slack, webhook, or any connector)'),
  template: text
    .optional()
    .describe(
      "Handlebars text over `event` and `profile`, e.g. '{{profile.traits.first_name}} is on {{event.properties.path}}'. Slack: the message; other destinations: field `text`",
    ),
  fields: z
    .record(text, z.string())
    .optional()
    .describe(
      "Destination field → template; one lone expression keeps its type ('{{profile.traits.ltv}}' stays a number, '{{profile}}' an object)",
    ),
  include: z
    .array(z.enum(['event', 'profile']))
    .optional()
    .describe('Add the whole event and/or profile as fields `event` / `profile` (webhooks)'),
  primitive: z
    .enum(['insert', 'upsert', 'update', 'addMembers'])
    .optional()
    .describe("The connector primitive: default 'insert' when the destination has it, else 'upsert'"),
  key: z
    .string()
    .optional()
    .describe('Template for the record key (default: the firing id, unique per trigger and event)'),
  object: text.optional().describe('Destination object (e.g. contacts), as syncs/*.yml `object`'),
  match_on: text.optional().describe('Destination field the key maps to, as syncs/*.yml `match_on`'),
  list: text.optional().describe('addMembers: the destination list id'),
}).superRefine((value, ctx) => {
  if (value.template === undefined && value.fields === undefined && value.include === undefined)
    ctx.addIssue({ code: 'custom', message: "'send' needs a template, fields or include" });
});

/** `quiet_hours:`: a local-time window in which nothing is sent. */
const quietHoursSchema = strictObject({
  start: clock.describe('Local time the quiet window starts, e.g. 21:00'),
  end: clock.describe('Local time it ends (may be past midnight), e.g. 08:00'),
  timezone: timeZone.default('UTC').describe('IANA time zone of start/end (default UTC)'),
  timezone_trait: identifier
    .optional()
    .describe("A profile trait holding the person's own IANA zone; used when set and valid"),
  action: z
    .enum(['skip', 'delay'])
    .default('skip')
    .describe('skip: drop the firing (recorded as quiet); delay: send when the window ends'),
}).superRefine((value, ctx) => {
  if (value.start === value.end)
    ctx.addIssue({
      code: 'custom',
      message: 'start and end are equal: the window would be empty',
      path: ['end'],
    });
});

/** One models/triggers/*.yml file. */
export const triggerFileSchema = strictObject({
  name: identifier.optional().describe('Defaults to the file name; must equal it when given'),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  on: onSchema,
  where: conditionSchema
    .optional()
    .describe('The audience grammar (traits, audiences, all/any/not) over the live profile'),
  send: sendSchema,
  once_per: duration
    .optional()
    .describe("Per-person frequency cap, e.g. '24h': at most one firing per person in any such window"),
  quiet_hours: quietHoursSchema.optional(),
});

/** A validated trigger file (durations in milliseconds). */
export type TriggerFileConfig = z.output<typeof triggerFileSchema>;
/** A validated trigger with its name resolved. */
export type TriggerConfig = TriggerFileConfig & { name: string };
/** `on.where` condition. */
export type EventFieldCondition = z.output<typeof fieldCondition>;
/** `quiet_hours:`. */
export type QuietHoursConfig = z.output<typeof quietHoursSchema>;
/** `send:`. */
export type SendConfig = z.output<typeof sendSchema>;
