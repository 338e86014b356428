/**
 * An in-memory DuckDB on one connection, reading files for warehouses that cannot read them
 * themselves. One connection on purpose: the rejects tables of a read are temporary tables of
 * the connection that ran it.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { rowReader } from '../../warehouse/duckdb/read-values.js';
import { streamRows } from '../../warehouse/duckdb/stream.js';
import type { Row } from '../../warehouse/types.js';

/** What the file-reading code needs from a DuckDB: run statements and read small results. */
export interface SqlReader {
  execute(sql: string): Promise<void>;
  query(sql: string): Promise<Row[]>;
}

/** A private in-memory DuckDB reading files; stream rows from it in bounded memory. */
export class MemoryFileReader implements SqlReader {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<MemoryFileReader> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    // Timestamps with a zone travel as UTC text (the targets store zone-less UTC timestamps).
    // Without the ICU extension there is no TimeZone setting, and zoned timestamps are UTC anyway.
    await connection.run("SET TimeZone = 'UTC'").catch(() => undefined);
    return new MemoryFileReader(instance, connection);
  }

  async execute(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async query(sql: string): Promise<Row[]> {
    const result = await this.connection.run(sql);
    const toRows = rowReader(result);
    const rows: Row[] = [];
    for (let index = 0; index < result.chunkCount; index++) rows.push(...toRows(result.getChunk(index)));
    return rows;
  }

  /** The rows of `sql` in batches of `chunkRows`; nothing else may run meanwhile. */
  stream(sql: string, chunkRows: number): AsyncGenerator<Row[]> {
    return streamRows(this.connection, sql, chunkRows);
  }

  close(): void {
    this.connection.disconnectSync();
    this.instance.closeSync();
  }
}
