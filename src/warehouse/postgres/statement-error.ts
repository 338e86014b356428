import { WarehouseError } from '../types.js';

/** Wraps a Postgres failure in a WarehouseError with the server's message (plus detail and hint) and the SQL. */
export function statementError(error: unknown, sql: string): WarehouseError {
  if (error instanceof WarehouseError) return error;
  let message = error instanceof Error ? error.message : String(error);
  const extra = error as { detail?: string; hint?: string };
  if (extra.detail) message += `\nDetail: ${extra.detail}`;
  if (extra.hint) message += `\nHint: ${extra.hint}`;
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
