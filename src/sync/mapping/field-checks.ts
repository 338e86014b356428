/**
 * Checks of a mapping against a destination's field schema, before anything is read or sent:
 * the field exists (else the closest names), is writable, and a plain column mapped to it has a
 * type that can ever fit (a timestamp column into a number field cannot).
 */
import type { FieldSpec, FieldType } from '../../destination-kit/types.js';
import { editDistance } from '../../util/suggest.js';
import { SyncConfigError } from '../resolve.js';

/** Up to `count` field names closest to `name` (typos, `first_name` vs `firstname`), best first. */
export function closestFields(name: string, candidates: string[], count = 3): string[] {
  const wanted = name.toLowerCase();
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const scored = candidates.map((candidate) => {
    const lower = candidate.toLowerCase();
    let distance = Math.min(editDistance(wanted, lower), editDistance(squash(name), squash(candidate)));
    if (lower.includes(wanted) || wanted.includes(lower)) distance = Math.min(distance, 1);
    return { candidate, distance };
  });
  const limit = Math.max(2, Math.floor(name.length / 3));
  return scored
    .filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((s) => s.candidate);
}

/** The error for a mapping to a field the destination does not have. */
export function unknownFieldError(field: string, fields: Record<string, FieldSpec>): SyncConfigError {
  const names = Object.keys(fields);
  const close = closestFields(field, names);
  const hint =
    close.length > 0
      ? `closest: ${close.join(', ')}`
      : names.length <= 15
        ? `fields: ${names.join(', ')}`
        : `it has ${names.length} fields, none named like it`;
  return new SyncConfigError(`mapping '${field}': the destination has no such field (${hint})`);
}

/** What a warehouse column type can hold, coarsely (dialect type names vary; unknown = anything). */
type ColumnKind = 'text' | 'number' | 'boolean' | 'temporal' | 'other';

/** Coarse kind of a warehouse column type name (DuckDB, Postgres, BigQuery, Snowflake spellings). */
export function columnKind(type: string): ColumnKind {
  const t = type.toLowerCase();
  if (/^bool/.test(t)) return 'boolean';
  if (/date|time/.test(t)) return 'temporal';
  if (/int|numeric|decimal|double|float|real|^number|hugeint/.test(t)) return 'number';
  if (/char|text|string/.test(t)) return 'text';
  return 'other';
}

/** Column kinds that can never be cast to a field type (the runner would reject every row). */
const INCOMPATIBLE: Partial<Record<FieldType, ColumnKind[]>> = {
  number: ['temporal'],
  integer: ['temporal'],
  boolean: ['temporal'],
  date: ['boolean'],
  datetime: ['boolean'],
};

/**
 * Throws a SyncConfigError when `field` is read-only, or when the plain source column mapped to
 * it (`columnType` given) can never fit its type. Templates are not type-checked (they render text).
 */
export function checkFieldMapping(
  field: string,
  spec: FieldSpec,
  source: string,
  columnType: string | undefined,
): void {
  if (spec.readOnly) {
    throw new SyncConfigError(
      `mapping '${field}': the destination field is read-only (computed or system-managed)`,
    );
  }
  if (columnType === undefined) return;
  const kind = columnKind(columnType);
  if (INCOMPATIBLE[spec.type]?.includes(kind) || (spec.options && kind === 'temporal')) {
    const what = spec.options ? 'an enumeration field' : `a ${spec.type} field`;
    throw new SyncConfigError(
      `mapping '${field}': column '${source}' is ${columnType}, which cannot be sent to ${what}`,
    );
  }
}
