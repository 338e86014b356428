/** Condition values as typed in a field: the operators that take none or a list, and parsing. */
import type { Scalar } from './ConditionEditor';

export const NO_VALUE = ['is_null', 'is_not_null'];
export const LIST_VALUE = ['in', 'not_in', 'between'];

export function parseScalar(text: string): Scalar {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  return text;
}

export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return value === undefined ? '' : String(value);
}

/** The value for `op` from the field's text: none, a list or one scalar. */
export function valueFor(op: string, raw: string): Scalar | Scalar[] | undefined {
  if (NO_VALUE.includes(op)) return undefined;
  return LIST_VALUE.includes(op)
    ? raw
        .split(',')
        .filter((p) => p.trim() !== '')
        .map(parseScalar)
    : parseScalar(raw);
}
