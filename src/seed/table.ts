/** The shape every demo source table shares: columns plus a per-person row factory. */
import type { ColumnDef, RelationRef } from '../warehouse/types.js';
import type { SeedContext } from './context.js';
import type { Person } from './person.js';

/** One generated raw row: its values in column order and its key (for the truth table). */
export interface SourceRow {
  key: string;
  values: unknown[];
}

/** A raw table of one demo source. */
export interface SeedTable {
  /** Source name in models/sources.yml, e.g. `shop`. */
  source: string;
  /** Where it is loaded, e.g. `raw.customers`. */
  ref: RelationRef;
  columns: ColumnDef[];
  /** The column whose value identifies a row (its `row_key` in truth.row_person). */
  keyColumn: string;
  /** All rows this person contributes to the table, deterministic for (seed, person). */
  rowsFor(ctx: SeedContext, person: Person): SourceRow[];
}

/** `schema.name`, the `source_table` value in truth.row_person. */
export function tableName(table: SeedTable): string {
  return `${table.ref.schema}.${table.ref.name}`;
}

/** The schema every demo source is loaded into. */
export const RAW_SCHEMA = 'raw';
/** The schema holding the ground truth. */
export const TRUTH_SCHEMA = 'truth';
