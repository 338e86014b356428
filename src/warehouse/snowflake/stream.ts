import type { Connection } from 'snowflake-sdk';
import type { Row } from '../types.js';
import { start } from './client.js';
import { rowReader } from './read-values.js';
import { statementError } from './statement-error.js';

/**
 * Starts `sql` with `streamResult` (awaited through `begin`, so it runs in order with the
 * session's other statements) and then yields its rows in batches of `chunkRows`, read from
 * `statement.streamRows()`: a Readable that downloads result chunks as it is read (a couple
 * prefetched), so memory holds the inline first rowset, a few chunks and one batch, never the
 * whole result. Async iteration respects backpressure; an early `break` destroys the stream,
 * which stops further chunk downloads.
 */
export async function* streamRows(
  begin: (task: () => Promise<unknown>) => Promise<unknown>,
  connection: Connection,
  sql: string,
  chunkRows: number,
): AsyncGenerator<Row[]> {
  let statement: Awaited<ReturnType<typeof start>> | undefined;
  try {
    await begin(async () => {
      statement = await start(connection, sql);
    });
  } catch (error) {
    throw statementError(error, sql);
  }
  if (!statement) return;
  const toRow = rowReader(statement.getColumns() ?? []);
  const readable = statement.streamRows();
  let batch: Row[] = [];
  try {
    for await (const values of readable) {
      batch.push(toRow(values as unknown[]));
      if (batch.length >= chunkRows) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw statementError(error, sql);
  } finally {
    readable.destroy();
  }
  if (batch.length > 0) yield batch;
}
