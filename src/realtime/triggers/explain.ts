/** Why a trigger would or would not fire for one event: each part of `on:` and `where:` with its verdict. */
import type { Condition } from '../../config/schemas/audience.js';
import type { TriggerConfig } from '../../config/types.js';
import type { CollectedEvent } from '../../events/types.js';
import { compare } from './compare.js';
import { valueAt } from './paths.js';
import { evaluateCondition, type ProfileFacts } from './profile-condition.js';

/** One checked part: what it asks, whether it holds. */
export interface Check {
  text: string;
  ok: boolean;
  /** Nested parts (all / any / not). */
  parts?: Check[];
}

const show = (value: unknown) => (value === undefined ? 'missing' : JSON.stringify(value));

/** Each part of `on:` checked against the event. */
export function explainOn(on: TriggerConfig['on'], event: CollectedEvent, now: Date): Check[] {
  const checks: Check[] = [];
  const oneOf = (label: string, allowed: string[] | undefined, actual: string | undefined) => {
    if (allowed)
      checks.push({
        text: `${label} ${allowed.length === 1 ? `is ${show(allowed[0])}` : `in ${show(allowed)}`} (event: ${show(actual)})`,
        ok: actual !== undefined && allowed.includes(actual),
      });
  };
  oneOf('type', on.type, event.type);
  oneOf('event', on.event, event.event);
  oneOf('name', on.name, event.name);
  oneOf('source', on.source, event.source);
  for (const c of on.where ?? []) {
    const path = c.property !== undefined ? `properties.${c.property}` : (c.field as string);
    const actual = c.property !== undefined ? valueAt(event.properties, c.property) : valueAt(event, path);
    const operand = c.value === undefined ? '' : ` ${show(c.value)}`;
    checks.push({
      text: `${path} ${c.op}${operand} (event: ${show(actual)})`,
      ok: compare(actual, c.op, c.value, now),
    });
  }
  return checks;
}

/** The `where:` tree, each node with its verdict against the profile's facts. */
export function explainWhere(condition: Condition, facts: ProfileFacts, now: Date): Check {
  const ok = evaluateCondition(condition, facts, now);
  if ('all' in condition)
    return { text: 'all of', ok, parts: condition.all.map((c) => explainWhere(c, facts, now)) };
  if ('any' in condition)
    return { text: 'any of', ok, parts: condition.any.map((c) => explainWhere(c, facts, now)) };
  if ('not' in condition) return { text: 'not', ok, parts: [explainWhere(condition.not, facts, now)] };
  if ('audience' in condition) return { text: `in audience ${condition.audience}`, ok };
  if ('trait' in condition) {
    const operand = condition.value === undefined ? '' : ` ${show(condition.value)}`;
    return {
      text: `trait ${condition.trait} ${condition.op}${operand} (profile: ${show(facts.traits[condition.trait])})`,
      ok,
    };
  }
  return { text: 'event conditions are not evaluated live', ok };
}

/** Indented lines `✓ text` / `✗ text`. */
export function checkLines(checks: Check[], indent = ''): string[] {
  return checks.flatMap((c) => [
    `${indent}${c.ok ? '✓' : '✗'} ${c.text}`,
    ...checkLines(c.parts ?? [], `${indent}  `),
  ]);
}
