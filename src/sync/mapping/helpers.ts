/**
 * Helpers available in mapping templates (`ltv: "{{round lifetime_value 2}}"`). Plain functions of
 * their arguments, shared by the typed single-expression evaluator and the Handlebars runtime.
 * Null-safe: a NULL input gives NULL (use `default` to replace it), never the text "null".
 */
import { createHash } from 'node:crypto';
import { exactJson } from '../../warehouse/exact-json.js';
import { ExactNumber, exactScaled } from '../../warehouse/exact-number.js';
import { formatDate } from './format-date.js';

/** A mapping helper: positional arguments in, a value out. */
export type MappingHelper = (...args: unknown[]) => unknown;

const isNull = (value: unknown): value is null | undefined => value === null || value === undefined;

/** A value's text: exact digits for bigints and ExactNumbers, ISO for Dates, exact JSON for objects. */
function text(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && !(value instanceof ExactNumber)) return exactJson(value);
  return String(value);
}

/**
 * `round` without losing digits: a bigint, an ExactNumber or numeric text too long for a double
 * is rounded on its decimal digits (halves up, like Math.round); other values as numbers.
 */
function roundValue(value: unknown, digits: number): unknown {
  const exact =
    typeof value === 'bigint' || value instanceof ExactNumber
      ? String(value)
      : typeof value === 'string' && /^\s*-?\d{16,}(\.\d+)?\s*$|^\s*-?\d*\.\d{16,}\s*$/.test(value)
        ? value.trim()
        : undefined;
  if (exact === undefined || !Number.isInteger(digits) || digits < 0) {
    const factor = 10 ** digits;
    return Math.round(toNumber(value, 'round') * factor) / factor;
  }
  const negative = exact.startsWith('-');
  const [whole = '0', fraction = ''] = exact.replace(/^-/, '').split('.');
  if (fraction.length <= digits)
    return typeof value === 'string'
      ? exactScaled(BigInt(`${negative ? '-' : ''}${whole}${fraction}`), fraction.length)
      : value;
  let scaled = BigInt(whole + fraction.slice(0, digits));
  const next = Number(fraction[digits]);
  const restNonZero = /[1-9]/.test(fraction.slice(digits + 1));
  // Math.round: halves go up (toward +infinity), so -2.5 → -2 but 2.5 → 3.
  if (next > 5 || (next === 5 && (!negative || restNonZero))) scaled += 1n;
  return exactScaled(negative ? -scaled : scaled, digits);
}

function toNumber(value: unknown, helper: string): number {
  const n =
    typeof value === 'bigint' || typeof value === 'string' || value instanceof ExactNumber
      ? Number(value)
      : value;
  if (typeof n !== 'number' || Number.isNaN(n))
    throw new Error(`${helper}: '${text(value)}' is not a number`);
  return n;
}

/** Every helper by name. */
export const mappingHelpers: Record<string, MappingHelper> = {
  lower: (value) => (isNull(value) ? null : text(value).toLowerCase()),
  upper: (value) => (isNull(value) ? null : text(value).toUpperCase()),
  trim: (value) => (isNull(value) ? null : text(value).trim()),
  round: (value, digits = 0) => (isNull(value) ? null : roundValue(value, toNumber(digits, 'round'))),
  /** `{{date updated_at 'YYYY-MM-DD'}}`; formats: a pattern, `iso`, `unix`, `unix_ms`. UTC. */
  date: (value, format = 'iso') => (isNull(value) ? null : formatDate(value, String(format))),
  json: (value) => exactJson(value ?? null),
  /** Lowercase hex SHA-256 of the value's text (normalise first: `{{sha256 (lower (trim email))}}`). */
  sha256: (value) => (isNull(value) ? null : createHash('sha256').update(text(value)).digest('hex')),
  default: (value, fallback) => (isNull(value) || value === '' ? fallback : value),
  /** Joins its arguments as text, skipping NULLs. */
  concat: (...values) =>
    values
      .filter((v) => !isNull(v))
      .map(text)
      .join(''),
};
