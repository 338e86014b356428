/**
 * Meta connector details without the runner: error classification by Graph code and the usage
 * header, appsecret_proof, invalid entries Meta counts but does not name, sessions of direct calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { refineMetaError, regainAccessMs } from '../../destinations/meta/errors.js';
import { meta } from '../../destinations/meta/index.js';
import { appsecretProof } from '../../destinations/meta/users.js';
import {
  classifyHttpResponse,
  DestinationError,
  type DestinationRecord,
  invokePrimitive,
} from '../../src/destination-kit/index.js';
import { capturingLogger } from '../destination-kit/harness.js';
import { AUDIENCE, type MetaEmulator, metaContext, startMeta } from './meta-harness.js';

function classify(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ error });
  const info = { status, headers: new Headers(headers), body };
  const generic = classifyHttpResponse(status, info.headers, body) as DestinationError;
  return refineMetaError(info, generic) ?? generic;
}

const adds = (emails: string[]): DestinationRecord[] =>
  emails.map((email, i) => ({ key: `k${i}`, op: 'added', fields: { email } }));

describe('meta errors', () => {
  it('classifies by Graph code: throttling waits for the usage header, 190 auth, 1/2 retried, unknown audience config', () => {
    const usage = JSON.stringify({
      '123': [{ type: 'custom_audience', estimated_time_to_regain_access: 2 }],
    });
    const throttled = classify(
      400,
      { code: 80003, message: 'too many calls' },
      { 'x-business-use-case-usage': usage },
    );
    expect([throttled.kind, throttled.retryAfterMs]).toEqual(['rate_limit', 120_000]);
    for (const code of [4, 17, 613]) expect(classify(400, { code }).kind).toBe('rate_limit');
    const longWait = JSON.stringify({ '123': [{ estimated_time_to_regain_access: 60 }] });
    expect(classify(400, { code: 17 }, { 'x-business-use-case-usage': longWait }).kind).toBe('quota');
    expect(classify(400, { code: 190, message: 'Invalid OAuth access token' }).kind).toBe('auth');
    expect(
      classify(400, { code: 100, message: 'Invalid appsecret_proof provided in the API argument' }).kind,
    ).toBe('auth');
    expect(classify(500, { code: 2, message: 'Service temporarily unavailable' }).kind).toBe('retryable');
    expect(classify(400, { code: 1, message: 'An unknown error occurred' }).kind).toBe('retryable');
    expect(classify(400, { code: 100, error_subcode: 33, message: 'does not exist' }).kind).toBe('config');
    expect(classify(400, { code: 100, message: 'Invalid parameter' }).kind).toBe('record');
    expect(regainAccessMs('not json')).toBeUndefined();
  });
});

describe('meta connector against the emulator', () => {
  let emulator: MetaEmulator;
  afterEach(async () => emulator?.close());

  it('sends appsecret_proof (HMAC-SHA256 of the token, app secret as key); a wrong secret stops as auth', async () => {
    emulator = await startMeta({ appSecret: 'app-secret-1' });
    expect(appsecretProof('tok', 'sec')).toMatch(/^[0-9a-f]{64}$/);
    const ok = await invokePrimitive(meta, 'addMembers', metaContext(emulator), adds(['a@example.com']));
    expect(ok.map((r) => r.status)).toEqual(['ok']);
    const wrong = metaContext(emulator, { settings: { app_secret: 'other-secret' } });
    const error = await invokePrimitive(meta, 'addMembers', wrong, adds(['b@example.com'])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).kind).toBe('auth');
  });

  it('rejects the rows Meta names in its samples; invalid rows it only counts are reported sent and logged', async () => {
    emulator = await startMeta({ maxSamples: 1 });
    emulator.injectFaults({ reject: [{ field: 'EMAIL', matches: '.*', reason: 'Invalid entry' }] });
    const logger = capturingLogger();
    const results = await invokePrimitive(
      meta,
      'addMembers',
      metaContext(emulator, { logger }),
      adds(['x@example.com', 'y@example.com']),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'ok']);
    expect(logger.lines.join('\n')).toMatch(
      /Meta counted invalid entries it did not name.*"num_invalid_entries":2/,
    );
  });

  it('makes a direct call (no runner hint) a whole session: batch_seq 1, last_batch_flag true', async () => {
    emulator = await startMeta();
    await invokePrimitive(meta, 'addMembers', metaContext(emulator), adds(['a@example.com']));
    await invokePrimitive(meta, 'addMembers', metaContext(emulator), adds(['b@example.com']));
    const sessions = emulator.snapshot().state.sessions;
    expect(sessions.map((s) => [s.batches, s.last_batch_flag])).toEqual([
      [[1], true],
      [[1], true],
    ]);
    expect(emulator.snapshot().state.audiences[AUDIENCE]?.count).toBe(2);
  });

  it('refuses batches out of order in the emulator, accepts a replay of the last one', async () => {
    emulator = await startMeta();
    const post = (seq: number, last = false) =>
      fetch(`${emulator.url}/v21.0/${AUDIENCE}/users?access_token=sandbox-meta-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          payload: { schema: ['EXTERN_ID'], data: [[`u${seq}`]] },
          session: { session_id: 42, batch_seq: seq, last_batch_flag: last },
        }),
      }).then((r) => r.status);
    expect(await post(2)).toBe(400);
    expect(await post(1)).toBe(200);
    expect(await post(1)).toBe(200);
    expect(await post(3)).toBe(400);
    expect(await post(2, true)).toBe(200);
    expect(await post(3)).toBe(400);
  });
});
