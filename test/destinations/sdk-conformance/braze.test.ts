/**
 * Braze publishes no official Node SDK for its REST API (`@braze/web-sdk` and the mobile SDKs are
 * client-side SDKs that log sessions from a browser or app; they cannot call `/users/track` with a
 * REST key). So the emulator is held here to the shapes of Braze's REST reference with plain
 * `fetch`, nothing of weft's client: `/users/track` answers 201 `{message:"success",
 * attributes_processed}` plus `errors[{type, input_array, index}]` for refused objects;
 * `/users/delete` answers 201 `{deleted, message}`; fatal errors are `{message}`; every answer
 * carries `X-RateLimit-Limit|Remaining|Reset` (the reset in Unix epoch seconds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrazeEmulatorOptions,
  type BrazeEmulatorState,
  brazeEmulator,
} from '../../../destinations/braze/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const KEY = 'sandbox-braze-rest-key-0001';
let emulator: RunningEmulator<BrazeEmulatorState>;

/** A documented REST call: status, rate-limit headers and parsed JSON. */
async function post(path: string, body: unknown, key = KEY, url = emulator.url) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    limit: ['limit', 'remaining', 'reset'].map((h) => response.headers.get(`x-ratelimit-${h}`)),
    json: (await response.json()) as Record<string, unknown>,
  };
}

beforeAll(async () => {
  emulator = await startEmulator<BrazeEmulatorOptions, BrazeEmulatorState>(brazeEmulator);
});
afterAll(() => emulator.close());

describe('the Braze emulator against the documented REST shapes', () => {
  it('/users/track: 201 success with attributes_processed, and errors located by input_array and index', async () => {
    const answer = await post('/users/track', {
      attributes: [
        { external_id: 'u1', email: 'ada@example.com', first_name: 'Ada' },
        { first_name: 'No id' },
      ],
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ message: 'success', attributes_processed: 1 });
    expect(answer.json.errors).toEqual([
      expect.objectContaining({ type: expect.any(String), input_array: 'attributes', index: 1 }),
    ]);
    for (const value of answer.limit) expect(Number(value)).toBeGreaterThanOrEqual(0);
    expect(emulator.snapshot().state.users.u1).toMatchObject({ email: 'ada@example.com' });
  });

  it('/users/delete: 201 with the number deleted', async () => {
    const answer = await post('/users/delete', { external_ids: ['u1', 'never-there'] });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ deleted: 1, message: 'success' });
  });

  it('fatal errors are {message}: too many objects (400), a wrong key (401)', async () => {
    const tooMany = await post('/users/track', {
      attributes: Array.from({ length: 76 }, (_, i) => ({ external_id: `u${i}` })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toMatch(/75/);
    const denied = await post('/users/track', { attributes: [{ external_id: 'x' }] }, 'wrong-key');
    expect(denied.status).toBe(401);
    expect(denied.json.message).toBeTypeOf('string');
  });

  it('past the window: 429 {message} with X-RateLimit-Remaining 0', async () => {
    const tight = await startEmulator<BrazeEmulatorOptions>(brazeEmulator, {
      options: { trackLimit: { requests: 1, perMs: 60_000 } },
    });
    try {
      expect(
        (await post('/users/track', { attributes: [{ external_id: 'a' }] }, KEY, tight.url)).status,
      ).toBe(201);
      const limited = await post('/users/track', { attributes: [{ external_id: 'b' }] }, KEY, tight.url);
      expect(limited.status).toBe(429);
      expect(limited.json.message).toBeTypeOf('string');
      expect(limited.limit[0]).toBe('1');
      expect(limited.limit[1]).toBe('0');
      expect(limited.limit[2]).toMatch(/^\d{10}$/); // Unix epoch seconds, as Braze documents it
    } finally {
      await tight.close();
    }
  });
});
