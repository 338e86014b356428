/**
 * Slack's official incoming-webhook client (`@slack/webhook`) drives the Slack emulator: a text
 * message and a Block Kit message answer `ok`; Slack's plain-word errors (400 `no_text` /
 * `invalid_payload`, 403 `invalid_token`, 404 `channel_not_found`, 410 `channel_is_archived`,
 * 429 `rate_limited` with Retry-After) come back as the SDK's IncomingWebhookHTTPError with the
 * status and the word.
 */
import { IncomingWebhook, IncomingWebhookHTTPError } from '@slack/webhook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SlackEmulatorOptions,
  type SlackEmulatorState,
  slackEmulator,
} from '../../../destinations/slack/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const TOKEN = 'weftSandboxToken0001';
let emulator: RunningEmulator<SlackEmulatorState>;

/** A webhook client for one of the emulator's webhook URLs. */
function hook(bot = 'B0SANDBOX', token = TOKEN, url = emulator.url): IncomingWebhook {
  return new IncomingWebhook(`${url}/services/T0SANDBOX/${bot}/${token}`);
}

/** The SDK's error for a send that must fail. */
async function failure(call: Promise<unknown>): Promise<IncomingWebhookHTTPError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IncomingWebhookHTTPError);
  return error as IncomingWebhookHTTPError;
}

beforeAll(async () => {
  emulator = await startEmulator<SlackEmulatorOptions, SlackEmulatorState>(slackEmulator, {
    options: { rateLimit: { requests: 1, perMs: 60_000 } },
  });
});
afterAll(() => emulator.close());

describe('@slack/webhook against the Slack emulator', () => {
  it('a text message and a blocks message answer ok (one webhook each: ~1 message/s per webhook)', async () => {
    expect(await hook('B0TEXT').send('New VIP: Ada (ada@example.com)')).toEqual({ text: 'ok' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Ada* joined' } }];
    expect(await hook('B0BLOCKS').send({ text: 'fallback', blocks })).toEqual({ text: 'ok' });
    const messages = emulator.snapshot().state.messages;
    expect(messages.map((m) => [m.hook, m.text])).toEqual([
      ['T0SANDBOX/B0TEXT', 'New VIP: Ada (ada@example.com)'],
      ['T0SANDBOX/B0BLOCKS', 'fallback'],
    ]);
    expect(messages[1]?.blocks).toEqual(blocks);
  });

  it('the second message within the window: 429 rate_limited (the SDK’s error carries no headers)', async () => {
    const error = await failure(hook('B0TEXT').send('again'));
    expect(error.statusCode).toBe(429);
    expect(error.body).toBe('rate_limited');
  });

  it('no text (400 no_text), a wrong token (403 invalid_token), as the SDK’s HTTP error', async () => {
    const empty = await failure(hook('B0EMPTY').send({ text: '   ' }));
    expect([empty.statusCode, empty.body]).toEqual([400, 'no_text']);
    const bad = await failure(hook('B0BAD').send({ text: 'x', blocks: 'not-an-array' } as never));
    expect([bad.statusCode, bad.body]).toEqual([400, 'invalid_payload']);
    const denied = await failure(hook('B0DENIED', 'wrongToken').send('x'));
    expect([denied.statusCode, denied.body]).toEqual([403, 'invalid_token']);
  });
});

describe('@slack/webhook and permanent channel errors', () => {
  it('404 channel_not_found and 410 channel_is_archived', async () => {
    const missing = await startEmulator<SlackEmulatorOptions>(slackEmulator, {
      options: { channelNotFound: true },
    });
    const archived = await startEmulator<SlackEmulatorOptions>(slackEmulator, {
      options: { archived: true },
    });
    try {
      const notFound = await failure(hook('B0X', TOKEN, missing.url).send('x'));
      expect([notFound.statusCode, notFound.body]).toEqual([404, 'channel_not_found']);
      const gone = await failure(hook('B0X', TOKEN, archived.url).send('x'));
      expect([gone.statusCode, gone.body]).toEqual([410, 'channel_is_archived']);
    } finally {
      await Promise.all([missing.close(), archived.close()]);
    }
  });
});
