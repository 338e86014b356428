/**
 * Checks shared by the engines' loaders: whether a JS value fits a column's logical type, with
 * one error type and message, before each engine converts it to its own wire form.
 */

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Thrown when a JS value does not fit a column's logical type. */
export class ValueTypeError extends Error {}

/** Text for a `string` column: strings as they are, numbers/bigints/booleans printed, Dates as ISO. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  throw mismatch(value, 'string');
}

/** A 32-bit integer from a number or bigint. */
export function toInt32(value: unknown): number {
  const asNumber = typeof value === 'bigint' ? Number(value) : value;
  if (
    typeof asNumber === 'number' &&
    Number.isInteger(asNumber) &&
    asNumber >= INT32_MIN &&
    asNumber <= INT32_MAX
  )
    return asNumber;
  throw mismatch(value, 'integer');
}

/** A valid Date from a Date or ISO text (text without an offset is UTC). */
export function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseUtc(value) : undefined;
  if (date && !Number.isNaN(date.getTime())) return date;
  throw mismatch(value, 'timestamp or date');
}

/** `2024-01-02 03:04:05` and `2024-01-02T03:04:05` without an offset are read as UTC, not local time. */
function parseUtc(text: string): Date {
  const trimmed = text.trim();
  const hasTime = /\d[T ]\d/.test(trimmed);
  const hasOffset = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(trimmed);
  const normalized = hasTime ? trimmed.replace(' ', 'T') : trimmed;
  return new Date(hasTime && !hasOffset ? `${normalized}Z` : normalized);
}

/** A JSON.stringify replacer writing bigints as numbers. */
export function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** The error for `value` not being `expected`. */
export function mismatch(value: unknown, expected: string): ValueTypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value).slice(0, 40);
  const kind = value instanceof Date ? 'Date' : typeof value;
  return new ValueTypeError(`expected ${expected}, got ${shown} (${kind})`);
}
