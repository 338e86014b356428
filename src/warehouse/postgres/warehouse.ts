import type { Pool, PoolClient } from 'pg';
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
import { postgresDialect } from './dialect.js';
import { loadRows } from './load.js';
import { withSql } from './statement-error.js';
import { streamRows } from './stream.js';

/**
 * A Postgres database through a `pg` Pool. `execute`/`query`/`transaction` run one at a time on
 * one dedicated session connection, so transactions and temp tables (pg_temp) behave as on
 * DuckDB's shared connection; each `stream` and `load` borrows its own pooled connection.
 */
export class PostgresWarehouse implements Warehouse {
  private queueTail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set when the session connection broke (server restart, network): every later call fails with it. */
  private sessionFailure: Error | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly session: PoolClient,
    /** `host:port/database`, for messages (never the password). */
    readonly shownTarget: string,
    /** The server's dialect (`dialectForServer`): Postgres 15+ merges with MERGE, older ones without. */
    readonly dialect: Dialect = postgresDialect,
  ) {
    session.on('error', (error) => {
      this.sessionFailure = error;
    });
  }

  async execute(sql: string): Promise<void> {
    await this.serially(() => withSql(sql, () => this.session.query(sql)));
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    return this.serially(() =>
      withSql(sql, async () => {
        const result = await this.session.query<T>(sql);
        // Several statements give one result each: the last one's rows, like DuckDB.
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return (last?.rows ?? []) as T[];
      }),
    );
  }

  async *stream(sql: string, options?: StreamOptions): AsyncGenerator<Row[]> {
    const chunkRows = chunkRowsOption(options?.chunkRows);
    const { client, release } = await this.borrow(sql);
    let broken: unknown;
    try {
      for await (const rows of streamRows(client, sql, chunkRows)) {
        if (this.closed)
          throw new WarehouseError(`The warehouse ${this.shownTarget} was closed during a stream`, sql);
        yield rows;
      }
    } catch (error) {
      broken = error;
      throw error;
    } finally {
      // A connection whose query failed is discarded rather than handed to the next caller.
      release(broken instanceof Error ? broken : undefined);
    }
  }

  async load(
    ref: RelationRef,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    options?: LoadOptions,
  ): Promise<number> {
    const { client, release } = await this.borrow(`-- load into ${this.dialect.qualify(ref)}`);
    let broken: Error | undefined;
    try {
      return await loadRows(client, this.dialect, ref, columns, rows, options);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      release(broken);
    }
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return runInTransaction((sql) => this.execute(sql), body);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queueTail;
    this.session.release(this.sessionFailure);
    await this.pool.end();
  }

  /** Runs tasks on the session connection one after another, in call order. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const guarded = () => {
      if (this.sessionFailure)
        throw new WarehouseError(
          `The connection to ${this.shownTarget} was lost: ${this.sessionFailure.message}`,
          undefined,
          { cause: this.sessionFailure },
        );
      return task();
    };
    const next = this.queueTail.then(guarded, guarded);
    this.queueTail = next.catch(() => undefined);
    return next;
  }

  /**
   * A pooled connection for one stream or load, with `release` to hand it back (`broken`:
   * discard it instead). pg-pool drops its error listener while a client is checked out, and a
   * connection dropped meanwhile would emit an unhandled 'error' and end the process; the
   * failure reaches the running query anyway.
   */
  private async borrow(sql: string): Promise<{ client: PoolClient; release: (broken?: Error) => void }> {
    this.assertOpen();
    const client = await withSql(sql, () => this.pool.connect());
    const ignore = () => undefined;
    client.on('error', ignore);
    return {
      client,
      release: (broken) => {
        client.removeListener('error', ignore);
        client.release(broken);
      },
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new WarehouseError(`The warehouse ${this.shownTarget} is closed`);
  }
}
