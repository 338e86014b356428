/**
 * Local emulator of HubSpot's CRM v3 API for `weft sandbox` and tests: contacts, companies and
 * custom objects with ids and property schemas; batch upsert/update/read/archive (at most 100
 * inputs, 207 with per-record errors tied by objectWriteTraceId); gdpr-delete; manual lists;
 * Bearer auth (401 as HubSpot answers it); the account's rolling ten-second window and daily
 * allowance with `X-HubSpot-RateLimit-*` headers and 429 bodies naming the policy. Faults (5xx,
 * resets, extra 429s) come from the sandbox framework.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import { errorAnswer } from './emulator/answers.js';
import { AccountLimits, type HubspotLimitOptions } from './emulator/limits.js';
import { addAndRemove, createList, memberships } from './emulator/lists.js';
import { archiveRecords, gdprDelete, readRecords, writeRecords } from './emulator/objects.js';
import type { EmulatedProperty } from './emulator/schema.js';
import { HubspotStore } from './emulator/store.js';

/** Emulator options (all optional; tests shrink the limits). */
export interface HubspotEmulatorOptions {
  /** Bearer tokens it accepts. */
  tokens: string[];
  /** The portal id it reports in settings. */
  portalId: string;
  /** Most inputs per batch request (HubSpot: 100). */
  maxBatch: number;
  /** Rolling window and daily allowance (default: Professional, 190 per 10 s, 650k a day). */
  limits: HubspotLimitOptions;
  /** Refuse malformed emails, as HubSpot does (default true; off for tests with made-up addresses). */
  validateEmails: boolean;
  /** Custom object names (each gets name, external_id (unique) and a status enumeration). */
  customObjects: string[];
  /** Extra properties per object name. */
  properties: Record<string, EmulatedProperty[]>;
  /** Lists that exist from the start (default: manual contact list 1 "VIP customers"). */
  lists: Array<{
    listId?: string;
    name: string;
    objectTypeId?: string;
    processingType?: 'MANUAL' | 'DYNAMIC';
  }>;
}

/** One request the emulator answered (kept for tests: sizes and payloads). */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** Number of batch inputs (batch endpoints). */
  inputs?: number;
}

/** GET /__sandbox/state → state. */
export interface HubspotEmulatorState {
  /** Object name → record id → properties (empty with `?records=false`; see counts). */
  records: Record<string, Record<string, Record<string, string>>>;
  counts: Record<string, number>;
  /** List id → name, processing type and member record ids. */
  lists: Record<string, { name: string; processingType: string; members: string[] }>;
  requests: LoggedRequest[];
  /** Body of the last request per path (payload checks). */
  lastBodies: Record<string, unknown>;
  /** 429s answered per policy, requests counted today, busiest rolling window. */
  rateLimited: { TEN_SECONDLY_ROLLING: number; DAILY: number };
  dailyUsed: number;
  peakWindow: number;
}

const DEFAULTS: HubspotEmulatorOptions = {
  tokens: ['sandbox-token'],
  portalId: '12345678',
  maxBatch: 100,
  limits: { max: 190, intervalMs: 10_000, daily: 650_000 },
  validateEmails: true,
  customObjects: [],
  properties: {},
  lists: [{ listId: '1', name: 'VIP customers' }],
};

const AUTH_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

function bearer(request: EmulatorRequest): string | undefined {
  const value = request.headers.authorization;
  const header = Array.isArray(value) ? value[0] : value;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function createHubspotEmulator(partial: Partial<HubspotEmulatorOptions>) {
  const config = { ...DEFAULTS, ...partial, limits: { ...DEFAULTS.limits, ...partial.limits } };
  const fresh = () => new HubspotStore(config.customObjects, config.properties, config.lists);
  let store = fresh();
  let limits = new AccountLimits(config.limits);
  let requests: LoggedRequest[] = [];
  let lastBodies: Record<string, unknown> = {};

  const route = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const body = (request.json() ?? {}) as Record<string, unknown>;
    lastBodies[`${request.method} ${request.path}`] = body;
    const inputs = Array.isArray(body.inputs) ? (body.inputs as Record<string, unknown>[]) : undefined;
    const properties = /^\/crm\/v3\/properties\/([^/]+)$/.exec(request.path);
    if (properties && request.method === 'GET') {
      const object = store.object(decodeURIComponent(properties[1] as string));
      if (!object)
        return errorAnswer(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${properties[1]}`);
      return { status: 200, body: { results: object.schema } };
    }
    const objects = /^\/crm\/v3\/objects\/([^/]+)\/(batch\/(?:upsert|update|read|archive)|gdpr-delete)$/.exec(
      request.path,
    );
    if (objects && request.method === 'POST') {
      const object = store.object(decodeURIComponent(objects[1] as string));
      if (!object)
        return errorAnswer(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${objects[1]}`);
      const action = objects[2] as string;
      if (action === 'gdpr-delete') return gdprDelete(object, store, body);
      if (!inputs) return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: expected {"inputs":[…]}');
      if (inputs.length > config.maxBatch) {
        return errorAnswer(
          400,
          'VALIDATION_ERROR',
          `Batch input size ${inputs.length} exceeds the limit of ${config.maxBatch} inputs.`,
        );
      }
      if (action === 'batch/read')
        return readRecords(object, store, { ...body, inputs } as Parameters<typeof readRecords>[2]);
      if (action === 'batch/archive') return archiveRecords(object, store, inputs);
      return writeRecords(store, object, inputs, action === 'batch/upsert', tools, config);
    }
    if (request.path === '/crm/v3/lists' && request.method === 'POST') return createList(store, body);
    const list = /^\/crm\/v3\/lists\/([^/]+)\/memberships(\/add-and-remove)?$/.exec(request.path);
    if (list && request.method === 'PUT' && list[2])
      return addAndRemove(store, decodeURIComponent(list[1] as string), body);
    if (list && request.method === 'GET' && !list[2])
      return memberships(store, decodeURIComponent(list[1] as string));
    return errorAnswer(404, 'OBJECT_NOT_FOUND', `No route for ${request.method} ${request.path}`);
  };

  const handle = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const token = bearer(request);
    let response: EmulatorResponse;
    if (!token || !config.tokens.includes(token)) {
      response = errorAnswer(401, 'INVALID_AUTHENTICATION', AUTH_MESSAGE);
    } else {
      const admitted = limits.admit();
      if (!admitted.ok) response = admitted.response;
      else {
        response = route(request, tools);
        response.headers = { ...response.headers, ...admitted.headers };
      }
    }
    const inputs = (request.json() as { inputs?: unknown[] } | undefined)?.inputs;
    requests.push({
      method: request.method,
      path: request.path,
      status: response.status,
      at: Date.now(),
      ...(Array.isArray(inputs) && { inputs: inputs.length }),
    });
    return response;
  };

  return {
    handle,
    state: (query?: URLSearchParams): HubspotEmulatorState => {
      const withRecords = query?.get('records') !== 'false';
      const objects = [...store.objects.values()];
      return {
        records: withRecords
          ? Object.fromEntries(
              objects.map((o) => [
                o.name,
                Object.fromEntries([...o.records].map(([id, r]) => [id, r.properties])),
              ]),
            )
          : {},
        counts: Object.fromEntries(objects.map((o) => [o.name, o.records.size])),
        lists: Object.fromEntries(
          [...store.lists].map(([id, l]) => [
            id,
            { name: l.name, processingType: l.processingType, members: [...l.members] },
          ]),
        ),
        requests: withRecords ? requests : [],
        lastBodies: withRecords ? lastBodies : {},
        rateLimited: { ...limits.refused },
        dailyUsed: limits.dailyUsed,
        peakWindow: limits.peakWindow,
      };
    },
    reset() {
      store = fresh();
      limits = new AccountLimits(config.limits);
      requests = [];
      lastBodies = {};
    },
  };
}

/** The HubSpot emulator, served by `weft sandbox` and used by the contract suite. */
export const hubspotEmulator: EmulatorDefinition<HubspotEmulatorOptions> = {
  name: 'hubspot',
  envVar: 'WEFT_SANDBOX_HUBSPOT_URL',
  create: createHubspotEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'hubspot',
    access_token: options.tokens?.[0] ?? DEFAULTS.tokens[0],
    base_url: baseUrl,
    portal_id: options.portalId ?? DEFAULTS.portalId,
    tier: 'professional',
  }),
};
