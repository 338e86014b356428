/**
 * Local emulator of Google Ads Customer Match (REST) for `weft sandbox` and tests:
 * `offlineUserDataJobs:create` → `…/{job}:addOperations` (partial failure: INVALID_SHA256_FORMAT,
 * bad country codes, more than 20 identifiers per person, sandbox reject rules, each at its
 * operation index) → `…:run` → `googleAds:search` for the job status (RUNNING for a few reads,
 * then SUCCESS with the operations applied to the list). Two jobs running on one list answer
 * CONCURRENT_MODIFICATION; a request quota answers 429 RESOURCE_EXHAUSTED with `retryDelay`.
 * Checks Bearer token, developer-token and login-customer-id. Error codes follow the Google Ads
 * enums where known (offlineUserDataJobError, databaseError, quotaError, authenticationError,
 * authorizationError); the request-size code is an assumption. Faults come from the framework.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import { adsError, type EmulatedAdsError, failure } from './emulator/answers.js';
import { authProblem, operationProblem } from './emulator/checks.js';
import { type EmulatedJob, EmulatedUserList, type Member, memberOf } from './emulator/store.js';

/** Emulator options (all optional). */
export interface GoogleAdsEmulatorOptions {
  tokens: string[];
  developerTokens: string[];
  customerId: string;
  /** When set, requests must name this manager in login-customer-id. */
  loginCustomerId?: string;
  userLists: string[];
  /** Status reads a run job stays RUNNING before it ends (it also ends after finishAfterMs). */
  pollsToFinish: number;
  finishAfterMs: number;
  maxIdentifiersPerRequest: number;
  maxIdentifiersPerPerson: number;
  /** The next n runs meet another job on the list (CONCURRENT_MODIFICATION). */
  concurrentModifications: number;
  /** The next n jobs end FAILED. */
  failJobs: number;
  /** Requests allowed per rolling window before 429 RESOURCE_EXHAUSTED naming retryDelaySeconds. */
  quota?: { requests: number; perMs: number; retryDelaySeconds: number };
}

/** One request as logged for tests. */
export interface GoogleAdsLoggedRequest {
  path: string;
  status: number;
  operations?: number;
  identifiers?: number;
  errorCode?: string;
}

/** GET /__sandbox/state → state. */
export interface GoogleAdsEmulatorState {
  /** User list id → members (flattened identifiers). */
  lists: Record<string, { members: Member[]; count: number }>;
  jobs: Array<Omit<EmulatedJob, 'operations'> & { operations: number }>;
  requests: GoogleAdsLoggedRequest[];
  /** Body of the last request per action (create, addOperations, run, search). */
  lastBodies: Record<string, unknown>;
  quotaRefusals: number;
}

const DEFAULTS: GoogleAdsEmulatorOptions = {
  tokens: ['sandbox-google-token'],
  developerTokens: ['sandbox-developer-token'],
  customerId: '1234567890',
  userLists: ['7000000001'],
  pollsToFinish: 2,
  finishAfterMs: 2_000,
  maxIdentifiersPerRequest: 100_000,
  maxIdentifiersPerPerson: 20,
  concurrentModifications: 0,
  failJobs: 0,
};

function createGoogleAdsEmulator(partial: Partial<GoogleAdsEmulatorOptions>) {
  const config: GoogleAdsEmulatorOptions = { ...DEFAULTS, ...partial };
  let lists = new Map<string, EmulatedUserList>();
  let jobs = new Map<string, EmulatedJob>();
  let requests: GoogleAdsLoggedRequest[] = [];
  let lastBodies: Record<string, unknown> = {};
  let calls: number[] = [];
  let quotaRefusals = 0;
  let concurrent = config.concurrentModifications;
  let failing = config.failJobs;
  let nextJob = 1;
  const prefix = `customers/${config.customerId}`;

  const listOf = (resource: string) => {
    const id = /\/userLists\/(\d+)$/.exec(resource)?.[1];
    if (!id || !resource.startsWith(`${prefix}/`) || !config.userLists.includes(id)) return undefined;
    const list = lists.get(id) ?? new EmulatedUserList();
    lists.set(id, list);
    return list;
  };

  const overQuota = (): EmulatorResponse | undefined => {
    const quota = config.quota;
    if (!quota) return undefined;
    const now = Date.now();
    calls = calls.filter((at) => at > now - quota.perMs);
    if (calls.length < quota.requests) {
      calls.push(now);
      return undefined;
    }
    quotaRefusals++;
    const delay = `${quota.retryDelaySeconds}s`;
    return adsError(
      429,
      'RESOURCE_EXHAUSTED',
      'quotaError',
      'RESOURCE_EXHAUSTED',
      `Too many requests. Retry in ${quota.retryDelaySeconds} seconds.`,
      {
        quotaErrorDetails: {
          rateScope: 'DEVELOPER',
          rateName: 'Number of operations for basic access',
          retryDelay: delay,
        },
      },
    );
  };

  const create = (body: Record<string, unknown>): EmulatorResponse => {
    const job = body.job as
      | { type?: string; customerMatchUserListMetadata?: { userList?: string; consent?: unknown } }
      | undefined;
    if (job?.type !== 'CUSTOMER_MATCH_USER_LIST')
      return adsError(
        400,
        'INVALID_ARGUMENT',
        'offlineUserDataJobError',
        'INVALID_USER_LIST_TYPE',
        'Only CUSTOMER_MATCH_USER_LIST jobs are emulated.',
      );
    const userList = job.customerMatchUserListMetadata?.userList ?? '';
    if (!listOf(userList))
      return adsError(
        400,
        'INVALID_ARGUMENT',
        'offlineUserDataJobError',
        'INVALID_USER_LIST_ID',
        `User list ${userList} does not exist.`,
      );
    const id = String(9_000_000 + nextJob++);
    const resourceName = `${prefix}/offlineUserDataJobs/${id}`;
    jobs.set(id, {
      resourceName,
      id,
      userList,
      consent: job.customerMatchUserListMetadata?.consent,
      status: 'PENDING',
      operations: [],
      polls: 0,
    });
    return { status: 200, body: { resourceName } };
  };

  const addOperations = (
    job: EmulatedJob,
    body: Record<string, unknown>,
    tools: EmulatorTools,
  ): EmulatorResponse => {
    if (job.status !== 'PENDING')
      return adsError(
        400,
        'INVALID_ARGUMENT',
        'offlineUserDataJobError',
        'INVALID_JOB_STATUS',
        `Job ${job.id} is ${job.status}: operations can only be added to a PENDING job.`,
      );
    const operations = Array.isArray(body.operations)
      ? (body.operations as Array<Record<string, { userIdentifiers?: unknown }>>)
      : [];
    const identifiersOf = (op: Record<string, { userIdentifiers?: unknown }>) => {
      const ids = (op.create ?? op.remove)?.userIdentifiers;
      return Array.isArray(ids) ? (ids as Array<Record<string, unknown>>) : [];
    };
    const total = operations.reduce((n, op) => n + identifiersOf(op).length, 0);
    if (total > config.maxIdentifiersPerRequest)
      return adsError(
        400,
        'INVALID_ARGUMENT',
        'requestError',
        'TOO_MANY_OPERATIONS',
        `${total} user identifiers exceed the limit of ${config.maxIdentifiersPerRequest} per request.`,
      );
    const errors: EmulatedAdsError[] = [];
    const accepted: EmulatedJob['operations'] = [];
    operations.forEach((op, index) => {
      const identifiers = identifiersOf(op);
      const problem = operationProblem(index, identifiers, config.maxIdentifiersPerPerson, tools);
      if (problem) errors.push(problem);
      else accepted.push({ remove: op.remove !== undefined, member: memberOf(identifiers) });
    });
    // Without partial failure one bad operation refuses the whole request.
    if (errors.length > 0 && body.enablePartialFailure !== true)
      return {
        status: 400,
        body: { error: failure(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', errors) },
      };
    job.operations.push(...accepted);
    return {
      status: 200,
      body:
        errors.length > 0
          ? {
              partialFailureError: failure(
                3,
                'INVALID_ARGUMENT',
                `Multiple errors in ‘details’. First error: ${errors[0]?.message}`,
                errors,
              ),
            }
          : {},
    };
  };

  const run = (job: EmulatedJob): EmulatorResponse => {
    if (job.status !== 'PENDING')
      return adsError(
        400,
        'INVALID_ARGUMENT',
        'offlineUserDataJobError',
        'INVALID_JOB_STATUS',
        `Job ${job.id} was already run.`,
      );
    const busy = [...jobs.values()].some(
      (other) => other !== job && other.userList === job.userList && other.status === 'RUNNING',
    );
    if (busy || concurrent > 0) {
      if (!busy) concurrent--;
      return adsError(
        409,
        'ABORTED',
        'databaseError',
        'CONCURRENT_MODIFICATION',
        'Multiple requests were attempting to modify the same resource at once. Retry the request.',
      );
    }
    job.status = 'RUNNING';
    job.runAt = Date.now();
    return { status: 200, body: { name: `${prefix}/operations/${job.id}` } };
  };

  /** A RUNNING job ends: FAILED (failJobs) or SUCCESS with its operations applied to the list. */
  const finish = (job: EmulatedJob) => {
    if (failing > 0) {
      failing--;
      job.status = 'FAILED';
      job.failureReason = 'PROCESSING_FAILURE';
      return;
    }
    const list = listOf(job.userList) as EmulatedUserList;
    for (const operation of job.operations) list.apply(operation);
    job.status = 'SUCCESS';
  };
  /** Jobs finish on their own too, whether anyone reads their status or not. */
  const finishOverdue = () => {
    const now = Date.now();
    for (const job of jobs.values())
      if (job.status === 'RUNNING' && now - (job.runAt ?? now) >= config.finishAfterMs) finish(job);
  };

  const search = (body: Record<string, unknown>): EmulatorResponse => {
    const wanted = /offline_user_data_job\.resource_name\s*=\s*'([^']+)'/.exec(String(body.query ?? ''))?.[1];
    const job = [...jobs.values()].find((j) => j.resourceName === wanted);
    if (!job) return { status: 200, body: { results: [], fieldMask: 'offlineUserDataJob.status' } };
    if (job.status === 'RUNNING' && ++job.polls >= config.pollsToFinish) finish(job);
    const row = {
      resourceName: job.resourceName,
      id: job.id,
      type: 'CUSTOMER_MATCH_USER_LIST',
      status: job.status,
      ...(job.failureReason && { failureReason: job.failureReason }),
    };
    return {
      status: 200,
      body: {
        results: [{ offlineUserDataJob: row }],
        fieldMask:
          'offlineUserDataJob.resourceName,offlineUserDataJob.status,offlineUserDataJob.failureReason',
      },
    };
  };

  const route = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const match =
      /^\/v\d+\/customers\/(\d+)\/(offlineUserDataJobs:create|offlineUserDataJobs\/(\d+):(addOperations|run)|googleAds:search)$/.exec(
        request.path,
      );
    if (!match || request.method !== 'POST')
      return {
        status: 404,
        body: {
          error: {
            code: 404,
            status: 'NOT_FOUND',
            message: `No route for ${request.method} ${request.path}`,
          },
        },
      };
    finishOverdue();
    const denied = authProblem(config, request, match[1] as string);
    if (denied) return denied;
    const limited = overQuota();
    if (limited) return limited;
    const body = (request.json() ?? {}) as Record<string, unknown>;
    const action = match[4] ?? (match[2] === 'googleAds:search' ? 'search' : 'create');
    lastBodies[action] = body;
    if (action === 'create') return create(body);
    if (action === 'search') return search(body);
    const job = jobs.get(match[3] as string);
    if (!job)
      return {
        status: 404,
        body: { error: { code: 404, status: 'NOT_FOUND', message: `Job ${match[3]} not found.` } },
      };
    return action === 'run' ? run(job) : addOperations(job, body, tools);
  };

  return {
    handle(request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse {
      const response = route(request, tools);
      const body = request.json() as
        | { operations?: Array<Record<string, { userIdentifiers?: unknown[] }>> }
        | undefined;
      const operations = Array.isArray(body?.operations) ? body.operations : undefined;
      const error = (
        response.body as { error?: { details?: Array<{ errors?: EmulatedAdsError[] }> } } | undefined
      )?.error;
      const errorCode = error?.details?.[0]?.errors?.[0]?.errorCode;
      requests.push({
        path: request.path,
        status: response.status,
        ...(operations && {
          operations: operations.length,
          identifiers: operations.reduce(
            (n, op) => n + ((op.create ?? op.remove)?.userIdentifiers?.length ?? 0),
            0,
          ),
        }),
        ...(errorCode && { errorCode: Object.values(errorCode)[0] as string }),
      });
      return response;
    },
    state: (): GoogleAdsEmulatorState => ({
      lists: Object.fromEntries(
        [...lists].map(([id, list]) => [id, { members: list.list(), count: list.list().length }]),
      ),
      jobs: [...jobs.values()].map((job) => ({ ...job, operations: job.operations.length })),
      requests,
      lastBodies,
      quotaRefusals,
    }),
    reset() {
      lists = new Map();
      jobs = new Map();
      requests = [];
      lastBodies = {};
      calls = [];
      quotaRefusals = 0;
      concurrent = config.concurrentModifications;
      failing = config.failJobs;
    },
  };
}

/** The Google Ads emulator, served by `weft sandbox` and used by the contract suite. */
export const googleAdsEmulator: EmulatorDefinition<GoogleAdsEmulatorOptions> = {
  name: 'google_ads',
  envVar: 'WEFT_SANDBOX_GOOGLE_ADS_URL',
  create: createGoogleAdsEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'google_ads',
    access_token: options.tokens?.[0] ?? DEFAULTS.tokens[0],
    developer_token: options.developerTokens?.[0] ?? DEFAULTS.developerTokens[0],
    customer_id: options.customerId ?? DEFAULTS.customerId,
    ...(options.loginCustomerId !== undefined && { login_customer_id: options.loginCustomerId }),
    base_url: baseUrl,
    ad_user_data: 'GRANTED',
    ad_personalization: 'GRANTED',
  }),
};
