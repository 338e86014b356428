/** A failed statement as Snowflake reports it: GS error code, SQL state and message. */
export class SqlError extends Error {
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/**
 * A DuckDB (or transpiler) failure in Snowflake's terms: unknown objects are 002003 (42S02),
 * syntax 001003 (42000), bad identifiers 000904 (42000), all "SQL compilation error: …";
 * conversion failures 100038 (22018); constraint violations 100072 (22000); anything else
 * 100097 (22000) with DuckDB's message.
 */
export function toSqlError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const text = message.replace(/\n+LINE \d+:[\s\S]*$/, '').trim();
  if (/^Catalog Error/i.test(text)) return new SqlError('002003', '42S02', `SQL compilation error:\n${text}`);
  if (
    /^(Parser Error|TranspileError)|parser refused|could not write DuckDB/i.test(text) ||
    (error as Error)?.name === 'TranspileError'
  )
    return new SqlError('001003', '42000', `SQL compilation error:\nsyntax error: ${text}`);
  if (/^Binder Error/i.test(text)) return new SqlError('000904', '42000', `SQL compilation error:\n${text}`);
  if (/^(Conversion|Invalid Input) Error/i.test(text)) return new SqlError('100038', '22018', text);
  if (/^Constraint Error/i.test(text)) return new SqlError('100072', '22000', text);
  return new SqlError('100097', '22000', text);
}
