/**
 * Casts a mapped value to a destination field's declared type, or explains why it cannot.
 * Free-form destinations (no field schema) get JSON-safe values: Dates as ISO text, unsafe
 * bigints as decimal text.
 */
import type { FieldSpec } from '../../destination-kit/types.js';
import { toDate } from './format-date.js';
import { jsonReplacer } from './helpers.js';

/** A cast value, or the reason it cannot be sent. */
export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

const fail = (reason: string): Coerced => ({ ok: false, reason });
const ok = (value: unknown): Coerced => ({ ok: true, value });

/** A JSON-safe form of any warehouse value. */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'object' && value !== null) return JSON.parse(JSON.stringify(value, jsonReplacer));
  return value;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

function castTo(value: unknown, spec: FieldSpec): Coerced {
  const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : String(jsonSafe(value));
  switch (spec.type) {
    case 'string': {
      const textValue = typeof value === 'string' ? value : String(jsonSafe(value));
      if (spec.maxLength !== undefined && textValue.length > spec.maxLength)
        return fail(`is ${textValue.length} characters, more than the ${spec.maxLength} allowed`);
      return ok(typeof value === 'object' ? JSON.stringify(jsonSafe(value)) : textValue);
    }
    case 'number': {
      const n = asNumber(value);
      return n === undefined ? fail(`${shown} is not a number`) : ok(n);
    }
    case 'integer': {
      const n = asNumber(value);
      if (typeof value === 'bigint') return ok(Number.isSafeInteger(n) ? n : value.toString());
      return n !== undefined && Number.isInteger(n) ? ok(n) : fail(`${shown} is not an integer`);
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
