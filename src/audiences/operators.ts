/**
 * One comparison (`op` + `value`) on a SQL expression, as a boolean SQL expression. Shared by
 * trait conditions (the expression is a profiles column) and event `where` conditions (an event
 * column). Values become literals through the dialect; text matching escapes LIKE wildcards.
 */
import type { ConditionOp } from '../config/schemas/audience.js';
import type { Dialect } from '../warehouse/types.js';

/** A condition's operand as the schema allows it. */
export type Operand = string | number | boolean | Array<string | number | boolean> | undefined;

const binary: Partial<Record<ConditionOp, string>> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/**
 * `expr op value`. `now` is the SQL for the current instant (a literal from as_of, or the
 * engine's clock) that the relative date ops compare with. A NULL `expr` yields NULL (callers
 * that need two-valued logic wrap it in coalesce(…, FALSE)).
 */
export function comparison(
  dialect: Dialect,
  expr: string,
  op: ConditionOp,
  value: Operand,
  now: string,
): string {
  const symbol = binary[op];
  if (symbol !== undefined) return `${expr} ${symbol} ${dialect.literal(single(op, value))}`;
  switch (op) {
    case 'in':
    case 'not_in':
      return `${expr} ${op === 'in' ? 'IN' : 'NOT IN'} (${list(op, value)
        .map((v) => dialect.literal(v))
        .join(', ')})`;
    case 'between': {
      const [low, high] = list(op, value);
      return `${expr} BETWEEN ${dialect.literal(low)} AND ${dialect.literal(high)}`;
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return dialect.textMatches(dialect.cast(expr, 'string'), String(single(op, value)), op);
    case 'not_contains':
      return `NOT ${dialect.textMatches(dialect.cast(expr, 'string'), String(single(op, value)), 'contains')}`;
    case 'is_null':
      return `${expr} IS NULL`;
    case 'is_not_null':
      return `${expr} IS NOT NULL`;
    case 'within_days':
      return `(${expr} >= ${dialect.addDays(now, -days(op, value))} AND ${expr} <= ${now})`;
    case 'older_than_days':
      return `${expr} < ${dialect.addDays(now, -days(op, value))}`;
    case 'within_next_days':
      return `(${expr} >= ${now} AND ${expr} <= ${dialect.addDays(now, days(op, value))})`;
  }
  throw new Error(`unknown operator '${op}'`);
}

// The schema has already checked operands; these only narrow the types.
function single(op: ConditionOp, value: Operand): string | number | boolean {
  if (value === undefined || Array.isArray(value)) throw new Error(`'${op}' needs a single value`);
  return value;
}

function list(op: ConditionOp, value: Operand): Array<string | number | boolean> {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`'${op}' needs a list of values`);
  return value;
}

function days(op: ConditionOp, value: Operand): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new Error(`'${op}' needs a whole number of days`);
  return value;
}
