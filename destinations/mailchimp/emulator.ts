/**
 * Local emulator of the Mailchimp Marketing API (under `/3.0`): batch subscribe
 * (`POST /lists/{id}`, ≤500 members, 200 with `new_members`, `updated_members` and `errors[]`),
 * member tags, archive (`DELETE …/members/{hash}`), permanent delete, `GET /lists/{id}`, `/ping`.
 * Basic auth with the API key as password; errors are problem+json. Like Mailchimp it allows 10
 * simultaneous connections: the 11th concurrent request gets 429 (each request is held for
 * `latencyMs` so concurrency is real); `state().peakConcurrent` is the most it ever saw at once.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import { Audience, type MailchimpMember, type MemberError, type MemberInput } from './emulator/audience.js';

export type { MailchimpMember, MailchimpTag } from './emulator/audience.js';

/** Emulator options. */
export interface MailchimpEmulatorOptions {
  /** The API key the emulator accepts (its `-sandbox1` suffix does not matter with base_url). */
  apiKey: string;
  /** Audience ids that exist. */
  lists: string[];
  /** Simultaneous requests allowed (Mailchimp: 10). */
  maxConnections: number;
  /** How long each request is held, in ms, so that concurrent requests overlap. */
  latencyMs: number;
  /** Members per batch subscribe (Mailchimp: 500). */
  maxBatch: number;
  /** The audiences' merge fields (Mailchimp's defaults: FNAME, LNAME, ADDRESS, PHONE, BIRTHDAY). */
  mergeFields: Array<{ tag: string; name: string; type: string; options?: { choices?: string[] } }>;
}

/** One request as logged in the state. */
export interface MailchimpRequestLog {
  method: string;
  path: string;
  status: number;
  /** Members in a batch subscribe. */
  members?: number;
}

/** The emulator's state. */
export interface MailchimpEmulatorState {
  /** List id → email → member. */
  members: Record<string, Record<string, MailchimpMember>>;
  requests: MailchimpRequestLog[];
  /** The most requests it held at the same time. */
  peakConcurrent: number;
  /** Requests refused with 429 for exceeding the connection limit. */
  refusedConnections: number;
}

const DEFAULTS: MailchimpEmulatorOptions = {
  apiKey: 'sandboxkey0000000000000000000000-sandbox1',
  lists: ['a1b2c3d4e5'],
  maxConnections: 10,
  latencyMs: 5,
  maxBatch: 500,
  mergeFields: [
    { tag: 'FNAME', name: 'First Name', type: 'text' },
    { tag: 'LNAME', name: 'Last Name', type: 'text' },
    { tag: 'ADDRESS', name: 'Address', type: 'address' },
    { tag: 'PHONE', name: 'Phone Number', type: 'phone' },
    { tag: 'BIRTHDAY', name: 'Birthday', type: 'birthday' },
  ],
};

const ERRORS_DOC = 'https://mailchimp.com/developer/marketing/docs/errors/';

function problem(status: number, title: string, detail: string, instance = ''): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: ERRORS_DOC, title, status, detail, instance },
  };
}

function authorised(request: EmulatorRequest, apiKey: string): boolean {
  const header = String(request.headers.authorization ?? '');
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === apiKey;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function createMailchimpEmulator(options: Partial<MailchimpEmulatorOptions>) {
  const config = { ...DEFAULTS, ...options };
  let audiences = new Map(config.lists.map((id) => [id, new Audience(id)]));
  let requests: MailchimpRequestLog[] = [];
  let inFlight = 0;
  let peakConcurrent = 0;
  let refusedConnections = 0;

  const batchSubscribe = (audience: Audience, request: EmulatorRequest, tools: EmulatorTools) => {
    const body = request.json() as { members?: MemberInput[]; update_existing?: boolean } | undefined;
    const members = body?.members;
    if (!Array.isArray(members))
      return problem(400, 'Invalid Resource', 'The resource submitted could not be validated.');
    if (members.length > config.maxBatch) {
      return problem(
        400,
        'Invalid Resource',
        `You may only submit up to ${config.maxBatch} members at a time.`,
      );
    }
    const created: MailchimpMember[] = [];
    const updated: MailchimpMember[] = [];
    const errors: MemberError[] = [];
    for (const input of members) {
      const outcome = audience.subscribe(input, body?.update_existing === true, tools);
      if ('error' in outcome) errors.push(outcome);
      else (outcome.created ? created : updated).push(outcome.member);
    }
    return {
      status: 200,
      body: {
        new_members: created,
        updated_members: updated,
        errors,
        total_created: created.length,
        total_updated: updated.length,
        error_count: errors.length,
      },
    };
  };

  const route = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const path = request.path.replace(/\/+$/, '');
    if (path === '/3.0/ping') return { status: 200, body: { health_status: "Everything's Chimpy!" } };
    const merge = /^\/3\.0\/lists\/([^/]+)\/merge-fields$/.exec(path);
    if (merge && request.method === 'GET' && audiences.has(merge[1] ?? '')) {
      const fields = config.mergeFields.map((field, i) => ({ merge_id: i + 1, required: false, ...field }));
      return { status: 200, body: { merge_fields: fields, list_id: merge[1], total_items: fields.length } };
    }
    const match =
      /^\/3\.0\/lists\/([^/]+)(?:\/members\/([0-9a-f]{32})(\/tags|\/actions\/delete-permanent)?)?$/.exec(
        path,
      );
    if (!match) return problem(404, 'Resource Not Found', 'The requested resource could not be found.', path);
    const [, listId = '', hash, action] = match;
    const audience = audiences.get(listId);
    if (!audience)
      return problem(404, 'Resource Not Found', 'The requested resource could not be found.', path);
    const missing = () =>
      problem(404, 'Resource Not Found', 'The requested resource could not be found.', path);
    if (hash === undefined) {
      if (request.method === 'GET') return { status: 200, body: { id: listId, name: `Audience ${listId}` } };
      if (request.method === 'POST') return batchSubscribe(audience, request, tools);
    } else if (action === '/tags' && request.method === 'POST') {
      const tags = (request.json() as { tags?: Array<{ name: string; status: string }> } | undefined)?.tags;
      if (!Array.isArray(tags)) return problem(400, 'Invalid Resource', 'tags must be an array');
      return audience.tag(hash, tags) ? { status: 204 } : missing();
    } else if (action === '/actions/delete-permanent' && request.method === 'POST') {
      return audience.erase(hash) ? { status: 204 } : missing();
    } else if (action === undefined && request.method === 'DELETE') {
      return audience.archive(hash) ? { status: 204 } : missing();
    } else if (action === undefined && request.method === 'GET') {
      const member = audience.members.get(hash);
      return member ? { status: 200, body: member } : missing();
    }
    return problem(405, 'Method Not Allowed', `${request.method} is not allowed on ${path}`);
  };

  const handle = async (request: EmulatorRequest, tools: EmulatorTools): Promise<EmulatorResponse> => {
    inFlight++;
    peakConcurrent = Math.max(peakConcurrent, inFlight);
    try {
      let response: EmulatorResponse;
      if (inFlight > config.maxConnections) {
        refusedConnections++;
        response = problem(
          429,
          'Too Many Requests',
          `You have exceeded the limit of ${config.maxConnections} simultaneous connections.`,
        );
      } else {
        await sleep(config.latencyMs);
        response = authorised(request, config.apiKey)
          ? route(request, tools)
          : problem(
              401,
              'API Key Invalid',
              "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            );
      }
      const members = (request.json() as { members?: unknown[] } | undefined)?.members;
      requests.push({
        method: request.method,
        path: request.path,
        status: response.status,
        ...(Array.isArray(members) && { members: members.length }),
      });
      return response;
    } finally {
      inFlight--;
    }
  };

  return {
    handle,
    state: (): MailchimpEmulatorState => ({
      members: Object.fromEntries(
        [...audiences].map(([id, audience]) => [
          id,
          Object.fromEntries([...audience.members.values()].map((m) => [m.email_address.toLowerCase(), m])),
        ]),
      ),
      requests,
      peakConcurrent,
      refusedConnections,
    }),
    reset() {
      audiences = new Map(config.lists.map((id) => [id, new Audience(id)]));
      requests = [];
      peakConcurrent = 0;
      refusedConnections = 0;
    },
  };
}

/** The Mailchimp emulator, served by `weft sandbox` and used by the contract suite. */
export const mailchimpEmulator: EmulatorDefinition<MailchimpEmulatorOptions> = {
  name: 'mailchimp',
  envVar: 'WEFT_SANDBOX_MAILCHIMP_URL',
  create: createMailchimpEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'mailchimp',
    api_key: options.apiKey ?? DEFAULTS.apiKey,
    list_id: options.lists?.[0] ?? DEFAULTS.lists[0],
    base_url: `${baseUrl}/3.0`,
  }),
};
