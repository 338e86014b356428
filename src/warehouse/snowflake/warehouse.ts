import type { Connection } from 'snowflake-sdk';
import { chunkRowsOption } from '../stream-options.js';
import { runInTransaction } from '../transaction.js';
import {
  type ColumnDef,
  type Dialect,
  type LoadOptions,
  type RelationRef,
  type Row,
  type StreamOptions,
  type Warehouse,
  WarehouseError,
} from '../types.js';
import { destroy, run } from './client.js';
import { DEFAULT_FILE_BYTES } from './csv-files.js';
import { loadRows } from './load.js';
import { rowReader } from './read-values.js';
import { splitStatements } from './split-statements.js';
import { withSql } from './statement-error.js';
import { streamRows } from './stream.js';

/**
 * A Snowflake session through one snowflake-sdk connection. Everything runs one statement at a
 * time in call order on that session, so temp tables and BEGIN … COMMIT behave as on the other
 * engines (Snowflake commits DDL implicitly, though: a CREATE inside a transaction commits it).
 * A stream's statement starts in that order; its result chunks are then downloaded while other
 * statements run, as the sync runner writes while it streams.
 */
export class SnowflakeWarehouse implements Warehouse {
  private queueTail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Size of one staged CSV file in `load` (tests lower it to prove multi-file loads). */
  loadFileBytes = DEFAULT_FILE_BYTES;

  constructor(
    private readonly connection: Connection,
    readonly dialect: Dialect,
    /** `user@account/database`, for messages (never a secret). */
    readonly shownTarget: string,
  ) {}

  async execute(sql: string): Promise<void> {
    await this.serially(async () => {
      for (const statement of splitStatements(sql)) await withSql(sql, () => run(this.connection, statement));
    });
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    return this.serially(async () => {
      let rows: Row[] = [];
      // Several statements give one result each: the last one's rows, like the other engines.
      for (const statement of splitStatements(sql)) {
        const result = await withSql(sql, () => run(this.connection, statement));
        const toRow = rowReader(result.columns);
        rows = result.rows.map(toRow);
      }
      return rows as T[];
    });
  }

  async *stream(sql: string, options?: StreamOptions): AsyncGenerator<Row[]> {
    const chunkRows = chunkRowsOption(options?.chunkRows);
    this.assertOpen();
    for await (const rows of streamRows((task) => this.serially(task), this.connection, sql, chunkRows)) {
      if (this.closed)
        throw new WarehouseError(`The warehouse ${this.shownTarget} was closed during a stream`, sql);
      yield rows;
    }
  }

  load(
    ref: RelationRef,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    options?: LoadOptions,
  ): Promise<number> {
    this.assertOpen();
    const session = { execute: (sql: string) => this.execute(sql), query: (sql: string) => this.query(sql) };
    return loadRows(session, this.dialect, ref, columns, rows, options, this.loadFileBytes);
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return runInTransaction((sql) => this.execute(sql), body);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queueTail;
    await destroy(this.connection);
  }

  /** Runs tasks on the session one after another, in call order. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const next = this.queueTail.then(task, task);
    this.queueTail = next.catch(() => undefined);
    return next;
  }

  private assertOpen(): void {
    if (this.closed) throw new WarehouseError(`The warehouse ${this.shownTarget} is closed`);
  }
}
