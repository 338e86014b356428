/**
 * One comparison (`op` + `value`) on a JavaScript value: the in-memory twin of the audience SQL
 * (src/audiences/operators.ts), with the same two-valued rule: a missing (null/undefined) value
 * matches only `is_null`, and `not` of a leaf is its exact complement.
 */

import type { Operand } from '../../audiences/operators.js';
import type { ConditionOp } from '../../config/schemas/audience.js';

const DAY_MS = 86_400_000;

/** Whether `actual op value` holds; `now` is the instant the relative date ops compare with. */
export function compare(actual: unknown, op: ConditionOp, value: Operand, now: Date): boolean {
  if (op === 'is_null') return actual === null || actual === undefined;
  if (op === 'is_not_null') return actual !== null && actual !== undefined;
  if (actual === null || actual === undefined) return false;
  switch (op) {
    case 'eq':
      return equal(actual, value);
    case 'neq':
      return !equal(actual, value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = ordering(actual, value);
      if (order === undefined) return false;
      return op === 'gt' ? order > 0 : op === 'gte' ? order >= 0 : op === 'lt' ? order < 0 : order <= 0;
    }
    case 'in':
      return asList(value).some((v) => equal(actual, v));
    case 'not_in':
      return !asList(value).some((v) => equal(actual, v));
    case 'between': {
      const [low, high] = asList(value);
      const above = ordering(actual, low);
      const below = ordering(actual, high);
      return above !== undefined && below !== undefined && above >= 0 && below <= 0;
    }
    case 'contains':
      return String(actual).includes(String(value));
    case 'not_contains':
      return !String(actual).includes(String(value));
    case 'starts_with':
      return String(actual).startsWith(String(value));
    case 'ends_with':
      return String(actual).endsWith(String(value));
    case 'within_days':
    case 'older_than_days':
    case 'within_next_days': {
      const at = instant(actual);
      if (at === undefined) return false;
      const span = Number(value) * DAY_MS;
      const t = now.getTime();
      if (op === 'within_days') return at >= t - span && at <= t;
      if (op === 'older_than_days') return at < t - span;
      return at >= t && at <= t + span;
    }
  }
  return false;
}

function asList(value: Operand): Array<string | number | boolean> {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Equality across the types JSON and YAML produce: 5 equals '5', true equals 'true'. */
function equal(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = Number(actual);
    const b = Number(expected);
    return !Number.isNaN(a) && !Number.isNaN(b) && a === b && String(actual).trim() !== '';
  }
  return String(actual) === String(expected);
}

/** Sign of actual − expected: numerically when both read as numbers, else as instants, else as text. */
function ordering(actual: unknown, expected: unknown): number | undefined {
  if (expected === undefined || expected === null) return undefined;
  const a = Number(actual);
  const b = Number(expected);
  if (typeof actual !== 'boolean' && !Number.isNaN(a) && !Number.isNaN(b) && String(actual).trim() !== '')
    return Math.sign(a - b);
  const ta = instant(actual);
  const tb = instant(expected);
  if (ta !== undefined && tb !== undefined) return Math.sign(ta - tb);
  const sa = String(actual);
  const sb = String(expected);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Milliseconds since the epoch of a Date or an ISO date(-time) string. */
function instant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}
