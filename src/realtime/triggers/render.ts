/**
 * Rendering a trigger's `send:` over the firing: handlebars templates with `event` (the
 * CollectedEvent as sent) and `profile` ({ id, traits, audiences, identifiers }, empty for an
 * unknown person) in scope, plus `trigger` and `firing_id`. The sync mappings' helpers work
 * (`{{round profile.traits.ltv 2}}`, `{{json event.properties}}`). A field whose template is one
 * lone path (`{{profile.traits.ltv}}`, `{{profile}}`) keeps the value's type.
 */
import Handlebars from 'handlebars';
import type { SendConfig } from '../../config/schemas/trigger.js';
import type { CollectedEvent } from '../../events/types.js';
import { mappingHelpers } from '../../sync/mapping/helpers.js';
import type { ServedProfile } from '../types.js';
import { valueAt } from './paths.js';

const env = Handlebars.create();
for (const [name, helper] of Object.entries(mappingHelpers)) {
  // Handlebars appends an `options` object to the arguments: drop it.
  env.registerHelper(name, (...args: unknown[]) => helper(...args.slice(0, -1)));
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
const LONE_PATH = /^\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_0-9][\w-]*)*)\s*\}\}$/;

/** What templates see. */
export interface RenderContext {
  trigger: string;
  firing_id: string;
  event: CollectedEvent;
  profile: {
    id: string | null;
    traits: Record<string, unknown>;
    audiences: string[];
    identifiers: Record<string, string[]>;
  };
}

/** The template scope for one firing. */
export function renderContext(
  trigger: string,
  firingId: string,
  event: CollectedEvent,
  profile: ServedProfile | undefined,
): RenderContext {
  const identifiers: Record<string, string[]> = {};
  for (const id of profile?.identifiers ?? []) {
    const values = identifiers[id.type] ?? [];
    values.push(id.value);
    identifiers[id.type] = values;
  }
  return {
    trigger,
    firing_id: firingId,
    event,
    profile: {
      id: profile?.profileId ?? null,
      traits: profile?.traits ?? {},
      audiences: profile?.audiences ?? [],
      identifiers,
    },
  };
}

/**
 * Slack reads `&`, `<`, `>` as control characters (`<!channel>` pings everyone): values coming
 * from events and profiles are escaped; the template's own text is not, so it can hold links.
 */
function escapeSlack(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (Array.isArray(value)) return value.map(escapeSlack);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeSlack(v)]));
  return value;
}

/** Renders `template` to text. Throws with a one-line message when a helper fails. */
export function renderText(template: string, scope: unknown): string {
  let fn = compiled.get(template);
  if (!fn) {
    fn = env.compile(template, { noEscape: true, strict: false });
    compiled.set(template, fn);
  }
  return fn(scope);
}

/** A field's value: a lone path keeps its type, anything else renders to text. */
export function renderValue(template: string, scope: unknown): unknown {
  const lone = LONE_PATH.exec(template.trim());
  if (lone && !(lone[1] as string).includes('.') && (lone[1] as string) in mappingHelpers)
    return renderText(template, scope);
  return lone ? (valueAt(scope, lone[1] as string) ?? null) : renderText(template, scope);
}

/** The record a firing sends: its key and destination fields. */
export interface RenderedMessage {
  key: string;
  fields: Record<string, unknown>;
}

/**
 * Renders `send:` for one firing. `slack` escapes event and profile values for Slack's markup.
 * The template's text goes to field `text` (the Slack message).
 */
export function renderMessage(send: SendConfig, context: RenderContext, slack: boolean): RenderedMessage {
  const scope = slack
    ? { ...context, event: escapeSlack(context.event), profile: escapeSlack(context.profile) }
    : context;
  const fields: Record<string, unknown> = {};
  if (send.template !== undefined) fields.text = renderText(send.template, scope);
  for (const [name, template] of Object.entries(send.fields ?? {}))
    fields[name] = renderValue(template, scope);
  if (send.include?.includes('event')) fields.event = context.event;
  if (send.include?.includes('profile')) fields.profile = context.profile;
  const key = send.key === undefined ? context.firing_id : String(renderValue(send.key, context) ?? '');
  return { key, fields };
}
