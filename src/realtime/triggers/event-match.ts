/** `on:`: whether a live event starts a trigger (type, event / page name, source, field conditions). */
import type { TriggerConfig } from '../../config/schemas/trigger.js';
import type { CollectedEvent } from '../../events/types.js';
import { compare } from './compare.js';
import { valueAt } from './paths.js';

/** Whether `event` matches the trigger's `on:`; `now` for relative date conditions. */
export function matchesOn(on: TriggerConfig['on'], event: CollectedEvent, now: Date): boolean {
  if (on.type && !on.type.includes(event.type)) return false;
  if (on.event && (event.event === undefined || !on.event.includes(event.event))) return false;
  if (on.name && (event.name === undefined || !on.name.includes(event.name))) return false;
  if (on.source && !on.source.includes(event.source)) return false;
  for (const condition of on.where ?? []) {
    const actual =
      condition.property !== undefined
        ? valueAt(event.properties, condition.property)
        : valueAt(event, condition.field as string);
    if (!compare(actual, condition.op, condition.value, now)) return false;
  }
  return true;
}
