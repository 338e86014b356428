/**
 * Local emulator of Meta's Custom Audience users API for `weft sandbox` and tests:
 * `POST|DELETE /{version}/{audience_id}/users` with `{payload:{schema,data}, session:{…}}`;
 * parameters come, as Graph takes them, from the JSON body or the query string (JSON-encoded
 * objects: `facebook-nodejs-business-sdk` sends a DELETE's `payload` and `session` there);
 * `access_token` (query, body or Bearer) and `appsecret_proof` checked when an app secret is set;
 * ≤10,000 rows (400 code 100 above); upload sessions with ordered `batch_seq`; rows counted
 * (`num_received`, `num_invalid_entries`, a few `invalid_entry_samples`: a hashed column that is
 * not SHA-256 hex, a blank row, or a sandbox reject rule); an hourly call budget answered with
 * error code 80003 and `X-Business-Use-Case-Usage`. Faults come from the sandbox framework.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import {
  EmulatedAudience,
  type EmulatedSession,
  type MemberKeys,
  sessionProblem,
} from './emulator/audiences.js';

/** Emulator options (all optional). */
export interface MetaEmulatorOptions {
  tokens: string[];
  /** When set, every call must carry the matching appsecret_proof. */
  appSecret?: string;
  /** Custom audiences that exist. */
  audiences: string[];
  /** Most rows per request (Meta: 10,000). */
  maxRows: number;
  /** Most invalid_entry_samples per answer. */
  maxSamples: number;
  /** Calls allowed per rolling window before code 80003, and the minutes the usage header names. */
  budget?: { calls: number; perMs: number; regainMinutes: number };
  adAccountId: string;
}

/** One request as logged for tests. */
export interface MetaLoggedRequest {
  method: string;
  path: string;
  status: number;
  rows?: number;
  schema?: string[];
  session?: {
    session_id: unknown;
    batch_seq: unknown;
    last_batch_flag: unknown;
    estimated_num_total: unknown;
  };
  errorCode?: number;
}

/** GET /__sandbox/state → state. */
export interface MetaEmulatorState {
  /** Audience id → members (schema column → value as sent). */
  audiences: Record<string, { members: MemberKeys[]; count: number }>;
  sessions: EmulatedSession[];
  requests: MetaLoggedRequest[];
  throttled: number;
}

const DEFAULTS: MetaEmulatorOptions = {
  tokens: ['sandbox-meta-token'],
  audiences: ['23850000000000001'],
  maxRows: 10_000,
  maxSamples: 10,
  adAccountId: '1234567890',
};

const HASHED = new Set(['EMAIL', 'PHONE', 'FN', 'LN', 'CT', 'ST', 'ZIP', 'COUNTRY', 'GEN', 'DOB']);
const KNOWN = new Set([...HASHED, 'EXTERN_ID', 'MADID']);

function graphError(
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): EmulatorResponse {
  return {
    status,
    body: {
      error: {
        message,
        type: code === 190 || code === 104 ? 'OAuthException' : 'GraphMethodException',
        code,
        ...extra,
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

function tokenOf(request: EmulatorRequest, body: Record<string, unknown>): string | undefined {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^(?:Bearer|OAuth) (.+)$/.exec(header)?.[1] : undefined;
  return request.query.get('access_token') ?? (body.access_token as string | undefined) ?? bearer;
}

/**
 * A request's parameters as Graph reads them: the query string's, then the JSON body's (the body
 * wins). A query value that is JSON text of an object or array (`payload={"schema":…}`) is
 * decoded, as Graph decodes it; an undecodable one stays text and fails validation as such.
 */
function graphParams(request: EmulatorRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of request.query) {
    params[name] = value;
    if (/^\s*[[{]/.test(value)) {
      try {
        params[name] = JSON.parse(value);
      } catch {
        // not JSON: left as text
      }
    }
  }
  const body = request.json();
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, body);
  return params;
}

/** A parameter that may arrive JSON-encoded in a string; undefined when it is not valid JSON. */
function decoded(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function createMetaEmulator(partial: Partial<MetaEmulatorOptions>) {
  const config: MetaEmulatorOptions = { ...DEFAULTS, ...partial };
  let audiences = new Map<string, EmulatedAudience>();
  let sessions = new Map<string, EmulatedSession>();
  let requests: MetaLoggedRequest[] = [];
  let calls: number[] = [];
  let throttled = 0;
  const audience = (id: string) => {
    if (!config.audiences.includes(id)) return undefined;
    const found = audiences.get(id) ?? new EmulatedAudience(id);
    audiences.set(id, found);
    return found;
  };

  const overBudget = (): EmulatorResponse | undefined => {
    const budget = config.budget;
    if (!budget) return undefined;
    const now = Date.now();
    calls = calls.filter((at) => at > now - budget.perMs);
    if (calls.length < budget.calls) {
      calls.push(now);
      return undefined;
    }
    throttled++;
    const usage = {
      [config.adAccountId]: [
        {
          type: 'custom_audience',
          call_count: 100,
          total_cputime: 20,
          total_time: 25,
          estimated_time_to_regain_access: budget.regainMinutes,
        },
      ],
    };
    return {
      ...graphError(
        400,
        80003,
        'There have been too many calls to this ad-account. Wait a bit and try again.',
        { error_subcode: 2446079, is_transient: true },
      ),
      headers: { 'x-business-use-case-usage': JSON.stringify(usage) },
    };
  };

  const changeUsers = (
    request: EmulatorRequest,
    body: Record<string, unknown>,
    id: string,
    tools: EmulatorTools,
  ): EmulatorResponse => {
    const target = audience(id);
    if (!target)
      return graphError(
        400,
        100,
        `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { error_subcode: 33 },
      );
    const payload = decoded(body.payload) as { schema?: unknown; data?: unknown } | undefined;
    const schema = typeof payload?.schema === 'string' ? [payload.schema] : payload?.schema;
    if (
      !Array.isArray(schema) ||
      schema.length === 0 ||
      !schema.every((c) => typeof c === 'string' && KNOWN.has(c))
    )
      return graphError(400, 100, '(#100) Invalid parameter: payload.schema must name supported keys');
    if (!Array.isArray(payload?.data))
      return graphError(400, 100, '(#100) Invalid parameter: payload.data must be an array');
    const data = payload.data as unknown[];
    if (data.length > config.maxRows)
      return graphError(
        400,
        100,
        `(#100) The number of rows (${data.length}) exceeds the limit of ${config.maxRows} per request`,
      );
    const operation = request.method === 'POST' ? 'add' : 'remove';
    const session = decoded(body.session) as Record<string, unknown> | undefined;
    let tracked: EmulatedSession | undefined;
    if (session) {
      const sessionId = String(session.session_id ?? '');
      if (!/^\d+$/.test(sessionId))
        return graphError(400, 100, '(#100) Invalid parameter: session.session_id must be an integer');
      tracked = sessions.get(sessionId);
      const problem = sessionProblem(tracked, Number(session.batch_seq), id, operation);
      if (problem && problem !== 'replay') return graphError(400, 100, `(#100) Invalid session: ${problem}`);
      if (!tracked) {
        tracked = {
          session_id: sessionId,
          audience: id,
          operation,
          batches: [],
          last_batch_flag: false,
          num_received: 0,
          num_invalid_entries: 0,
        };
        sessions.set(sessionId, tracked);
      }
      tracked.batches.push(Number(session.batch_seq));
      if (typeof session.estimated_num_total === 'number')
        tracked.estimated_num_total = session.estimated_num_total;
      if (session.last_batch_flag === true) tracked.last_batch_flag = true;
    }
    const samples: Record<string, string> = {};
    let invalid = 0;
    for (const raw of data) {
      const row = Array.isArray(raw) ? raw : [raw];
      const keys: MemberKeys = {};
      let problem: { value: string; reason: string } | undefined;
      schema.forEach((column: string, i) => {
        const value = row[i] === undefined || row[i] === null ? '' : String(row[i]);
        if (value === '') return;
        if (HASHED.has(column) && !/^[0-9a-f]{64}$/.test(value))
          problem ??= { value, reason: `Invalid format for ${column}: expected a SHA-256 hash` };
        keys[column] = value;
      });
      const rule = tools.rejection('', keys);
      if (rule) {
        const column = rule.field;
        problem ??= {
          value: keys[column] ?? Object.values(keys)[0] ?? '',
          reason: rule.reason ?? 'Invalid entry',
        };
      }
      if (Object.keys(keys).length === 0) problem ??= { value: '', reason: 'Empty row' };
      if (problem) {
        invalid++;
        if (Object.keys(samples).length < config.maxSamples) samples[problem.value] = problem.reason;
        continue;
      }
      if (operation === 'add') target.add(keys);
      else target.remove(keys);
    }
    if (tracked) {
      tracked.num_received += data.length;
      tracked.num_invalid_entries += invalid;
    }
    return {
      status: 200,
      body: {
        audience_id: id,
        session_id: tracked ? Number(tracked.session_id) : undefined,
        num_received: data.length,
        num_invalid_entries: invalid,
        invalid_entry_samples: samples,
      },
    };
  };

  const route = (
    request: EmulatorRequest,
    body: Record<string, unknown>,
    tools: EmulatorTools,
  ): EmulatorResponse => {
    const token = tokenOf(request, body);
    if (!token) return graphError(400, 104, 'An access token is required to request this resource.');
    if (!config.tokens.includes(token))
      return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token', {
        error_subcode: 463,
      });
    if (config.appSecret) {
      const proof = body.appsecret_proof as string | undefined;
      if (!proof)
        return graphError(400, 100, 'API calls from the server require an appsecret_proof argument');
      if (proof !== createHmac('sha256', config.appSecret).update(token).digest('hex'))
        return graphError(400, 100, 'Invalid appsecret_proof provided in the API argument');
    }
    const throttle = overBudget();
    if (throttle) return throttle;
    const users = /^\/v\d+\.\d+\/([^/]+)\/users$/.exec(request.path);
    if (users && (request.method === 'POST' || request.method === 'DELETE'))
      return changeUsers(request, body, decodeURIComponent(users[1] as string), tools);
    const node = /^\/v\d+\.\d+\/([^/]+)$/.exec(request.path);
    if (node && request.method === 'GET') {
      const found = audience(decodeURIComponent(node[1] as string));
      if (found)
        return {
          status: 200,
          body: { id: found.id, approximate_count_lower_bound: found.size, subtype: 'CUSTOM' },
        };
    }
    return graphError(400, 100, `Unsupported ${request.method.toLowerCase()} request for ${request.path}`, {
      error_subcode: 33,
    });
  };

  return {
    handle(request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse {
      const params = graphParams(request);
      const response = route(request, params, tools);
      const body = { payload: decoded(params.payload), session: decoded(params.session) } as {
        payload?: { schema?: string[]; data?: unknown[] };
        session?: MetaLoggedRequest['session'];
      };
      const error = (response.body as { error?: { code?: number } } | undefined)?.error;
      requests.push({
        method: request.method,
        path: request.path,
        status: response.status,
        ...(Array.isArray(body?.payload?.data) && { rows: body.payload.data.length }),
        ...(body?.payload?.schema && { schema: body.payload.schema }),
        ...(body?.session && { session: body.session }),
        ...(error?.code !== undefined && { errorCode: error.code }),
      });
      return response;
    },
    state: (): MetaEmulatorState => ({
      audiences: Object.fromEntries(
        [...audiences].map(([id, a]) => [id, { members: a.list(), count: a.size }]),
      ),
      sessions: [...sessions.values()],
      requests,
      throttled,
    }),
    reset() {
      audiences = new Map();
      sessions = new Map();
      requests = [];
      calls = [];
      throttled = 0;
    },
  };
}

/** The Meta emulator, served by `weft sandbox` and used by the contract suite. */
export const metaEmulator: EmulatorDefinition<MetaEmulatorOptions> = {
  name: 'meta',
  envVar: 'WEFT_SANDBOX_META_URL',
  create: createMetaEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'meta',
    access_token: options.tokens?.[0] ?? DEFAULTS.tokens[0],
    ...(options.appSecret !== undefined && { app_secret: options.appSecret }),
    ad_account_id: options.adAccountId ?? DEFAULTS.adAccountId,
    base_url: baseUrl,
  }),
};
