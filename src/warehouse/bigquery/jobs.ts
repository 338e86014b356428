import type { BigQuery, Job, Query } from '@google-cloud/bigquery';
import type { Row } from '../types.js';
import { readRows, type SchemaField, type WireRow } from './read-values.js';
import { errorReason, statementError } from './statement-error.js';

/** Labels on every job weft runs, for cost attribution in the billing export. */
export const JOB_LABELS = { application: 'weft' } as const;

/** Delays before each retry of a call BigQuery refused with rateLimitExceeded (jitter added). */
const RATE_LIMIT_DELAYS_MS = [1000, 2000, 4000, 8000];

/**
 * Runs `call`, retrying it with backoff while BigQuery answers rateLimitExceeded. The client
 * library retries 429 and 5xx itself, but not BigQuery's 403 rateLimitExceeded (it decides before
 * reading the body); such a refusal ran nothing, so trying again is safe.
 */
export async function retryRateLimited<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = RATE_LIMIT_DELAYS_MS[attempt];
      if (delay === undefined || errorReason(error) !== 'rateLimitExceeded') throw error;
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay * 0.2));
    }
  }
}

/** One page of a finished query's results. */
export interface ResultPage {
  rows: Row[];
  /** The API's page token for the next page; undefined on the last page. */
  pageToken: string | undefined;
}

interface QueryResultsResponse {
  jobComplete?: boolean;
  schema?: { fields?: SchemaField[] };
  rows?: WireRow[];
  pageToken?: string;
}

/**
 * Creates query jobs in one BigQuery session: the first job creates it (`createSession`), every
 * later one joins it (`connectionProperties.session_id`), so `_SESSION` temp tables and
 * multi-statement transactions span jobs as they span statements on a DuckDB connection.
 * Every job carries the cost guard (maximumBytesBilled) when configured and weft's labels.
 */
export class SessionJobs {
  /** BigQuery's session id once the first job created one. */
  sessionId: string | undefined;

  constructor(
    private readonly bigquery: BigQuery,
    private readonly location: string,
    readonly maximumBytesBilled: string | undefined,
    /** The default dataset for unqualified table names, when configured. */
    private readonly defaultDataset?: { projectId: string; datasetId: string },
  ) {}

  /** The job configuration for `sql`. */
  queryOptions(sql: string, options: { dryRun?: boolean; inSession?: boolean } = {}): Query {
    const query: Query = {
      query: sql,
      useLegacySql: false,
      location: this.location,
      labels: { ...JOB_LABELS },
    };
    if (this.maximumBytesBilled !== undefined) query.maximumBytesBilled = this.maximumBytesBilled;
    if (this.defaultDataset) query.defaultDataset = { ...this.defaultDataset };
    if (options.dryRun) query.dryRun = true;
    if (options.inSession !== false) {
      // A dry run joins an existing session (to see its temp tables) but never creates one.
      if (this.sessionId) query.connectionProperties = [{ key: 'session_id', value: this.sessionId }];
      else if (!options.dryRun) query.createSession = true;
    }
    return query;
  }

  /** Starts a query job; a refused job (bad SQL, cost guard) throws a WarehouseError with `sql`. */
  async start(sql: string, options: { dryRun?: boolean; inSession?: boolean } = {}): Promise<Job> {
    try {
      const [job] = await retryRateLimited(() =>
        this.bigquery.createQueryJob(this.queryOptions(sql, options)),
      );
      const sessionId = job.metadata?.statistics?.sessionInfo?.sessionId;
      if (!options.dryRun && !this.sessionId && typeof sessionId === 'string') this.sessionId = sessionId;
      return job;
    } catch (error) {
      throw statementError(error, sql, this.maximumBytesBilled);
    }
  }

  /**
   * Reads a job's results one page (at most `maxResults` rows) per call of `next()`, waiting for
   * the job first: getQueryResults long-polls while the job runs (`jobComplete: false`).
   * Nothing beyond the page asked for is fetched.
   */
  async *pages(job: Job, sql: string, maxResults?: number): AsyncGenerator<ResultPage> {
    let pageToken: string | undefined;
    for (;;) {
      const response = await this.results(job, sql, { maxResults, pageToken });
      if (response.jobComplete === false) continue;
      pageToken = response.pageToken || undefined;
      yield { rows: readRows(response.schema?.fields ?? [], response.rows ?? []), pageToken };
      if (!pageToken) return;
    }
  }

  /** Waits until the job is done (a failed job throws), reading no rows. */
  async wait(job: Job, sql: string): Promise<void> {
    for (;;) {
      const response = await this.results(job, sql, { maxResults: 0 });
      if (response.jobComplete !== false) return;
    }
  }

  private async results(
    job: Job,
    sql: string,
    options: { maxResults?: number; pageToken?: string },
  ): Promise<QueryResultsResponse> {
    try {
      const request: Record<string, unknown> = { autoPaginate: false, skipParsing: true };
      if (options.maxResults !== undefined) request.maxResults = options.maxResults;
      if (options.pageToken) request.pageToken = options.pageToken;
      const [, , response] = await retryRateLimited(() => job.getQueryResults(request));
      return (response ?? {}) as QueryResultsResponse;
    } catch (error) {
      throw statementError(error, sql, this.maximumBytesBilled);
    }
  }
}
