/**
 * Query jobs of the local BigQuery endpoint: jobs.insert (query, dry run, sessions, the
 * maximumBytesBilled guard), jobs.get and jobs.getQueryResults (long-poll, pages, page tokens).
 */
import { randomUUID } from 'node:crypto';
import type { EmulatedDatabase, Lane } from './database.js';
import { type WireResult, withTimestampFormat } from './encode.js';
import { ApiFailure } from './http.js';

const MB = 1024 * 1024;

/** A job as the emulator keeps it. */
export interface StoredJob {
  id: string;
  projectId: string;
  location: string;
  configuration: Record<string, unknown>;
  state: 'PENDING' | 'RUNNING' | 'DONE';
  error?: ApiFailure;
  statistics: Record<string, unknown>;
  result?: WireResult;
  /** Resolves when the job is DONE. */
  done: Promise<void>;
}

interface QueryConfig {
  query?: string;
  createSession?: boolean;
  connectionProperties?: { key: string; value: string }[];
  maximumBytesBilled?: string;
  defaultDataset?: { datasetId?: string };
}

/** Bytes billed for bytes processed: whole MB, at least 10 MB per query that reads anything. */
export function billedBytes(processed: number): number {
  if (processed <= 0) return 0;
  return Math.max(10 * MB, Math.ceil(processed / MB) * MB);
}

/** The job resource jobs.insert / jobs.get return. */
export function jobResource(job: StoredJob): Record<string, unknown> {
  const status: Record<string, unknown> = { state: job.state };
  if (job.error) {
    status.errorResult = job.error.errorProto();
    status.errors = [job.error.errorProto()];
  }
  return {
    kind: 'bigquery#job',
    id: `${job.projectId}:${job.location}.${job.id}`,
    jobReference: { projectId: job.projectId, jobId: job.id, location: job.location },
    configuration: job.configuration,
    status,
    statistics: job.statistics,
  };
}

/** Every job of the endpoint, by id. */
export class JobStore {
  readonly jobs = new Map<string, StoredJob>();
  /** Set by a fault: the next query job stays RUNNING this long. */
  slowNextJobMs = 0;

  constructor(private readonly database: EmulatedDatabase) {}

  /** A job id must be new (the client retries an insert with the same id and expects 409). */
  reserve(projectId: string, jobId: string | undefined): string {
    const id = jobId ?? randomUUID();
    if (this.jobs.has(id))
      throw new ApiFailure(
        409,
        'duplicate',
        `Already Exists: Job ${projectId}:${this.database.location}.${id}`,
      );
    return id;
  }

  /** The job, or BigQuery's 404. */
  get(projectId: string, jobId: string): StoredJob {
    const job = this.jobs.get(jobId);
    if (!job)
      throw new ApiFailure(404, 'notFound', `Not found: Job ${projectId}:${this.database.location}.${jobId}`);
    return job;
  }

  /** jobs.insert for a query job; answers with the job resource (a dry run's refusal is an HTTP error). */
  async insertQuery(body: Record<string, unknown>, projectId: string): Promise<Record<string, unknown>> {
    const reference = (body.jobReference ?? {}) as { jobId?: string; location?: string };
    const configuration = (body.configuration ?? {}) as Record<string, unknown>;
    const query = (configuration.query ?? {}) as QueryConfig;
    const sql = query.query ?? '';
    const dryRun = configuration.dryRun === true;
    const id = dryRun ? (reference.jobId ?? randomUUID()) : this.reserve(projectId, reference.jobId);
    const sessionId = query.connectionProperties?.find((p) => p.key === 'session_id')?.value;
    const lane: Lane = sessionId ? this.database.session(sessionId) : this.database.main;
    const job: StoredJob = {
      id,
      projectId,
      location: reference.location ?? this.database.location,
      configuration,
      state: 'RUNNING',
      statistics: { creationTime: String(Date.now()), startTime: String(Date.now()) },
      done: Promise.resolve(),
    };
    if (dryRun) {
      await this.database.validate(sql, lane, Boolean(sessionId), query.defaultDataset?.datasetId);
      const processed = String(await this.database.estimateBytes(sql));
      job.state = 'DONE';
      job.statistics = {
        ...job.statistics,
        totalBytesProcessed: processed,
        query: { totalBytesProcessed: processed, statementType: 'SELECT' },
      };
      return jobResource(job);
    }
    if (query.createSession && !sessionId) {
      job.statistics.sessionInfo = { sessionId: await this.database.createSession() };
    } else if (sessionId) {
      job.statistics.sessionInfo = { sessionId };
    }
    this.jobs.set(id, job);
    const slowMs = this.slowNextJobMs;
    this.slowNextJobMs = 0;
    const session = (job.statistics.sessionInfo as { sessionId?: string } | undefined)?.sessionId;
    job.done = (async () => {
      if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
      await this.runQuery(job, sql, query, session);
    })();
    if (slowMs === 0) await job.done;
    return jobResource(job);
  }

  private async runQuery(
    job: StoredJob,
    sql: string,
    query: QueryConfig,
    sessionId: string | undefined,
  ): Promise<void> {
    try {
      if (/^\s*CALL\s+BQ\.ABORT_SESSION\s*\(\s*\)\s*;?\s*$/i.test(sql)) {
        if (sessionId) await this.database.abortSession(sessionId);
        job.statistics.query = { totalBytesProcessed: '0', totalBytesBilled: '0', statementType: 'CALL' };
        return;
      }
      const processed = await this.database.estimateBytes(sql);
      const billed = billedBytes(processed);
      if (query.maximumBytesBilled !== undefined && billed > Number(query.maximumBytesBilled)) {
        throw new ApiFailure(
          400,
          'bytesBilledLimitExceeded',
          `Query exceeded limit for bytes billed: ${query.maximumBytesBilled}. ${billed} or higher required.`,
        );
      }
      const lane = sessionId ? this.database.session(sessionId) : this.database.main;
      const outcome = await this.database.run(sql, lane, Boolean(sessionId), query.defaultDataset?.datasetId);
      job.result = outcome.result;
      const statistics: Record<string, unknown> = {
        totalBytesProcessed: String(processed),
        totalBytesBilled: String(billed),
        statementType: outcome.statementType,
      };
      if (outcome.affectedRows !== undefined) statistics.numDmlAffectedRows = String(outcome.affectedRows);
      job.statistics.query = statistics;
      job.statistics.totalBytesProcessed = String(processed);
    } catch (error) {
      job.error = error instanceof ApiFailure ? error : this.database.sqlFailure(error, sql);
    } finally {
      job.state = 'DONE';
      job.statistics.endTime = String(Date.now());
    }
  }

  /** jobs.getQueryResults: waits up to `timeoutMs` (capped at `holdMs`) for the job, then one page. */
  async results(job: StoredJob, params: URLSearchParams, holdMs: number): Promise<Record<string, unknown>> {
    const reference = { projectId: job.projectId, jobId: job.id, location: job.location };
    if (job.state !== 'DONE') {
      const wait = Math.min(Number(params.get('timeoutMs') ?? 10_000), holdMs);
      await Promise.race([job.done, new Promise((resolve) => setTimeout(resolve, wait))]);
      if ((job.state as StoredJob['state']) !== 'DONE')
        return { kind: 'bigquery#getQueryResultsResponse', jobReference: reference, jobComplete: false };
    }
    if (job.error) throw job.error;
    const response: Record<string, unknown> = {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference: reference,
      jobComplete: true,
      cacheHit: false,
      totalBytesProcessed:
        (job.statistics.query as { totalBytesProcessed?: string } | undefined)?.totalBytesProcessed ?? '0',
    };
    const affected = (job.statistics.query as { numDmlAffectedRows?: string } | undefined)
      ?.numDmlAffectedRows;
    if (affected !== undefined) response.numDmlAffectedRows = affected;
    const result = job.result;
    if (!result) return response;
    const start = pageStart(params, job.id);
    const maxResults = params.has('maxResults') ? Number(params.get('maxResults')) : 100_000;
    const end = Math.min(result.rows.length, start + maxResults);
    response.schema = { fields: result.fields };
    response.totalRows = String(result.rows.length);
    const rows = result.rows.slice(start, end);
    if (rows.length > 0) {
      response.rows = withTimestampFormat(
        result,
        rows,
        params.get('formatOptions.useInt64Timestamp') === 'true',
      );
    }
    if (end < result.rows.length && maxResults > 0)
      response.pageToken = Buffer.from(`${job.id}:${end}`).toString('base64url');
    return response;
  }
}

function pageStart(params: URLSearchParams, jobId: string): number {
  const token = params.get('pageToken');
  if (token) {
    const [id, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
    if (id !== jobId || !/^\d+$/.test(offset ?? ''))
      throw new ApiFailure(400, 'invalid', 'Invalid page token.');
    return Number(offset);
  }
  return Number(params.get('startIndex') ?? 0);
}
