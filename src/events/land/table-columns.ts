/**
 * The columns of the events tables as the lander knows them, read from the warehouse once per
 * table and kept up to date as it adds columns. `settle` decides where each value goes: its own
 * column when the types agree (or the column is new), the column as text when the column is
 * text, else a `<column>_text` text column, so a value of a conflicting type is never lost.
 */
import { existingColumns } from '../../load/write.js';
import type { Dialect, LogicalType, RelationRef, Warehouse } from '../../warehouse/types.js';
import type { CellValue, EventRow } from './rows.js';

const LOGICAL: LogicalType[] = [
  'string',
  'integer',
  'bigint',
  'double',
  'boolean',
  'timestamp',
  'date',
  'json',
];

/** Known columns per table (undefined: the table does not exist yet). */
export class TableColumns {
  private readonly known = new Map<string, Map<string, LogicalType> | undefined>();

  /** Forgets what is known (after a failure, the warehouse may differ). */
  reset(): void {
    this.known.clear();
  }

  /** The table's columns, read once. */
  async of(warehouse: Warehouse, ref: RelationRef): Promise<Map<string, LogicalType> | undefined> {
    const key = `${ref.schema}.${ref.name}`;
    if (!this.known.has(key)) {
      const columns = await existingColumns(warehouse, ref);
      this.known.set(
        key,
        columns &&
          new Map(columns.map((c) => [c.name.toLowerCase(), logicalType(warehouse.dialect, c.type)])),
      );
    }
    return this.known.get(key);
  }

  /** Records the table's columns after the lander created or widened it. */
  remember(ref: RelationRef, columns: Map<string, LogicalType>): void {
    this.known.set(`${ref.schema}.${ref.name}`, new Map(columns));
  }
}

/**
 * Rewrites `rows` in place so each value fits its column in `columns` (existing ones, plus the
 * ones this batch adds, which are recorded in `added`).
 */
export function settle(
  rows: EventRow[],
  columns: Map<string, LogicalType>,
  added: Map<string, LogicalType>,
): void {
  for (const row of rows) {
    for (const [name, cell] of [...row]) {
      const type = columns.get(name) ?? added.get(name);
      if (type === undefined) {
        added.set(name, cell.type);
        continue;
      }
      if (cell.value === null || type === cell.type) continue;
      if (type === 'string') {
        row.set(name, asText(cell));
        continue;
      }
      row.delete(name);
      const textName = `${name}_text`;
      if (!columns.has(textName) && !added.has(textName)) added.set(textName, 'string');
      row.set(textName, asText(cell));
    }
  }
}

function asText(cell: CellValue): CellValue {
  const value = cell.value instanceof Date ? cell.value.toISOString() : String(cell.value);
  return { type: 'string', value };
}

/** The logical type of an engine type name as `columnsQuery` reports it. */
function logicalType(dialect: Dialect, typeName: string): LogicalType {
  const lower = typeName.toLowerCase();
  const exact = LOGICAL.find((type) => dialect.typeName(type).toLowerCase() === lower);
  if (exact)
    return exact === 'integer' || exact === 'bigint' ? 'double' : exact === 'json' ? 'string' : exact;
  if (lower.includes('bool')) return 'boolean';
  if (lower.includes('timestamp') || lower.includes('datetime')) return 'timestamp';
  if (/double|float|real|numeric|decimal|number|int/.test(lower)) return 'double';
  return 'string';
}
