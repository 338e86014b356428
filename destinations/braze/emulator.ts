/**
 * Local emulator of the Braze REST API: `POST /users/track` (≤75 attribute objects; 201
 * `{message:"success", attributes_processed, errors:[{type, input_array, index}]}` for objects it
 * refuses) and `POST /users/delete` (≤50 external ids; `{deleted, message}`). Bearer auth; fatal
 * errors are `{message}` with 400/401. Every answer carries `X-RateLimit-Limit|Remaining|Reset`
 * for its endpoint's window (`/users/track` 3,000 per 3 s, `/users/delete` 20,000 per minute);
 * past it, 429 with the same headers and no Retry-After, as Braze does.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';

/** A rolling window: at most `requests` per `perMs`. */
export interface BrazeWindow {
  requests: number;
  perMs: number;
}

/** Emulator options. */
export interface BrazeEmulatorOptions {
  apiKey: string;
  /** Objects per array in one /users/track request (Braze: 75). */
  maxTrackObjects: number;
  /** External ids per /users/delete request (Braze: 50). */
  maxDeleteIds: number;
  trackLimit: BrazeWindow;
  deleteLimit: BrazeWindow;
  /**
   * The `message` /users/track answers (default `success`). Anything else is a request Braze did
   * not process: answered 201 with that message and nothing applied (to test that weft never
   * counts such an answer as delivered).
   */
  trackMessage: string;
}

/** One request as logged in the state. */
export interface BrazeRequestLog {
  path: string;
  status: number;
  /** Attribute objects (track) or external ids (delete) in the request. */
  objects: number;
}

/** The emulator's state. */
export interface BrazeEmulatorState {
  /** external_id → attributes. */
  users: Record<string, Record<string, unknown>>;
  requests: BrazeRequestLog[];
}

const DEFAULTS: BrazeEmulatorOptions = {
  apiKey: 'sandbox-braze-rest-key-0001',
  maxTrackObjects: 75,
  maxDeleteIds: 50,
  trackLimit: { requests: 3_000, perMs: 3_000 },
  deleteLimit: { requests: 20_000, perMs: 60_000 },
  trackMessage: 'success',
};

const ID_REQUIRED = "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";

/** Arrival times per endpoint, for X-RateLimit-* and 429s. */
class Window {
  private arrivals: number[] = [];
  constructor(readonly limit: BrazeWindow) {}

  /** Records an arrival when allowed; returns the headers to send and whether it was allowed. */
  take(now: number): { allowed: boolean; headers: Record<string, string> } {
    this.arrivals = this.arrivals.filter((time) => time > now - this.limit.perMs);
    const allowed = this.arrivals.length < this.limit.requests;
    if (allowed) this.arrivals.push(now);
    const reset = (this.arrivals[0] ?? now) + this.limit.perMs;
    const headers = {
      'x-ratelimit-limit': String(this.limit.requests),
      'x-ratelimit-remaining': String(Math.max(0, this.limit.requests - this.arrivals.length)),
      'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
    };
    return { allowed, headers };
  }
}

function createBrazeEmulator(options: Partial<BrazeEmulatorOptions>) {
  const config = { ...DEFAULTS, ...options };
  let users = new Map<string, Record<string, unknown>>();
  let requests: BrazeRequestLog[] = [];
  let windows = { track: new Window(config.trackLimit), delete: new Window(config.deleteLimit) };

  const track = (body: Record<string, unknown>, tools: EmulatorTools): EmulatorResponse => {
    const attributes = body.attributes;
    const arrays = ['attributes', 'events', 'purchases'].map((name) => body[name]);
    if (arrays.every((value) => !Array.isArray(value) || value.length === 0)) {
      return {
        status: 400,
        body: {
          message: "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.",
        },
      };
    }
    if (arrays.some((value) => Array.isArray(value) && value.length > config.maxTrackObjects)) {
      return {
        status: 400,
        body: { message: `Each array may contain at most ${config.maxTrackObjects} objects.` },
      };
    }
    if (config.trackMessage !== 'success') return { status: 201, body: { message: config.trackMessage } };
    const errors: Array<{ type: string; input_array: string; index: number }> = [];
    let processed = 0;
    for (const [index, object] of (Array.isArray(attributes) ? attributes : []).entries()) {
      const { external_id: id, ...fields } = (object ?? {}) as Record<string, unknown>;
      if (typeof id !== 'string' || id === '') {
        errors.push({ type: ID_REQUIRED, input_array: 'attributes', index });
        continue;
      }
      const rule = tools.rejection(id, fields);
      if (rule) {
        errors.push({
          type: rule.reason ?? `Invalid attribute ${rule.field}`,
          input_array: 'attributes',
          index,
        });
        continue;
      }
      const user = { ...users.get(id) };
      // A null value removes the attribute, as in Braze.
      for (const [name, value] of Object.entries(fields)) {
        if (value === null) delete user[name];
        else user[name] = value;
      }
      users.set(id, user);
      processed++;
    }
    return {
      status: 201,
      body: { message: 'success', attributes_processed: processed, ...(errors.length > 0 && { errors }) },
    };
  };

  const remove = (body: Record<string, unknown>): EmulatorResponse => {
    const ids = body.external_ids;
    if (!Array.isArray(ids) || ids.length === 0)
      return { status: 400, body: { message: 'external_ids must be a non-empty array' } };
    if (ids.length > config.maxDeleteIds) {
      return {
        status: 400,
        body: { message: `You can only delete up to ${config.maxDeleteIds} users per request.` },
      };
    }
    const deleted = ids.filter((id) => users.delete(String(id))).length;
    return { status: 201, body: { deleted, message: 'success' } };
  };

  const handle = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const endpoint =
      request.path === '/users/track' ? 'track' : request.path === '/users/delete' ? 'delete' : undefined;
    if (!endpoint || request.method !== 'POST') return { status: 404, body: { message: 'Not found' } };
    const { allowed, headers } = windows[endpoint].take(Date.now());
    const body = (request.json() ?? {}) as Record<string, unknown>;
    const count = endpoint === 'track' ? body.attributes : body.external_ids;
    let response: EmulatorResponse;
    if (!allowed) response = { status: 429, body: { message: 'Rate limit exceeded' } };
    else if (request.headers.authorization !== `Bearer ${config.apiKey}`)
      response = {
        status: 401,
        body: { message: 'Invalid API key: the key is not valid for this instance' },
      };
    else response = endpoint === 'track' ? track(body, tools) : remove(body);
    requests.push({
      path: request.path,
      status: response.status,
      objects: Array.isArray(count) ? count.length : 0,
    });
    return { ...response, headers: { ...headers, ...response.headers } };
  };

  return {
    handle,
    state: (): BrazeEmulatorState => ({ users: Object.fromEntries(users), requests }),
    reset() {
      users = new Map();
      requests = [];
      windows = { track: new Window(config.trackLimit), delete: new Window(config.deleteLimit) };
    },
  };
}

/** The Braze emulator, served by `weft sandbox` and used by the contract suite. */
export const brazeEmulator: EmulatorDefinition<BrazeEmulatorOptions> = {
  name: 'braze',
  envVar: 'WEFT_SANDBOX_BRAZE_URL',
  create: createBrazeEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'braze',
    api_key: options.apiKey ?? DEFAULTS.apiKey,
    base_url: baseUrl,
  }),
};
