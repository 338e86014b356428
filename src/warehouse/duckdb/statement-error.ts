import { WarehouseError } from '../types.js';

// DuckDB names the catalog after the database file, so `x.duckdb` plus a schema `x` is ambiguous.
const AMBIGUOUS_CATALOG = /Ambiguous reference to catalog or schema "([^"]+)"/;

/** Wraps a DuckDB failure in a WarehouseError carrying DuckDB's message and the SQL that failed. */
export function statementError(error: unknown, sql: string): WarehouseError {
  if (error instanceof WarehouseError) return error;
  let message = error instanceof Error ? error.message : String(error);
  const ambiguous = AMBIGUOUS_CATALOG.exec(message);
  if (ambiguous) {
    message += `\nHint: the DuckDB file is named "${ambiguous[1]}.duckdb", like the schema "${ambiguous[1]}"; rename the file or the schema.`;
  }
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
