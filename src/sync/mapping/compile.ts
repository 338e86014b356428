/**
 * Compiles a sync's `mappings` into a row mapper. Each destination field comes from a source
 * column (a plain name) or a template (anything with `{{`). Empty mappings send every source
 * column under its own name. Values are cast and validated against the destination's field
 * schema; a row that cannot be mapped yields a reason (it is then rejected, never dropped).
 */
import { createHash } from 'node:crypto';
import type { FieldSpec } from '../../destination-kit/types.js';
import { UnreadableValue } from '../../warehouse/unreadable-value.js';
import { SyncConfigError } from '../resolve.js';
import { coerceField } from './coerce.js';
import { checkFieldMapping, unknownFieldError } from './field-checks.js';
import { compileTemplate, TemplateError } from './template.js';

/** The mapped fields of a row, or why it cannot be sent. */
export type MappedRow = { ok: true; fields: Record<string, unknown> } | { ok: false; reason: string };

/** A compiled mapping. */
export interface RowMapper {
  /** Source columns the mapping reads (sorted): the planner hashes exactly these. */
  columns: string[];
  /** Changes whenever the mapping text changes, so a new mapping re-sends every row. */
  fingerprint: string;
  map(row: Record<string, unknown>): MappedRow;
}

interface FieldMapping {
  field: string;
  spec: FieldSpec | undefined;
  read(row: Record<string, unknown>): unknown;
}

/**
 * @param mappings destination field → source column or template (syncs/*.yml `mappings`)
 * @param sourceColumns the source relation's columns
 * @param fields the destination's declared (or discovered) field schema (undefined: free-form)
 * @param columnTypes source column → warehouse type, to refuse columns that can never fit their field
 */
export function compileMappings(
  mappings: Record<string, string>,
  sourceColumns: string[],
  fields: Record<string, FieldSpec> | undefined,
  columnTypes: Record<string, string> = {},
): RowMapper {
  const columnSet = new Set(sourceColumns);
  const entries: Array<[string, string]> =
    Object.keys(mappings).length > 0 ? Object.entries(mappings) : sourceColumns.map((c) => [c, c]);
  const used = new Set<string>();
  const compiled: FieldMapping[] = entries.map(([field, source]) => {
    if (fields && !Object.hasOwn(fields, field)) throw unknownFieldError(field, fields);
    const spec = fields?.[field];
    const plain = !source.includes('{{');
    if (spec) checkFieldMapping(field, spec, source, plain ? columnTypes[source] : undefined);
    if (plain) {
      if (!columnSet.has(source)) {
        throw new SyncConfigError(
          `mapping '${field}': unknown column '${source}' (columns: ${sourceColumns.join(', ')})`,
        );
      }
      used.add(source);
      return { field, spec, read: (row) => row[source] };
    }
    try {
      const template = compileTemplate(source, columnSet);
      for (const column of template.columns) used.add(column);
      return { field, spec, read: template.evaluate };
    } catch (error) {
      if (error instanceof TemplateError) throw new SyncConfigError(`mapping '${field}': ${error.message}`);
      throw error;
    }
  });
  const missing = Object.entries(fields ?? {})
    .filter(([name, spec]) => spec.required && !compiled.some((m) => m.field === name))
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new SyncConfigError(
      `the destination requires field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: map ${missing.length > 1 ? 'them' : 'it'}`,
    );
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
  return { columns: [...used].sort(), fingerprint, map: (row) => mapRow(compiled, row) };
}

function mapRow(compiled: FieldMapping[], row: Record<string, unknown>): MappedRow {
  // A value the warehouse holds but JavaScript cannot (DATE 'infinity'): this row is rejected, not the run.
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof UnreadableValue) {
      return {
        ok: false,
        reason: `column '${column}' holds ${value.type} '${value.text}', which cannot be sent as a date (${value.reason})`,
      };
    }
  }
  const fields: Record<string, unknown> = {};
  for (const mapping of compiled) {
    let value: unknown;
    try {
      value = mapping.read(row);
    } catch (error) {
      return { ok: false, reason: `mapping '${mapping.field}': ${(error as Error).message}` };
    }
    const cast = coerceField(value, mapping.spec);
    if (!cast.ok) return { ok: false, reason: `field '${mapping.field}' ${cast.reason}` };
    fields[mapping.field] = cast.value;
  }
  return { ok: true, fields };
}
