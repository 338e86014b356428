import type { DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../types.js';
import { rowReader } from './read-values.js';
import { statementError } from './statement-error.js';

/**
 * Runs `sql` as a DuckDB streaming result and yields its rows in batches of exactly
 * `chunkRows` (the last one may be smaller). Pulls one 2048-row vector at a time with
 * `fetchChunk` (plus one prefetched), so memory stays bounded by the batch size whatever the
 * result size.
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
  const toRows = rowReader(result);
  const fetchNext = () => {
    const next = result.fetchChunk().catch((error: unknown) => {
      throw statementError(error, sql);
    });
    next.catch(() => undefined); // handled where it is awaited; avoids an unhandled-rejection crash meanwhile
    return next;
  };
  let pending = fetchNext();
  let batch: Row[] = [];
  try {
    for (;;) {
      const chunk = await pending;
      if (!chunk || chunk.rowCount === 0) break;
      // DuckDB computes the next vector on its thread while this one is converted and consumed.
      pending = fetchNext();
      for (const row of toRows(chunk)) {
        batch.push(row);
        if (batch.length >= chunkRows) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await pending.catch(() => undefined); // never leave a fetch running on a connection about to close
  }
}
