/**
 * Meta's official Node SDK (`facebook-nodejs-business-sdk`) drives the Meta emulator through the
 * operations weft's connector makes on a Custom Audience: add users (`POST /{id}/users`, the
 * parameters in a JSON body) and remove them (`DELETE /{id}/users`, which the SDK sends with
 * `payload` and `session` JSON-encoded in the query string), one upload session across batches,
 * `appsecret_proof`, and Graph errors — bad token (190), unknown audience (100), the ad account's
 * throttle (80003 with `X-Business-Use-Case-Usage`) — surfaced as the SDK's FacebookRequestError.
 */
import { createHash, createHmac } from 'node:crypto';
import { CustomAudience, FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MetaEmulatorOptions,
  type MetaEmulatorState,
  metaEmulator,
} from '../../../destinations/meta/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const AUDIENCE = '23850000000000001';
const TOKEN = 'sandbox-meta-token';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

let emulator: RunningEmulator<MetaEmulatorState>;
let graph = '';
const realGraph = Object.getOwnPropertyDescriptor(FacebookAdsApi, 'GRAPH');

/** The SDK's API with its crash reporter off (it would post to graph.facebook.com). */
function api(token = TOKEN): FacebookAdsApi {
  return new FacebookAdsApi(token, 'en_US', false);
}

/** The SDK's rejection: FacebookRequestError with the Graph error body and the headers. */
async function failure(call: Promise<unknown>): Promise<{
  name: string;
  status: number;
  response: { code: number; type: string; message: string; error_subcode?: number; fbtrace_id?: string };
  headers: Record<string, string>;
}> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((error as Error | undefined)?.name).toBe('FacebookRequestError');
  return error as never;
}

function emails(...people: string[]) {
  return { schema: ['EMAIL'], data: people.map((p) => [sha(p)]) };
}

beforeAll(async () => {
  emulator = await startEmulator<MetaEmulatorOptions, MetaEmulatorState>(metaEmulator, {
    options: { appSecret: undefined },
  });
  // The SDK has no base-URL setting: its GRAPH host is a static getter, pointed here at the emulator.
  Object.defineProperty(FacebookAdsApi, 'GRAPH', { get: () => graph, configurable: true });
  graph = emulator.url;
});
afterAll(async () => {
  if (realGraph) Object.defineProperty(FacebookAdsApi, 'GRAPH', realGraph);
  await emulator.close();
});

describe('facebook-nodejs-business-sdk against the Meta emulator', () => {
  it('adds users in a session (POST, JSON body): the answer parses onto the node', async () => {
    const audience = new CustomAudience(AUDIENCE, {}, undefined, api());
    const added = await audience.createUser([], {
      payload: {
        schema: ['EMAIL', 'PHONE'],
        data: [
          [sha('ada@example.com'), sha('15551234567')],
          ['x', ''],
        ],
      },
      session: { session_id: 1001, batch_seq: 1, last_batch_flag: false, estimated_num_total: 3 },
    });
    expect(added._data).toMatchObject({
      audience_id: AUDIENCE,
      session_id: 1001,
      num_received: 2,
      num_invalid_entries: 1,
      invalid_entry_samples: { x: 'Invalid format for EMAIL: expected a SHA-256 hash' },
    });
    const next = await audience.createUser([], {
      payload: emails('bob@example.com'),
      session: { session_id: 1001, batch_seq: 2, last_batch_flag: true, estimated_num_total: 3 },
    });
    expect(next._data).toMatchObject({ num_received: 1, num_invalid_entries: 0 });
    const session = emulator.snapshot().state.sessions.find((s) => s.session_id === '1001');
    expect(session).toMatchObject({ batches: [1, 2], last_batch_flag: true, num_received: 3 });
    expect(emulator.snapshot().state.audiences[AUDIENCE]?.count).toBe(2);
  });

  it('removes users (DELETE with payload and session in the query string)', async () => {
    const audience = new CustomAudience(AUDIENCE, {}, undefined, api());
    const removed = await audience.deleteUsers({
      payload: emails('bob@example.com'),
      session: { session_id: 2002, batch_seq: 1, last_batch_flag: true, estimated_num_total: 1 },
    });
    expect(removed).toMatchObject({ audience_id: AUDIENCE, session_id: 2002, num_received: 1 });
    const state = emulator.snapshot().state;
    expect(state.audiences[AUDIENCE]?.count).toBe(1);
    const last = state.requests.at(-1);
    expect(last).toMatchObject({ method: 'DELETE', status: 200, rows: 1, schema: ['EMAIL'] });
  });

  it('reads the audience node', async () => {
    const audience = new CustomAudience(AUDIENCE, {}, undefined, api());
    const read = await audience.get(['id', 'approximate_count_lower_bound']);
    expect(read._data).toMatchObject({ id: AUDIENCE, approximate_count_lower_bound: 1, subtype: 'CUSTOM' });
  });

  it('errors: bad token (190), unknown audience (100), over 10,000 rows, as FacebookRequestError', async () => {
    const denied = await failure(
      new CustomAudience(AUDIENCE, {}, undefined, api('wrong-token')).createUser([], {
        payload: emails('ada@example.com'),
      }),
    );
    expect(denied.status).toBe(400);
    expect(denied.response).toMatchObject({ code: 190, type: 'OAuthException', error_subcode: 463 });
    expect(denied.response.fbtrace_id).toBeTypeOf('string');

    const unknown = await failure(
      new CustomAudience('999', {}, undefined, api()).deleteUsers({ payload: emails('ada@example.com') }),
    );
    expect(unknown.response).toMatchObject({ code: 100, error_subcode: 33 });
    expect(unknown.response.message).toMatch(/Object with ID '999' does not exist/);

    const tooMany = await failure(
      new CustomAudience(AUDIENCE, {}, undefined, api()).createUser([], {
        payload: { schema: ['EXTERN_ID'], data: Array.from({ length: 10_001 }, (_, i) => [`e${i}`]) },
      }),
    );
    expect(tooMany.response.code).toBe(100);
    expect(tooMany.response.message).toMatch(/exceeds the limit of 10000/);
  });
});

describe('facebook-nodejs-business-sdk with an app secret and a call budget', () => {
  it('appsecret_proof is checked on POST and DELETE; the throttle (80003) carries the usage header', async () => {
    const secured = await startEmulator<MetaEmulatorOptions, MetaEmulatorState>(metaEmulator, {
      options: { appSecret: 's3cret', budget: { calls: 2, perMs: 60_000, regainMinutes: 7 } },
    });
    graph = secured.url;
    try {
      const audience = new CustomAudience(AUDIENCE, {}, undefined, api());
      const proof = createHmac('sha256', 's3cret').update(TOKEN).digest('hex');
      const missing = await failure(audience.createUser([], { payload: emails('ada@example.com') }));
      expect(missing.response.message).toMatch(/appsecret_proof/);
      await audience.createUser([], { payload: emails('ada@example.com'), appsecret_proof: proof });
      await audience.deleteUsers({ payload: emails('ada@example.com'), appsecret_proof: proof });
      expect(secured.snapshot().state.audiences[AUDIENCE]?.count).toBe(0);

      const throttled = await failure(
        audience.createUser([], { payload: emails('ada@example.com'), appsecret_proof: proof }),
      );
      expect(throttled.response).toMatchObject({ code: 80003, error_subcode: 2446079 });
      const usage = JSON.parse(throttled.headers['x-business-use-case-usage'] ?? '{}');
      expect(Object.values(usage).flat()).toEqual([
        expect.objectContaining({ type: 'custom_audience', estimated_time_to_regain_access: 7 }),
      ]);
    } finally {
      graph = emulator.url;
      await secured.close();
    }
  });
});
