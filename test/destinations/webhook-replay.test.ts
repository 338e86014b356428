/** The reference receiver (the webhook emulator) answers a replayed batch_id without applying it twice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { buildBatch } from '../../destinations/webhook/payload.js';
import { signPayload } from '../../destinations/webhook/signature.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';

const SECRET = 'replay-secret-0001';
let emulator: RunningEmulator<WebhookEmulatorState>;

beforeAll(async () => {
  emulator = await startEmulator(webhookEmulator, { options: { secret: SECRET } });
});
afterAll(async () => {
  await emulator.close();
});

async function post(body: string, timestamp = String(Math.floor(Date.now() / 1000))) {
  const response = await fetch(emulator.settings.url as string, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-weft-timestamp': timestamp,
      'x-weft-signature': signPayload(SECRET, timestamp, body),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe('webhook receiver replays', () => {
  it('applies a batch once; the same batch_id again gets the first answer and changes nothing', async () => {
    const first = buildBatch('s', 'run-1', 'upsert', [{ key: 'a', op: 'added', fields: { n: 1 } }]);
    const body = JSON.stringify(first);
    const answer = await post(body);
    expect(answer).toEqual({ status: 200, body: { results: [{ key: 'a', ok: true }] } });
    // The same batch re-sent (a retry whose answer was lost, or a captured request replayed).
    expect(await post(body)).toEqual(answer);
    const state = emulator.snapshot().state;
    expect(state.replays).toBe(1);
    expect(state.rowsReceived).toBe(1);
    expect(state.batches.map((b) => b.batch_id)).toEqual([first.batch_id]);
    // A different batch is applied as usual.
    const second = buildBatch('s', 'run-1', 'upsert', [{ key: 'a', op: 'changed', fields: { n: 2 } }]);
    expect((await post(JSON.stringify(second))).status).toBe(200);
    expect(emulator.snapshot().state.records.s).toEqual({ a: { n: 2 } });
  });

  it('a batch refused before it was applied (bad signature) is not remembered', async () => {
    const batch = buildBatch('t', 'run-2', 'upsert', [{ key: 'b', op: 'added', fields: { n: 1 } }]);
    const body = JSON.stringify(batch);
    const bad = await fetch(emulator.settings.url as string, {
      method: 'POST',
      headers: { 'x-weft-timestamp': String(Math.floor(Date.now() / 1000)), 'x-weft-signature': 'sha256=00' },
      body,
    });
    expect(bad.status).toBe(401);
    expect((await post(body)).status).toBe(200);
    expect(emulator.snapshot().state.records.t).toEqual({ b: { n: 1 } });
  });
});
