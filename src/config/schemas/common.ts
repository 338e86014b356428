/** Building blocks shared by the file schemas. */
import { z } from 'zod';
import { didYouMean } from '../../util/suggest.js';
import { UNKNOWN_KEY_SEPARATOR } from '../zod-issues.js';

/**
 * A strict object: unknown keys are errors, each with a "did you mean" against the allowed
 * keys. (zod reports all unknown keys of one object as one issue; the per-key messages are
 * joined with UNKNOWN_KEY_SEPARATOR and split again by the issue mapper.)
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys
        .map((key) => `unknown key '${key}'${didYouMean(key, allowed)}`)
        .join(UNKNOWN_KEY_SEPARATOR);
    },
  });
}

/** A SQL-safe name: letters, digits and underscores, not starting with a digit. */
export const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must contain only letters, digits and underscores, and not start with a digit',
  );

/** A non-empty string. */
export const text = z.string().min(1);

/** `a` or `[a, b]`, always read as a list. */
export const stringOrList = z
  .union([text, z.array(text).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/**
 * A relation reference in YAML: a model name (`stg_orders`) or a source table
 * (`shop.orders`).
 */
export const relationRef = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, "must be a model name or 'source.table'");
