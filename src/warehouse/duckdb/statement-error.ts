import { WarehouseError } from '../types.js';

/** Wraps a DuckDB failure in a WarehouseError carrying DuckDB's message and the SQL that failed. */
export function statementError(error: unknown, sql: string): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WarehouseError(message, sql, { cause: error });
}

/** Runs one step and rethrows its failure as a WarehouseError for `sql`. */
export async function withSql<T>(sql: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw statementError(error, sql);
  }
}
