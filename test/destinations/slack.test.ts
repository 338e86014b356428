/**
 * Slack against its emulator: the contract suite, then pacing under Slack's ~1 message/s and the
 * error words. Slack keeps no keys: the harness reads "what Slack holds" as the last message per
 * row (rows are recognised by the email in the text); a row sent twice posts twice in reality.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackEmulatorState, slackEmulator } from '../../destinations/slack/emulator.js';
import { slack } from '../../destinations/slack/index.js';
import {
  createDestinationContext,
  createDestinationQueue,
  DestinationError,
  type DestinationRecord,
  effectiveLimits,
  invokePrimitive,
  parseSettings,
  type SyncMode,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';

const TEMPLATE = 'New VIP: {{first_name}} ({{email}}), score {{score}}';

/** The row key of a message: defaultFields(i) and the rejection fields carry i in the email. */
function keyOf(text: string): string {
  const match = /\((?:user|invalid-)(\d+)/.exec(text);
  return match ? `k${match[1]}` : text;
}

async function slackHarness(): Promise<ContractHarness> {
  // The contract suite checks shapes and faults, not pacing: the 1/s limit is off here.
  const emulator = await startEmulator<unknown, SlackEmulatorState>(slackEmulator, {
    options: { rateLimit: null },
  });
  const settings = { ...emulator.settings, template: TEMPLATE };
  const messages = () => emulator.snapshot().state.messages;
  return {
    settings,
    invalidCredentials: {
      settings: { ...settings, webhook_url: `${emulator.url}/services/T0SANDBOX/B0SANDBOX/revokedToken` },
      kind: 'auth',
    },
    readState: async () => Object.fromEntries(messages().map((m) => [keyOf(m.text), m.text])),
    batchSizes: async () => messages().map(() => 1),
    injectFaults: async (spec) => emulator.injectFaults(spec),
    rejection: {
      prepare: async () =>
        emulator.injectFaults({ reject: [{ field: 'text', matches: 'invalid-', reason: 'bad message' }] }),
      fields: (i) => ({ email: `invalid-${i}`, first_name: 'Bad', score: i }),
    },
    close: () => emulator.close(),
  };
}

runContractSuite('slack', slackHarness);

let running: RunningEmulator<SlackEmulatorState> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) {
  running = await startEmulator<unknown, SlackEmulatorState>(slackEmulator, { options });
  const parsed = parseSettings(slack, { ...running.settings, template: TEMPLATE, ...settings });
  const context = (mode: SyncMode = 'insert') =>
    createDestinationContext(slack, parsed, { syncName: 'vip_alerts', runId: 'r1', mode });
  return { emulator: running, parsed, context };
}

const row = (i: number, fields: Record<string, unknown> = {}): DestinationRecord => ({
  key: `k${i}`,
  op: 'added',
  fields: { first_name: `Ada${i}`, email: `ada${i}@example.com`, score: i, ...fields },
});

async function errorOf(promise: Promise<unknown>): Promise<DestinationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DestinationError);
  return error as DestinationError;
}

describe('slack messages from the template', () => {
  it('renders each row with the mapping helpers and escapes row values for Slack', async () => {
    const { emulator, context } = await start(
      { rateLimit: null },
      {
        template: 'New VIP: {{first_name}} ({{email}}), LTV {{round lifetime_value 2}} <https://crm/x|open>',
      },
    );
    const results = await invokePrimitive(slack, 'insert', context(), [
      row(1, { lifetime_value: 1234.5678 }),
      row(2, { first_name: '<!channel> & co', lifetime_value: null }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(emulator.snapshot().state.messages.map((m) => m.text)).toEqual([
      'New VIP: Ada1 (ada1@example.com), LTV 1234.57 <https://crm/x|open>',
      'New VIP: &lt;!channel&gt; &amp; co (ada2@example.com), LTV  <https://crm/x|open>',
    ]);
  });

  it('without a template sends the mapped text field, with blocks when mapped', async () => {
    const { emulator, context } = await start({ rateLimit: null }, { template: undefined });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*VIP*' } }];
    const results = await invokePrimitive(slack, 'upsert', context('upsert'), [
      { key: 'k1', op: 'changed', fields: { text: 'Ada upgraded', blocks } },
      { key: 'k2', op: 'added', fields: { email: 'x@example.com' } },
    ]);
    expect(results[0]).toEqual({ status: 'ok' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/template/) });
    expect(emulator.snapshot().state.messages).toEqual([
      expect.objectContaining({ hook: 'T0SANDBOX/B0SANDBOX', text: 'Ada upgraded', blocks }),
    ]);
  });

  it('rejects a row whose message would be empty or whose helper fails, without a request', async () => {
    const { emulator, context } = await start({ rateLimit: null }, { template: '{{round first_name 2}}' });
    const results = await invokePrimitive(slack, 'insert', context(), [row(1), row(2, { first_name: null })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: expect.stringMatching(/not a number/) });
    expect(results[1]).toMatchObject({ reason: expect.stringMatching(/empty/) });
    expect(emulator.snapshot().stats.requests).toBe(0);
  });

  it('refuses a template that does not parse, as a settings error', () => {
    expect(() =>
      parseSettings(slack, {
        webhook_url: 'https://hooks.slack.com/services/T1/B1/x',
        template: 'Hi {{#if}}',
      }),
    ).toThrow(/template/);
  });

  it('names its account by a digest of the webhook path, never the URL or its token', () => {
    const account = (url: string) => slack.account?.(parseSettings(slack, { webhook_url: url })) ?? '';
    const a = account('https://hooks.slack.com/services/T1/B1/secretTokenA');
    expect(a).toMatch(/^slack-webhook:hooks\.slack\.com:[0-9a-f]{16}$/);
    expect(a).not.toContain('secretTokenA');
    expect(account('https://hooks.slack.com/services/T1/B1/secretTokenA')).toBe(a);
    expect(account('https://hooks.slack.com/services/T1/B1/secretTokenB')).not.toBe(a);
  });
});

describe('slack pacing', () => {
  it('the emulator enforces ~1 message/s per webhook: two posts at once draw a 429', async () => {
    const { emulator, context } = await start();
    const results = await invokePrimitive(slack, 'insert', context(), [row(1), row(2)]);
    // The first went out; the second waits for a retry instead of failing the sent one.
    expect(results[0]).toEqual({ status: 'ok' });
    expect(results[1]).toMatchObject({ status: 'retryable', retryAfterMs: 1000 });
    expect(emulator.snapshot().state.answers).toEqual({ ok: 1, rate_limited: 1 });
  });

  it('a queue built from the declared limits sends 5 messages without a single 429', async () => {
    const { emulator, parsed, context } = await start();
    // Open the connection first (a cold connect can delay one arrival and bunch it with the next).
    await invokePrimitive(slack, 'insert', context(), [row(0)]);
    emulator.reset();
    const queue = createDestinationQueue(effectiveLimits(slack, parsed));
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => queue.add(() => invokePrimitive(slack, 'insert', context(), [row(i)]))),
    );
    expect(results.flat().map((r) => r?.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(emulator.snapshot().state.answers).toEqual({ ok: 5 });
    expect(emulator.snapshot().state.messages.map((m) => m.text)).toEqual(
      [1, 2, 3, 4, 5].map((i) => `New VIP: Ada${i} (ada${i}@example.com), score ${i}`),
    );
  });
});

describe('slack error words', () => {
  it('invalid_token (403) is an auth error that stops the run', async () => {
    const { emulator } = await start({ rateLimit: null });
    const parsed = parseSettings(slack, {
      webhook_url: `${emulator.url}/services/T0SANDBOX/B0SANDBOX/wrongToken`,
      template: TEMPLATE,
    });
    const ctx = createDestinationContext(slack, parsed, { syncName: 's', runId: 'r', mode: 'insert' });
    const error = await errorOf(invokePrimitive(slack, 'insert', ctx, [row(1)]));
    expect([error.kind, error.code, error.status, error.isFatal]).toEqual([
      'auth',
      'invalid_token',
      403,
      true,
    ]);
    expect(error.message).not.toContain('wrongToken');
  });

  it.each([
    [{ archived: true }, 410, 'channel_is_archived'],
    [{ channelNotFound: true }, 404, 'channel_not_found'],
  ])('%j: a config error that stops the run, rows stay pending', async (options, status, word) => {
    const { emulator, context } = await start({ rateLimit: null, ...options });
    const error = await errorOf(invokePrimitive(slack, 'insert', context(), [row(1)]));
    expect([error.kind, error.code, error.status]).toEqual(['config', word, status]);
    expect(emulator.snapshot().state.messages).toEqual([]);
  });

  it('an unknown webhook path is no_service (404): config', async () => {
    const { emulator } = await start({ rateLimit: null });
    const parsed = parseSettings(slack, {
      webhook_url: `${emulator.url}/services/nothing`,
      template: TEMPLATE,
    });
    const ctx = createDestinationContext(slack, parsed, { syncName: 's', runId: 'r', mode: 'insert' });
    const error = await errorOf(invokePrimitive(slack, 'insert', ctx, [row(1)]));
    expect([error.kind, error.code]).toEqual(['config', 'no_service']);
  });

  it('invalid_payload and no_text (400) reject that row only', async () => {
    const { emulator, context } = await start({ rateLimit: null });
    emulator.injectFaults({ fail: [{ kind: 'status', status: 400, body: 'no_text' }] });
    emulator.injectFaults({ reject: [{ field: 'text', matches: 'Ada2' }] });
    const results = await invokePrimitive(slack, 'insert', context(), [row(1), row(2), row(3)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'ok']);
    expect(results[0]).toMatchObject({ reason: expect.stringMatching(/no_text/) });
    expect(results[1]).toMatchObject({ reason: expect.stringMatching(/invalid_payload/) });
    expect(emulator.snapshot().state.messages).toHaveLength(1);
  });

  it('429 honours Retry-After, 5xx is retryable', async () => {
    const { emulator, context } = await start({ rateLimit: null });
    emulator.injectFaults({
      fail: [
        { kind: 'status', status: 429, retryAfter: '3', body: 'rate_limited' },
        { kind: 'status', status: 503, body: 'service_unavailable' },
      ],
    });
    const limited = await errorOf(invokePrimitive(slack, 'insert', context(), [row(1)]));
    expect([limited.kind, limited.retryAfterMs]).toEqual(['rate_limit', 3000]);
    const unavailable = await errorOf(invokePrimitive(slack, 'insert', context(), [row(1)]));
    expect(unavailable.kind).toBe('retryable');
  });
});

describe('slack emulator', () => {
  it('answers the plain words for payloads Slack refuses', async () => {
    const { emulator } = await start({ rateLimit: null });
    const hook = `${emulator.url}/services/T0SANDBOX/B0SANDBOX/weftSandboxToken0001`;
    const post = async (body: string) => {
      const response = await fetch(hook, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      return `${response.status} ${await response.text()}`;
    };
    expect(await post('not json')).toBe('400 invalid_payload');
    expect(await post('{}')).toBe('400 no_text');
    expect(await post('{"text":"  "}')).toBe('400 no_text');
    expect(await post('{"text":5}')).toBe('400 invalid_payload');
    expect(await post('{"text":"hi","blocks":{}}')).toBe('400 invalid_payload');
    expect(await post('{"blocks":[{"type":"divider"}]}')).toBe('200 ok');
    expect(await post('{"text":"hi"}')).toBe('200 ok');
    expect(emulator.snapshot().state.messages).toHaveLength(2);
  });
});
