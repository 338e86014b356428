import type { BigQuery } from '@google-cloud/bigquery';
import type { CostEstimate, CostEstimating } from '../abilities.js';
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
import { SessionJobs } from './jobs.js';
import { loadRows } from './load.js';
import { isMissingDataset } from './statement-error.js';

/** Whether `sql` is one of the dialect's catalog queries, which read a dataset's INFORMATION_SCHEMA. */
function isCatalogQuery(sql: string): boolean {
  return /\bINFORMATION_SCHEMA\.(TABLES|COLUMNS)\b/.test(sql);
}

/**
 * A BigQuery project through @google-cloud/bigquery. `execute`/`query`/`transaction` run one at
 * a time in one BigQuery session (see SessionJobs), so `_SESSION` temp tables and
 * BEGIN/COMMIT TRANSACTION behave as on DuckDB's shared connection. `stream` pages through a
 * job's results, `load` runs load jobs, `estimateCost` dry-runs.
 */
export class BigQueryWarehouse implements Warehouse, CostEstimating {
  private queueTail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly jobs: SessionJobs;

  constructor(
    private readonly bigquery: BigQuery,
    readonly dialect: Dialect,
    private readonly location: string,
    maximumBytesBilled: string | undefined,
    /** `project (location)`, for messages. */
    readonly shownTarget: string,
    defaultDataset?: { projectId: string; datasetId: string },
  ) {
    this.jobs = new SessionJobs(bigquery, location, maximumBytesBilled, defaultDataset);
  }

  /** BigQuery's id of this warehouse's session, once the first job created it. */
  get sessionId(): string | undefined {
    return this.jobs.sessionId;
  }

  async execute(sql: string): Promise<void> {
    await this.serially(async () => {
      const job = await this.jobs.start(sql);
      await this.jobs.wait(job, sql);
    });
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    return this.serially(async () => {
      try {
        const job = await this.jobs.start(sql);
        const rows: Row[] = [];
        for await (const page of this.jobs.pages(job, sql)) rows.push(...page.rows);
        return rows as T[];
      } catch (error) {
        // relationKindQuery/columnsQuery on a dataset that does not exist: BigQuery answers 404.
        if (isCatalogQuery(sql) && isMissingDataset((error as Error).cause ?? error)) return [];
        throw error;
      }
    });
  }

  /**
   * Runs the job in the session (so it sees temp tables), then reads pages of `chunkRows` rows
   * with getQueryResults and page tokens, one page per yielded chunk; an early `break` stops
   * the fetching. The session is held only while the job runs, not while the consumer reads.
   */
  async *stream(sql: string, options?: StreamOptions): AsyncGenerator<Row[]> {
    const chunkRows = chunkRowsOption(options?.chunkRows);
    const job = await this.serially(async () => {
      const started = await this.jobs.start(sql);
      await this.jobs.wait(started, sql);
      return started;
    });
    for await (const page of this.jobs.pages(job, sql, chunkRows)) {
      if (this.closed)
        throw new WarehouseError(`The warehouse ${this.shownTarget} was closed during a stream`, sql);
      if (page.rows.length > 0) yield page.rows;
    }
  }

  async load(
    ref: RelationRef,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    options?: LoadOptions,
  ): Promise<number> {
    this.assertOpen();
    return loadRows(
      {
        bigquery: this.bigquery,
        dialect: this.dialect,
        location: this.location,
        execute: (sql) => this.execute(sql),
      },
      ref,
      columns,
      rows,
      options,
    );
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return runInTransaction((sql) => this.execute(sql), body, 'BEGIN TRANSACTION');
  }

  /** A dry run: what the query would process (and bill, when BigQuery says), without running it. */
  async estimateCost(sql: string): Promise<CostEstimate> {
    // In the queue: a dry run joins the session (to see its temp tables), which runs one job at a time.
    const job = await this.serially(() => this.jobs.start(sql, { dryRun: true }));
    const statistics = job.metadata?.statistics ?? {};
    const processed = statistics.query?.totalBytesProcessed ?? statistics.totalBytesProcessed ?? 0;
    const estimate: CostEstimate = { bytesProcessed: Number(processed) };
    const billed = Number(statistics.query?.totalBytesBilled ?? 0);
    if (billed > 0) estimate.bytesBilled = billed;
    return estimate;
  }

  /** Ends the session (best-effort: BigQuery also expires idle sessions after 24 hours). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queueTail;
    if (!this.jobs.sessionId) return;
    const sql = 'CALL BQ.ABORT_SESSION()';
    try {
      const job = await this.jobs.start(sql);
      await this.jobs.wait(job, sql);
    } catch {
      // The session ends by itself when idle; a failure here must not fail the run.
    }
  }

  /** Runs tasks in the session one after another, in call order. */
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
