/**
 * Casts a mapped value to a destination field's declared type, or explains why it cannot.
 * Free-form destinations (no field schema) get JSON-safe values: Dates as ISO text.
 *
 * Numbers are never rounded on the way (docs/destinations/README.md, "Exact numbers"): the rule
 * is the field's type, the same for every value of a column. A `number`/`integer` field and a
 * free-form field get a number (a `number`, a `bigint` beyond 2^53, an `ExactNumber` for a
 * decimal no double holds), which request bodies write as exact JSON number text
 * (src/warehouse/exact-json.ts); a `string` field gets the exact decimal text.
 */
import type { FieldSpec } from '../../destination-kit/types.js';
import { exactJson } from '../../warehouse/exact-json.js';
import { canonicalDecimal, ExactNumber, exactNumber } from '../../warehouse/exact-number.js';
import { UnreadableValue } from '../../warehouse/unreadable-value.js';
import { toDate } from './format-date.js';

/** A cast value, or the reason it cannot be sent. */
export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

const fail = (reason: string): Coerced => ({ ok: false, reason });
const ok = (value: unknown): Coerced => ({ ok: true, value });

/**
 * A JSON-safe form of any warehouse value, recursively: Dates as ISO text, bigints and
 * ExactNumbers kept (exact-json writes them as exact numbers), other objects as their JSON form.
 */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return safeInteger(value);
  if (value instanceof ExactNumber) return value;
  if (value instanceof UnreadableValue) return value.text;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object' && value !== null) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return jsonSafe(json.call(value));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = jsonSafe(item);
    return out;
  }
  return value;
}

/** A bigint as a number when that is exact (a plain number is what most code expects), else as is. */
function safeInteger(value: bigint): number | bigint {
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** Exact text of a scalar: bigints and ExactNumbers as their digits, Dates as ISO. */
function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A number, exactly: number, bigint or ExactNumber (numeric text parsed without rounding). */
function asNumber(value: unknown): number | bigint | ExactNumber | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return safeInteger(value);
  if (value instanceof ExactNumber) return value;
  if (typeof value === 'string' && canonicalDecimal(value) !== undefined)
    return exactNumber(value) as number | bigint | ExactNumber;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

const isInteger = (n: number | bigint | ExactNumber) =>
  typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n));

function castTo(value: unknown, spec: FieldSpec): Coerced {
  const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : scalarText(value).slice(0, 60);
  switch (spec.type) {
    case 'string': {
      const textValue =
        typeof value === 'object' && !(value instanceof ExactNumber)
          ? exactJson(jsonSafe(value))
          : scalarText(value);
      if (spec.maxLength !== undefined && textValue.length > spec.maxLength)
        return fail(`is ${textValue.length} characters, more than the ${spec.maxLength} allowed`);
      return ok(textValue);
    }
    case 'number': {
      const n = asNumber(value);
      return n === undefined ? fail(`${shown} is not a number`) : ok(n);
    }
    case 'integer': {
      const n = asNumber(value);
      return n !== undefined && isInteger(n) ? ok(n) : fail(`${shown} is not an integer`);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return ok(value);
      const word = String(value).trim().toLowerCase();
      if (['true', '1', 'yes'].includes(word)) return ok(true);
      if (['false', '0', 'no'].includes(word)) return ok(false);
      return fail(`${shown} is not a boolean`);
    }
    case 'datetime':
    case 'date': {
      try {
        const iso = toDate(value).toISOString();
        return ok(spec.type === 'date' ? iso.slice(0, 10) : iso);
      } catch {
        return fail(`${shown} is not a ${spec.type}`);
      }
    }
    case 'json':
      return ok(jsonSafe(value));
  }
}

/** Casts `value` for field `spec` (any JSON-safe value when `spec` is undefined: free-form). */
export function coerceField(value: unknown, spec: FieldSpec | undefined): Coerced {
  if (value === null || value === undefined || value === '') {
    if (spec?.required) return fail('is required but empty');
    // Empty text stays text where text is expected; for typed fields it means "no value".
    const keepsEmptyText = value === '' && (spec === undefined || spec.type === 'string');
    return ok(keepsEmptyText ? '' : null);
  }
  if (!spec) return ok(jsonSafe(value));
  const cast = castTo(value, spec);
  return cast.ok && spec.options ? checkOption(cast.value, spec.options) : cast;
}

/** An enumeration value must be one of the allowed values (exactly: the APIs compare exactly). */
function checkOption(value: unknown, options: string[]): Coerced {
  const text = String(value);
  if (options.includes(text)) return ok(value);
  const shown = options.length > 20 ? `${options.slice(0, 20).join(', ')}, …` : options.join(', ');
  return fail(`'${text.slice(0, 60)}' is not an allowed value (allowed: ${shown})`);
}
