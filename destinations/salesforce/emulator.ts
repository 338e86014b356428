/**
 * Local emulator of a Salesforce org (served by `weft sandbox`): OAuth token endpoint, REST API
 * under /services/data/vNN.0 (describe, SOQL query, sObject Collections, Bulk API 2.0 ingest,
 * limits), bearer tokens that expire (INVALID_SESSION_ID), a daily API quota reported in
 * `Sforce-Limit-Info` on every API answer and refused with 403 REQUEST_LIMIT_EXCEEDED, injectable
 * UNABLE_TO_LOCK_ROW, and the sandbox's reject rules as validation errors.
 * Test controls (not Salesforce): POST /__salesforce/expire-tokens, /__salesforce/lock-rows
 * `{count}`, /__salesforce/usage `{used?, max?}`.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import { apiError, type CollectionWrite, collectionDelete, collectionWrite } from './emulator/collections.js';
import { IngestJobs } from './emulator/jobs-api.js';
import { type Grant, OAuthServer } from './emulator/oauth.js';
import { type QueryCursors, queryMore, requestedBatchSize, runQuery } from './emulator/query.js';
import { describe, objectNamed } from './emulator/schema.js';
import { RecordStore } from './emulator/store.js';

/** Emulator options. */
export interface SalesforceEmulatorOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** A token stops working after this many API calls (0: never). */
  tokenTtlCalls: number;
  /** The org's daily API allowance (Sforce-Limit-Info max). */
  dailyApiLimit: number;
  /** API calls already used today when the emulator starts. */
  apiUsage: number;
  /**
   * Calls the org's other integrations make after each of ours (they share the daily quota):
   * the usage a response reports can be stale by the next call, so 403 can still happen.
   */
  otherUsagePerCall: number;
  /** Most records per sObject Collections call. */
  maxCollection: number;
  /** Status polls a bulk job stays InProgress. */
  bulkProcessingPolls: number;
  /** Bulk jobs stop after this many records (Failed, the rest unprocessed). */
  bulkFailAfterRecords?: number;
  /** Records per SOQL result page when the request names no batchSize (Salesforce: 2,000). */
  queryBatchSize: number;
  /** The run-as user has the "Bulk API Hard Delete" permission (hardDelete jobs allowed). */
  hardDeleteAllowed: boolean;
}

/** The emulator's state (GET /__sandbox/state → state). */
export interface SalesforceEmulatorState {
  /** object → id → record (empty with `?records=false`). */
  records: Record<string, Record<string, Record<string, unknown>>>;
  counts: Record<string, number>;
  /** API calls by endpoint, e.g. `collections:upsert`, `bulk:create`, `query`. */
  endpoints: Record<string, number>;
  /** Accepted sObject Collections calls, in order. */
  writes: CollectionWrite[];
  bulkJobs: {
    id: string;
    object: string;
    operation: string;
    state: string;
    polls: number;
    records: number;
    failed: number;
    unprocessed: number;
  }[];
  apiUsage: { used: number; max: number };
  tokenGrants: Grant[];
  /** Records refused with an injected UNABLE_TO_LOCK_ROW. */
  lockedRefusals: number;
  /** Ids of soft-deleted records still in the recycle bin (hard-deleted ones never are). */
  recycleBin: string[];
}

/** The Campaign every emulated org starts with (for membership syncs). */
export const SANDBOX_CAMPAIGN_ID = '701000000000001AAA';

const DEFAULTS: SalesforceEmulatorOptions = {
  clientId: 'weft-sandbox-client',
  clientSecret: 'weft-sandbox-secret',
  refreshToken: 'weft-sandbox-refresh-token',
  tokenTtlCalls: 0,
  dailyApiLimit: 100_000,
  apiUsage: 0,
  otherUsagePerCall: 0,
  maxCollection: 200,
  bulkProcessingPolls: 2,
  queryBatchSize: 2_000,
  hardDeleteAllowed: true,
};

const seed = () => ({
  Campaign: [
    { Id: SANDBOX_CAMPAIGN_ID, Name: 'Weft sandbox campaign', IsActive: true, Status: 'In Progress' },
  ],
});

function createSalesforceEmulator(options: Partial<SalesforceEmulatorOptions>) {
  const config = { ...DEFAULTS, ...options };
  const oauth = new OAuthServer(config);
  let store = new RecordStore(seed());
  const bulkOptions = {
    processingPolls: config.bulkProcessingPolls,
    hardDeleteAllowed: config.hardDeleteAllowed,
    ...(config.bulkFailAfterRecords !== undefined && { failAfterRecords: config.bulkFailAfterRecords }),
  };
  let jobs = new IngestJobs(bulkOptions);
  let writes: CollectionWrite[] = [];
  let cursors: QueryCursors = new Map();
  let endpoints: Record<string, number> = {};
  let used = config.apiUsage;
  let max = config.dailyApiLimit;

  const count = (endpoint: string) => {
    endpoints[endpoint] = (endpoints[endpoint] ?? 0) + 1;
  };

  const admin = (request: EmulatorRequest): EmulatorResponse => {
    const body = (request.json() ?? {}) as { count?: number; used?: number; max?: number };
    if (request.path.endsWith('/expire-tokens')) return { status: 200, body: { expired: oauth.expireAll() } };
    if (request.path.endsWith('/lock-rows')) {
      store.lockRows = body.count ?? 1;
      return { status: 200, body: { lockRows: store.lockRows } };
    }
    if (request.path.endsWith('/usage')) {
      used = body.used ?? used;
      max = body.max ?? max;
      return { status: 200, body: { used, max } };
    }
    return { status: 404, body: { error: `unknown control ${request.path}` } };
  };

  /** The API proper, after auth and quota; `rest` is the path after /services/data/vNN.0. */
  const api = (
    request: EmulatorRequest,
    rest: string,
    version: string,
    tools: EmulatorTools,
  ): EmulatorResponse => {
    const { method } = request;
    const parts = rest.split('/').filter(Boolean);
    if (method === 'GET' && rest === '/limits') {
      count('limits');
      return { status: 200, body: { DailyApiRequests: { Max: max, Remaining: max - used } } };
    }
    const paging = () => ({
      version,
      batchSize: requestedBatchSize(request.headers['sforce-query-options'], config.queryBatchSize),
      cursors,
    });
    if (method === 'GET' && rest === '/query') {
      count('query');
      return runQuery(request.query.get('q') ?? '', store, paging());
    }
    if (method === 'GET' && parts[0] === 'query' && parts.length === 2) {
      count('query');
      return queryMore(decodeURIComponent(parts[1] as string), paging());
    }
    if (parts[0] === 'sobjects' && parts[1]) {
      const object = objectNamed(parts[1]);
      if (!object) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (method === 'GET' && parts[2] === 'describe' && parts.length === 3) {
        count('describe');
        return { status: 200, body: describe(object) };
      }
      if (method === 'POST' && parts.length === 2) {
        count('sobject:create');
        const answer = collectionWrite(
          'insert',
          { records: [{ ...(request.json() as object), attributes: { type: object.name } }] },
          store,
          tools,
          1,
          [],
        );
        const [result] = answer.body as { success: boolean; errors: unknown[] }[];
        if (answer.status !== 200 || !result) return answer;
        return result.success ? { status: 201, body: result } : { status: 400, body: result.errors };
      }
      if (method === 'GET' && parts.length === 4) {
        count('sobject:get');
        const record = store.findByExternalId(
          object,
          parts[2] as string,
          decodeURIComponent(parts[3] as string),
        );
        return record
          ? { status: 200, body: { attributes: { type: object.name }, ...record } }
          : apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      }
    }
    if (parts[0] === 'composite' && parts[1] === 'sobjects') {
      if (method === 'PATCH' && parts.length === 4) {
        count('collections:upsert');
        return collectionWrite('upsert', request.json(), store, tools, config.maxCollection, writes, {
          urlObject: parts[2] as string,
          externalIdField: parts[3] as string,
        });
      }
      if (parts.length === 2 && method === 'POST') {
        count('collections:insert');
        return collectionWrite('insert', request.json(), store, tools, config.maxCollection, writes);
      }
      if (parts.length === 2 && method === 'PATCH') {
        count('collections:update');
        return collectionWrite('update', request.json(), store, tools, config.maxCollection, writes);
      }
      if (parts.length === 2 && method === 'DELETE') {
        count('collections:delete');
        return collectionDelete(request.query, store, config.maxCollection, writes);
      }
    }
    if (parts[0] === 'jobs' && parts[1] === 'ingest')
      return jobs.handle(request, parts.slice(2), version, store, tools, count);
    return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  };

  const handle = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    if (request.path.startsWith('/__salesforce/') && request.method === 'POST') return admin(request);
    if (request.path === '/services/oauth2/token' && request.method === 'POST') {
      count('token');
      return oauth.token(request, `http://${request.headers.host ?? '127.0.0.1'}`);
    }
    const match = /^\/services\/data\/(v\d+\.0)(\/.*)?$/.exec(request.path);
    if (!match) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const limitInfo = () => ({ 'sforce-limit-info': `api-usage=${used}/${max}` });
    if (!oauth.authorize(request)) {
      return { ...apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'), headers: limitInfo() };
    }
    if (used >= max) {
      return {
        ...apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        headers: limitInfo(),
      };
    }
    used++;
    const response = api(request, match[2] ?? '/', match[1] as string, tools);
    const headers = { ...response.headers, ...limitInfo() };
    used = Math.min(max, used + config.otherUsagePerCall);
    return { ...response, headers };
  };

  return {
    handle,
    state: (query?: URLSearchParams): SalesforceEmulatorState => ({
      records:
        query?.get('records') === 'false'
          ? {}
          : Object.fromEntries([...store.records].map(([name, rows]) => [name, Object.fromEntries(rows)])),
      counts: Object.fromEntries([...store.records].map(([name, rows]) => [name, rows.size])),
      endpoints: { ...endpoints },
      writes: [...writes],
      bulkJobs: jobs.summary(),
      apiUsage: { used, max },
      tokenGrants: [...oauth.grants],
      lockedRefusals: store.lockedRefusals,
      recycleBin: [...store.recycleBin],
    }),
    reset() {
      store = new RecordStore(seed());
      jobs = new IngestJobs(bulkOptions);
      writes = [];
      cursors = new Map();
      endpoints = {};
      used = config.apiUsage;
      max = config.dailyApiLimit;
      oauth.reset();
    },
  };
}

/** The Salesforce emulator, served by `weft sandbox` and used by the contract tests. */
export const salesforceEmulator: EmulatorDefinition<SalesforceEmulatorOptions> = {
  name: 'salesforce',
  envVar: 'WEFT_SANDBOX_SALESFORCE_URL',
  create: createSalesforceEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'salesforce',
    base_url: baseUrl,
    auth: 'client_credentials',
    client_id: options.clientId ?? DEFAULTS.clientId,
    client_secret: options.clientSecret ?? DEFAULTS.clientSecret,
  }),
};
