import { WarehouseError } from '../types.js';

/**
 * Wraps a snowflake-sdk failure in a WarehouseError with Snowflake's message (plus its error
 * code and SQL state, which Snowflake's documentation is indexed by) and the SQL.
 */
export function statementError(error: unknown, sql: string): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const detail = error as { message?: string; code?: unknown; sqlState?: unknown };
  let message = typeof detail?.message === 'string' && detail.message ? detail.message : String(error);
  const codes = [detail?.code && `code ${detail.code}`, detail?.sqlState && `SQL state ${detail.sqlState}`]
    .filter(Boolean)
    .join(', ');
  if (codes) message += ` (${codes})`;
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
