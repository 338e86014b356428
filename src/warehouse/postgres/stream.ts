import type { PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import type { Row } from '../types.js';
import { statementError } from './statement-error.js';

/**
 * Runs `sql` through a server-side cursor (pg-cursor: an unnamed portal fetched `chunkRows` rows
 * at a time) and yields each fetch, so memory stays bounded by one batch. The cursor is closed
 * when the consumer stops early or the query fails; the caller releases the client.
 */
export async function* streamRows(client: PoolClient, sql: string, chunkRows: number): AsyncGenerator<Row[]> {
  const cursor = client.query(new Cursor<Row>(sql));
  try {
    for (;;) {
      const rows = await cursor.read(chunkRows).catch((error: unknown) => {
        throw statementError(error, sql);
      });
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < chunkRows) return;
    }
  } finally {
    await cursor.close().catch(() => undefined);
  }
}
