import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
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
import { duckdbDialect } from './dialect.js';
import { holdIdle, type IdleHold } from './idle-holder.js';
import { releaseInstance } from './instance-cache.js';
import { loadRows } from './load.js';
import { rowReader } from './read-values.js';
import { releaseDuckDBMemory } from './settings.js';
import { withSql } from './statement-error.js';
import { streamRows } from './stream.js';

/**
 * A DuckDB database opened through `@duckdb/node-api`. `execute`/`query` share one connection
 * and run one at a time; each `stream` and `load` gets its own short-lived connection, because
 * DuckDB ends a streaming result as soon as its connection runs another statement.
 */
export class DuckDBWarehouse implements Warehouse {
  readonly dialect: Dialect = duckdbDialect;
  /**
   * While open, no other process can open the file (DuckDB's one-process lock): long-running
   * callers release it between units of work (src/warehouse/shared-access.ts). Not so for
   * `:memory:`, whose data lives only as long as it is open.
   */
  readonly holdsFileLock: boolean;
  /** DuckDB SQL reads local files in place (read_csv, read_parquet…): see `canReadLocalFiles`. */
  readonly readsLocalFiles = true as const;
  /** Temp tables live under memory_limit: see `keepsTempTablesInMemory`. */
  readonly tempTablesInMemory = true as const;
  private readonly sideConnections = new Set<DuckDBConnection>();
  private queueTail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly databasePath: string,
    /** The file as users know it, for messages. */
    readonly shownPath: string,
    /** The configured `memory_limit`, if any (re-applied exactly by releaseMemory). */
    private memoryLimit?: string,
  ) {
    this.holdsFileLock = databasePath !== ':memory:';
  }

  async execute(sql: string): Promise<void> {
    await this.serially(() => withSql(sql, () => this.connection.run(sql)));
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    return this.serially(() =>
      withSql(sql, async () => {
        const result = await this.connection.run(sql);
        const toRows = rowReader(result);
        const rows: Row[] = [];
        for (let index = 0; index < result.chunkCount; index++) rows.push(...toRows(result.getChunk(index)));
        return rows as T[];
      }),
    );
  }

  async *stream(sql: string, options?: StreamOptions): AsyncGenerator<Row[]> {
    const chunkRows = chunkRowsOption(options?.chunkRows);
    const connection = await this.openSideConnection();
    try {
      for await (const rows of streamRows(connection, sql, chunkRows)) {
        // DuckDB would happily keep reading (the result pins the database), holding the file.
        if (this.closed)
          throw new WarehouseError(`The warehouse ${this.shownPath} was closed during a stream`, sql);
        yield rows;
      }
    } finally {
      this.closeSideConnection(connection);
    }
  }

  async load(
    ref: RelationRef,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    options?: LoadOptions,
  ): Promise<number> {
    const connection = await this.openSideConnection();
    try {
      return await loadRows(connection, this.dialect, ref, columns, rows, options);
    } finally {
      this.closeSideConnection(connection);
    }
  }

  /**
   * Returns memory to the OS: DuckDB's cache of table blocks (file databases only: an
   * in-memory database's blocks are its data and would be spilled) and memory it freed, so a
   * long-running process (a sync pushing rows for minutes) does not carry the peak of its plan.
   * Cheap (~1 ms). Call it between statements, not while a stream or load runs.
   */
  async releaseMemory(): Promise<void> {
    await this.serially(async () => {
      const evict = this.databasePath !== ':memory:';
      this.memoryLimit = await releaseDuckDBMemory(this.connection, this.memoryLimit, evict);
    });
  }

  /**
   * Interrupts the statement running on the shared connection (`execute`/`query`): it fails with
   * DuckDB's interrupt error. Statements queued after it still run; a caller that interrupts
   * stops issuing them (the console's cancelled units: src/serve/console/context.ts).
   */
  interrupt(): void {
    if (!this.closed) this.connection.interrupt();
  }

  /**
   * Marks the file as held idle by this process, so another weft process that needs it asks for
   * it (idle-holder.ts); undefined for `:memory:` or when the marker cannot be written.
   */
  holdIdle(): IdleHold | undefined {
    return this.holdsFileLock && !this.closed ? holdIdle(this.databasePath) : undefined;
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return runInTransaction((sql) => this.execute(sql), body, 'BEGIN TRANSACTION');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queueTail;
    for (const connection of this.sideConnections) connection.disconnectSync();
    this.sideConnections.clear();
    this.connection.disconnectSync();
    releaseInstance(this.databasePath, this.instance);
  }

  /** Runs tasks on the shared connection one after another, in call order. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const next = this.queueTail.then(task, task);
    this.queueTail = next.catch(() => undefined);
    return next;
  }

  private async openSideConnection(): Promise<DuckDBConnection> {
    this.assertOpen();
    const connection = await this.instance.connect();
    this.sideConnections.add(connection);
    return connection;
  }

  private closeSideConnection(connection: DuckDBConnection): void {
    // close() may have disconnected it already while a stream was still being consumed.
    if (this.sideConnections.delete(connection)) connection.disconnectSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new WarehouseError(`The warehouse ${this.shownPath} is closed`);
  }
}
