/** One row of a bulk load, converted value by value, with errors naming the row and column. */
import { ValueTypeError } from './js-values.js';
import { type ColumnDef, type LogicalType, WarehouseError } from './types.js';

/**
 * Converts `row` (one value per column, in order) with `convert`, the engine's wire form of a
 * value of a logical type. A row of the wrong length, or a value `convert` refuses with a
 * ValueTypeError, throws a WarehouseError naming row `rowNumber` of `target` and the column.
 */
export function convertRow<T>(
  row: unknown,
  columns: ColumnDef[],
  target: string,
  rowNumber: number,
  convert: (value: unknown, type: LogicalType) => T,
): T[] {
  if (!Array.isArray(row) || row.length !== columns.length) {
    const length = Array.isArray(row) ? row.length : 'no';
    throw new WarehouseError(
      `Cannot load row ${rowNumber} into ${target}: it has ${length} values for ${columns.length} columns`,
    );
  }
  const converted: T[] = new Array(columns.length);
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index] as ColumnDef;
    try {
      converted[index] = convert(row[index], column.type);
    } catch (error) {
      if (!(error instanceof ValueTypeError)) throw error;
      throw new WarehouseError(
        `Cannot load row ${rowNumber} into ${target}: column "${column.name}" (${column.type}) ${error.message}`,
        undefined,
        { cause: error },
      );
    }
  }
  return converted;
}
