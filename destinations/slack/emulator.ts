/**
 * Local emulator of Slack incoming webhooks: `POST /services/T…/B…/<token>` with `{text, blocks?}`
 * answers 200 `ok` and keeps the message. Errors are Slack's plain words: 400 `invalid_payload`
 * (not JSON, bad types, or a message matching the sandbox reject rules) and `no_text`; 403
 * `invalid_token` (wrong token); 404 `no_service` (not a webhook path), `channel_not_found` and
 * 410 `channel_is_archived` (when configured). About one message per second per webhook: past
 * that, 429 with Retry-After (seconds) and body `rate_limited`.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';

/** Emulator options. */
export interface SlackEmulatorOptions {
  /** The token (last path segment) the webhooks accept. */
  token: string;
  /** Answer 410 channel_is_archived to every valid request. */
  archived: boolean;
  /** Answer 404 channel_not_found to every valid request. */
  channelNotFound: boolean;
  /** Messages allowed per webhook in any rolling window; null: no limit. Default 1 per 1000 ms. */
  rateLimit: { requests: number; perMs: number } | null;
}

/** One message Slack accepted. */
export interface SlackMessageRecord {
  /** Team and bot ids of the webhook (`T…/B…`), never the token. */
  hook: string;
  text: string;
  blocks?: unknown[];
  /** Arrival time (ms since epoch). */
  receivedAt: number;
}

/** The emulator's state (GET /__sandbox/state → state). */
export interface SlackEmulatorState {
  messages: SlackMessageRecord[];
  /** Answers by status word: ok, invalid_payload, no_text, rate_limited, … */
  answers: Record<string, number>;
}

const DEFAULTS: SlackEmulatorOptions = {
  token: 'weftSandboxToken0001',
  archived: false,
  channelNotFound: false,
  rateLimit: { requests: 1, perMs: 1000 },
};

const HOOK_PATH = /^\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\/([A-Za-z0-9]+)$/;

/** The word for a payload Slack would refuse, or undefined when it is a message. */
function payloadProblem(body: unknown): 'invalid_payload' | 'no_text' | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'invalid_payload';
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  if (text !== undefined && typeof text !== 'string') return 'invalid_payload';
  if (blocks !== undefined && !Array.isArray(blocks)) return 'invalid_payload';
  if ((text === undefined || text.trim() === '') && (blocks === undefined || blocks.length === 0))
    return 'no_text';
  return undefined;
}

function createSlackEmulator(options: Partial<SlackEmulatorOptions>) {
  const config = { ...DEFAULTS, ...options };
  let messages: SlackMessageRecord[] = [];
  let answers: Record<string, number> = {};
  /** Accepted arrival times per webhook, for the rolling-window limit. */
  let arrivals = new Map<string, number[]>();

  const answer = (status: number, word: string, headers?: Record<string, string>): EmulatorResponse => {
    answers[word] = (answers[word] ?? 0) + 1;
    return { status, body: word, headers: { 'content-type': 'text/plain', ...headers } };
  };

  /** Retry-After seconds when the webhook is over its limit, else records the arrival. */
  const overLimit = (hook: string, now: number): number | undefined => {
    if (config.rateLimit === null) return undefined;
    const { requests, perMs } = config.rateLimit;
    const recent = (arrivals.get(hook) ?? []).filter((time) => time > now - perMs);
    arrivals.set(hook, recent);
    if (recent.length >= requests) return Math.max(1, Math.ceil(((recent[0] ?? now) + perMs - now) / 1000));
    recent.push(now);
    return undefined;
  };

  const handle = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    const match = HOOK_PATH.exec(request.path);
    if (request.method !== 'POST' || !match) return answer(404, 'no_service');
    if (match[3] !== config.token) return answer(403, 'invalid_token');
    const hook = `${match[1]}/${match[2]}`;
    const now = Date.now();
    const wait = overLimit(hook, now);
    if (wait !== undefined) return answer(429, 'rate_limited', { 'retry-after': String(wait) });
    if (config.channelNotFound) return answer(404, 'channel_not_found');
    if (config.archived) return answer(410, 'channel_is_archived');
    const body = request.json();
    const problem = payloadProblem(body);
    if (problem) return answer(400, problem);
    const message = body as { text?: string; blocks?: unknown[] };
    if (tools.rejection('', message as Record<string, unknown>)) return answer(400, 'invalid_payload');
    messages.push({
      hook,
      text: message.text ?? '',
      ...(message.blocks && { blocks: message.blocks }),
      receivedAt: now,
    });
    return answer(200, 'ok');
  };

  return {
    handle,
    state: (): SlackEmulatorState => ({ messages, answers }),
    reset() {
      messages = [];
      answers = {};
      arrivals = new Map();
    },
  };
}

/** The Slack emulator, served by `weft sandbox` and used by the contract suite. */
export const slackEmulator: EmulatorDefinition<SlackEmulatorOptions> = {
  name: 'slack',
  envVar: 'WEFT_SANDBOX_SLACK_URL',
  create: createSlackEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'slack',
    webhook_url: `${baseUrl}/services/T0SANDBOX/B0SANDBOX/${options.token ?? DEFAULTS.token}`,
    template: 'New VIP: {{first_name}} ({{email}})',
  }),
};
