/**
 * Local emulator of the Klaviyo API (JSON:API under `/api`): bulk profile import jobs (≤10,000
 * profiles, ≤5 MB, optional list relationship; queued → processing → complete over
 * `readsToComplete` status reads; `…/import-errors` paginated), list relationships (≤1,000
 * profile ids), `GET /api/profiles` with `filter=any(…)`/`equals(…)`, data-privacy deletion jobs,
 * `GET /api/accounts` and `/api/lists/{id}`. Requires `Authorization: Klaviyo-API-Key <key>` and a
 * `revision: YYYY-MM-DD` header; errors are `{"errors":[{id,status,code,title,detail,source}]}`.
 * Burst and steady limits per endpoint with `RateLimit-*` headers; 429 + Retry-After past them.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import { jsonApiError } from './emulator/errors.js';
import { DEFAULT_LIMITS, type EndpointLimit, EndpointWindows } from './emulator/limits.js';
import { routeKlaviyo } from './emulator/routes.js';
import { type KlaviyoProfile, KlaviyoStore } from './emulator/store.js';

/** Emulator options. */
export interface KlaviyoEmulatorOptions {
  apiKey: string;
  /** List ids that exist. */
  lists: string[];
  /** Status reads after which an import job is complete (Klaviyo: seconds to minutes). */
  readsToComplete: number;
  /** Profiles per import job (10,000) and its body size (5 MB). */
  maxJobProfiles: number;
  maxJobBytes: number;
  /** Profile ids per list-relationship request (1,000). */
  maxRelationships: number;
  /** Burst/steady limits by endpoint (see emulator/limits.ts for the names). */
  limits: Record<string, EndpointLimit>;
}

/** One request as logged in the state. */
export interface KlaviyoRequestLog {
  method: string;
  path: string;
  status: number;
  /** The revision header sent, or null when missing. */
  revision: string | null;
  /** Profiles in an import job, or ids in a list-relationship request. */
  items?: number;
  /** Arrival time (ms since epoch). */
  at: number;
}

/** The emulator's state. */
export interface KlaviyoEmulatorState {
  profiles: KlaviyoProfile[];
  /** List id → profile ids. */
  lists: Record<string, string[]>;
  jobs: Array<{ id: string; status: string; total_count: number; failed_count: number; list?: string }>;
  requests: KlaviyoRequestLog[];
}

const DEFAULTS: KlaviyoEmulatorOptions = {
  apiKey: 'pk_sandbox_0000000000000000000000',
  lists: ['Y6nRLr'],
  readsToComplete: 2,
  maxJobProfiles: 10_000,
  maxJobBytes: 5 * 1024 * 1024,
  maxRelationships: 1_000,
  limits: DEFAULT_LIMITS,
};

function authError(request: EmulatorRequest, apiKey: string): EmulatorResponse | undefined {
  const header = String(request.headers.authorization ?? '');
  if (header === '')
    return jsonApiError(
      401,
      'not_authenticated',
      'Authentication credentials were not provided.',
      'Missing or invalid private key.',
    );
  if (header !== `Klaviyo-API-Key ${apiKey}`)
    return jsonApiError(
      401,
      'authentication_failed',
      'Incorrect authentication credentials.',
      'Incorrect authentication credentials.',
    );
  return undefined;
}

function revisionError(revision: string | null): EmulatorResponse | undefined {
  if (revision === null)
    return jsonApiError(
      400,
      'invalid',
      'Invalid input.',
      'The revision header is required (e.g. revision: 2024-10-15).',
      '/headers/revision',
    );
  if (!/^\d{4}-\d{2}-\d{2}(\.pre)?$/.test(revision))
    return jsonApiError(
      400,
      'invalid',
      'Invalid input.',
      `Invalid revision '${revision}'.`,
      '/headers/revision',
    );
  return undefined;
}

/** Which rate-limited endpoint a request is. */
function endpointOf(method: string, path: string): string {
  if (path === '/api/profile-bulk-import-jobs') return 'jobs.create';
  if (path.startsWith('/api/profile-bulk-import-jobs/')) return 'jobs.read';
  if (path.endsWith('/relationships/profiles')) return 'lists.relationships';
  if (path === '/api/profiles' && method === 'GET') return 'profiles.read';
  return 'other';
}

function createKlaviyoEmulator(options: Partial<KlaviyoEmulatorOptions>) {
  const config = { ...DEFAULTS, ...options, limits: { ...DEFAULTS.limits, ...options.limits } };
  let store = new KlaviyoStore(config.lists, config.readsToComplete);
  let windows = new EndpointWindows(config.limits);
  let requests: KlaviyoRequestLog[] = [];

  const handle = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const at = Date.now();
    const path = request.path.replace(/\/+$/, '');
    const revisionHeader = request.headers.revision;
    const revision = typeof revisionHeader === 'string' ? revisionHeader : null;
    const limit = windows.take(endpointOf(request.method, path));
    let response =
      authError(request, config.apiKey) ??
      revisionError(revision) ??
      (limit.allowed
        ? undefined
        : jsonApiError(
            429,
            'throttled',
            'Request was throttled.',
            `Request was throttled. Expected available in ${limit.headers['retry-after']} second.`,
          ));
    let items: number | undefined;
    if (!response) {
      const routed = routeKlaviyo({ request, path, tools, store, config });
      response = routed.response;
      items = routed.items;
    }
    requests.push({
      method: request.method,
      path,
      status: response.status,
      revision,
      ...(items !== undefined && { items }),
      at,
    });
    return { ...response, headers: { ...limit.headers, ...response.headers } };
  };

  return {
    handle,
    state: (): KlaviyoEmulatorState => ({
      profiles: [...store.profiles.values()],
      lists: Object.fromEntries([...store.lists].map(([id, members]) => [id, [...members]])),
      jobs: [...store.jobs.values()].map((job) => ({
        id: job.id,
        status: job.status,
        total_count: job.profiles.length,
        failed_count: job.failed_count,
        ...(job.listId !== undefined && { list: job.listId }),
      })),
      requests,
    }),
    reset() {
      store = new KlaviyoStore(config.lists, config.readsToComplete);
      windows = new EndpointWindows(config.limits);
      requests = [];
    },
  };
}

/** The Klaviyo emulator, served by `weft sandbox` and used by the contract suite. */
export const klaviyoEmulator: EmulatorDefinition<KlaviyoEmulatorOptions> = {
  name: 'klaviyo',
  envVar: 'WEFT_SANDBOX_KLAVIYO_URL',
  create: createKlaviyoEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'klaviyo',
    api_key: options.apiKey ?? DEFAULTS.apiKey,
    base_url: baseUrl,
    // The emulator's jobs finish in a couple of reads: no need to wait seconds between them.
    poll_interval_ms: 20,
  }),
};
