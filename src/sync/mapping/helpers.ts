/**
 * Helpers available in mapping templates (`ltv: "{{round lifetime_value 2}}"`). Plain functions of
 * their arguments, shared by the typed single-expression evaluator and the Handlebars runtime.
 * Null-safe: a NULL input gives NULL (use `default` to replace it), never the text "null".
 */
import { createHash } from 'node:crypto';
import { formatDate } from './format-date.js';

/** A mapping helper: positional arguments in, a value out. */
export type MappingHelper = (...args: unknown[]) => unknown;

const isNull = (value: unknown): value is null | undefined => value === null || value === undefined;

function text(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value, jsonReplacer);
  return String(value);
}

/** JSON.stringify replacer: bigints as decimal text (JSON has no bigint). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function toNumber(value: unknown, helper: string): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n))
    throw new Error(`${helper}: '${text(value)}' is not a number`);
  return n;
}

/** Every helper by name. */
export const mappingHelpers: Record<string, MappingHelper> = {
  lower: (value) => (isNull(value) ? null : text(value).toLowerCase()),
  upper: (value) => (isNull(value) ? null : text(value).toUpperCase()),
  trim: (value) => (isNull(value) ? null : text(value).trim()),
  round: (value, digits = 0) => {
    if (isNull(value)) return null;
    const factor = 10 ** toNumber(digits, 'round');
    return Math.round(toNumber(value, 'round') * factor) / factor;
  },
  /** `{{date updated_at 'YYYY-MM-DD'}}`; formats: a pattern, `iso`, `unix`, `unix_ms`. UTC. */
  date: (value, format = 'iso') => (isNull(value) ? null : formatDate(value, String(format))),
  json: (value) => JSON.stringify(value ?? null, jsonReplacer),
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
