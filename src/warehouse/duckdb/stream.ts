import type { DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../types.js';
import { readValueConverter, rowBuilder } from './read-values.js';
import { statementError } from './statement-error.js';

/**
 * Runs `sql` as a DuckDB streaming result and yields its rows in batches of exactly
 * `chunkRows` (the last one may be smaller). Pulls one 2048-row vector at a time with
 * `fetchChunk`, so memory stays bounded by the batch size whatever the result size.
 * The connection must not run anything else meanwhile: DuckDB silently ends a streaming
 * result when its connection runs another query.
 */
export async function* streamRows(
  connection: DuckDBConnection,
  sql: string,
  chunkRows: number,
): AsyncGenerator<Row[]> {
  const result = await connection.stream(sql).catch((error: unknown) => {
    throw statementError(error, sql);
  });
  const toRow = rowBuilder(result);
  let batch: Row[] = [];
  for (;;) {
    const chunk = await result.fetchChunk().catch((error: unknown) => {
      throw statementError(error, sql);
    });
    if (!chunk || chunk.rowCount === 0) break;
    for (const values of chunk.convertRows(readValueConverter)) {
      batch.push(toRow(values));
      if (batch.length >= chunkRows) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Validates `StreamOptions.chunkRows` (default 10 000). */
export function chunkRowsOption(chunkRows: number | undefined): number {
  const value = chunkRows ?? 10_000;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`chunkRows must be a positive integer, got ${value}`);
  }
  return value;
}
