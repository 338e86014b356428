/**
 * A local BigQuery REST endpoint that speaks enough of the real protocol for
 * @google-cloud/bigquery 9 to run weft's BigQuery engine against it without cloud access:
 * OAuth (JWT bearer grant against a generated service-account key, Bearer check on every call),
 * jobs.insert / jobs.get / jobs.getQueryResults with sessions, dry runs, paging and the
 * maximumBytesBilled guard, multipart load uploads, datasets.get/insert, and injectable faults.
 * SQL runs on an in-memory DuckDB through test/support/sql-transpile.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServiceAccountKeyJson, TokenAuthority, TokenRefusal } from './auth.js';
import { EmulatedDatabase } from './database.js';
import type { ApiName, BigQueryFault } from './faults.js';
import { FaultQueue } from './faults.js';
import { ApiFailure, readBody, sendFailure, sendJson } from './http.js';
import { JobStore, jobResource, type StoredJob } from './jobs.js';
import { multipartParts, runLoad } from './load.js';

export type { BigQueryFault } from './faults.js';

/** One request the endpoint received. */
export interface RecordedRequest {
  api: ApiName | 'unknown';
  method: string;
  path: string;
  params: Record<string, string>;
  /** The parsed JSON body of API calls (not upload data or token forms). */
  body?: unknown;
  status: number;
}

/** Options for `startBigQueryEmulator`. */
export interface BigQueryEmulatorOptions {
  projectId?: string;
  location?: string;
  /** Longest a getQueryResults call waits for a running job before `jobComplete: false` (default 200 ms). */
  pollHoldMs?: number;
}

/** A running endpoint. */
export interface BigQueryEmulator {
  /** `http://127.0.0.1:<port>`: the client's apiEndpoint. */
  url: string;
  projectId: string;
  location: string;
  /** A service-account key the endpoint trusts; its token_uri points at the endpoint. */
  serviceAccountKey: ServiceAccountKeyJson;
  requests: RecordedRequest[];
  setFault(fault: BigQueryFault): void;
  /** Invalidates every access token issued so far. */
  revokeTokens(): void;
  /** Jobs by id (configuration, statistics, state), for assertions. */
  jobs: Map<string, StoredJob>;
  close(): Promise<void>;
}

const ROUTES: { method: string; pattern: RegExp; api: ApiName }[] = [
  { method: 'POST', pattern: /^\/token$/, api: 'token' },
  { method: 'POST', pattern: /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/, api: 'jobs.upload' },
  { method: 'POST', pattern: /^\/projects\/([^/]+)\/jobs$/, api: 'jobs.insert' },
  { method: 'GET', pattern: /^\/projects\/([^/]+)\/jobs\/([^/]+)$/, api: 'jobs.get' },
  { method: 'POST', pattern: /^\/projects\/([^/]+)\/jobs\/([^/]+)\/cancel$/, api: 'jobs.cancel' },
  { method: 'GET', pattern: /^\/projects\/([^/]+)\/queries\/([^/]+)$/, api: 'jobs.getQueryResults' },
  { method: 'GET', pattern: /^\/projects\/([^/]+)\/datasets\/([^/]+)$/, api: 'datasets.get' },
  { method: 'POST', pattern: /^\/projects\/([^/]+)\/datasets$/, api: 'datasets.insert' },
];

/** Starts the endpoint on 127.0.0.1 and a free port. */
export async function startBigQueryEmulator(
  options: BigQueryEmulatorOptions = {},
): Promise<BigQueryEmulator> {
  const projectId = options.projectId ?? 'weft-test';
  const location = options.location ?? 'US';
  const database = await EmulatedDatabase.create(projectId, location);
  const store = new JobStore(database);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  let authority: TokenAuthority | undefined;

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/bigquery\/v2(?=\/)/, '');
    const route = ROUTES.find((r) => r.method === request.method && r.pattern.test(path));
    if (!route) throw new ApiFailure(404, 'notFound', `Not found: ${request.method} ${url.pathname}`);
    record.api = route.api;
    const match = route.pattern.exec(path) as RegExpExecArray;
    const raw = await readBody(request);
    if (route.api === 'token') {
      try {
        sendJson(response, 200, authority?.grant(new URLSearchParams(raw.toString('utf8'))));
        record.status = 200;
      } catch (error) {
        if (!(error instanceof TokenRefusal)) throw error;
        record.status = 400;
        sendJson(response, 400, { error: error.error, error_description: error.description });
      }
      return;
    }
    const body =
      route.api === 'jobs.upload' || raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
    record.body = body;
    authority?.check(request.headers.authorization);
    const fault = faults.take(route.api);
    if (fault?.kind === 'error')
      throw new ApiFailure(
        fault.status,
        'backendError',
        'Error encountered during execution. Retrying may solve the problem.',
      );
    if (fault?.kind === 'accessDenied') {
      throw new ApiFailure(
        403,
        'accessDenied',
        `Access Denied: Project ${projectId}: User does not have bigquery.jobs.create permission in project ${projectId}.`,
      );
    }
    if (fault?.kind === 'rateLimit') {
      throw new ApiFailure(
        fault.status ?? 403,
        'rateLimitExceeded',
        'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
      );
    }
    const project = decodeURIComponent(match[1] ?? '');
    if (project !== projectId) throw new ApiFailure(404, 'notFound', `Not found: Project ${project}`);
    const id = decodeURIComponent(match[2] ?? '');
    let reply: unknown;
    switch (route.api) {
      case 'jobs.insert':
        reply = await store.insertQuery(body as Record<string, unknown>, project);
        break;
      case 'jobs.get':
      case 'jobs.cancel':
        reply =
          route.api === 'jobs.get'
            ? jobResource(store.get(project, id))
            : { job: jobResource(store.get(project, id)) };
        break;
      case 'jobs.getQueryResults':
        reply = await store.results(store.get(project, id), url.searchParams, options.pollHoldMs ?? 200);
        break;
      case 'jobs.upload':
        reply = await upload(raw, request.headers['content-type'], project);
        break;
      case 'datasets.get':
        if (!(await database.datasetExists(id))) throw database.missingDataset(id);
        reply = {
          kind: 'bigquery#dataset',
          id: `${project}:${id}`,
          datasetReference: { projectId: project, datasetId: id },
          location,
        };
        break;
      case 'datasets.insert': {
        const datasetId = String(
          (body as { datasetReference?: { datasetId?: string } }).datasetReference?.datasetId ?? '',
        );
        if (await database.datasetExists(datasetId))
          throw new ApiFailure(409, 'duplicate', `Already Exists: Dataset ${project}:${datasetId}`);
        await database.main.run((c) => c.run(`CREATE SCHEMA "${datasetId.replace(/"/g, '""')}"`));
        reply = {
          kind: 'bigquery#dataset',
          id: `${project}:${datasetId}`,
          datasetReference: { projectId: project, datasetId },
          location,
        };
        break;
      }
    }
    record.status = 200;
    sendJson(response, 200, reply);
  }

  async function upload(raw: Buffer, contentType: string | undefined, project: string): Promise<unknown> {
    const [metadataText = '{}', data = ''] = multipartParts(raw, contentType);
    const metadata = JSON.parse(metadataText) as {
      jobReference?: { jobId?: string };
      configuration?: { load?: Record<string, unknown> };
    };
    const job: StoredJob = {
      id: store.reserve(project, metadata.jobReference?.jobId),
      projectId: project,
      location,
      configuration: metadata.configuration ?? {},
      state: 'DONE',
      statistics: { creationTime: String(Date.now()) },
      done: Promise.resolve(),
    };
    store.jobs.set(job.id, job);
    try {
      const rows = await runLoad(database, metadata.configuration?.load ?? {}, data);
      job.statistics.load = {
        outputRows: String(rows),
        inputFiles: '1',
        inputFileBytes: String(Buffer.byteLength(data)),
      };
    } catch (error) {
      job.error = error instanceof ApiFailure ? error : new ApiFailure(400, 'invalid', String(error));
    }
    return jobResource(job);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const record: RecordedRequest = {
      api: 'unknown',
      method: request.method ?? 'GET',
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
      status: 0,
    };
    requests.push(record);
    handle(request, response, record).catch((error: unknown) => {
      const failure =
        error instanceof ApiFailure
          ? error
          : new ApiFailure(500, 'internalError', error instanceof Error ? error.message : String(error));
      record.status = failure.status;
      if (!response.headersSent) sendFailure(response, failure);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  authority = new TokenAuthority(projectId, `${url}/token`);

  return {
    url,
    projectId,
    location,
    serviceAccountKey: authority.key,
    requests,
    jobs: store.jobs,
    setFault(fault) {
      if (fault.kind === 'slowJob') store.slowNextJobMs = fault.runningMs;
      else faults.add(fault);
    },
    revokeTokens: () => authority?.revokeAll(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
