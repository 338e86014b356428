import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { webhook } from '../../destinations/webhook/index.js';
import { buildBatch, resultsFromAnswer } from '../../destinations/webhook/payload.js';
import { signPayload, verifySignature } from '../../destinations/webhook/signature.js';
import {
  createDestinationContext,
  DestinationError,
  type DestinationRecord,
  invokePrimitive,
  parseSettings,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { capturingLogger } from '../destination-kit/harness.js';

const records: DestinationRecord[] = [
  { key: 'a', op: 'added', fields: { email: 'a@x.com' } },
  { key: 'b', op: 'changed', fields: { email: 'b@x.com' } },
];

describe('signature', () => {
  it('verifies HMAC(secret, timestamp.body) and refuses tampering, wrong secrets and stale timestamps', () => {
    const now = Date.now();
    const ts = String(Math.floor(now / 1000));
    const signature = signPayload('secret-1', ts, '{"a":1}');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('secret-1', ts, signature, '{"a":1}', 300, now)).toBeUndefined();
    expect(verifySignature('secret-1', ts, signature, '{"a":2}', 300, now)).toBe('signature mismatch');
    expect(verifySignature('secret-2', ts, signature, '{"a":1}', 300, now)).toBe('signature mismatch');
    expect(verifySignature('secret-1', ts, signature, '{"a":1}', 300, now + 301_000)).toMatch(/tolerance/);
    expect(verifySignature('secret-1', undefined, signature, '{"a":1}')).toMatch(/missing/);
  });
});

describe('payload', () => {
  it('keeps idempotency keys and batch ids stable for the same rows, and sends null data for deletes', () => {
    const first = buildBatch('s', 'run1', 'upsert', records);
    const again = buildBatch('s', 'run1', 'upsert', records);
    expect(again).toEqual(first);
    expect(first.rows.map((row) => row.op)).toEqual(['upsert', 'upsert']);
    const changed = buildBatch('s', 'run1', 'upsert', [{ ...records[0]!, fields: { email: 'new@x.com' } }]);
    expect(changed.rows[0]?.idempotency_key).not.toBe(first.rows[0]?.idempotency_key);
    const deletes = buildBatch('s', 'run1', 'delete', records);
    expect(deletes.rows.every((row) => row.op === 'delete' && row.data === null)).toBe(true);
  });

  it('maps per-row results by key; a row missing from the answer is retryable, never ok', () => {
    expect(resultsFromAnswer(records, { ok: true })).toEqual([{ status: 'ok' }, { status: 'ok' }]);
    expect(
      resultsFromAnswer(records, {
        results: [
          { key: 'b', ok: false, error: 'no' },
          { key: 'a', ok: true },
        ],
      }),
    ).toEqual([{ status: 'ok' }, { status: 'rejected', reason: 'no' }]);
    const missing = resultsFromAnswer(records, { results: [{ key: 'a', ok: true }] });
    expect(missing[1]?.status).toBe('retryable');
  });
});

describe('webhook against its emulator', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const start = async (options: Record<string, unknown> = {}) => {
    emulator = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator, { options });
  };
  const context = (extra: Record<string, unknown> = {}) =>
    createDestinationContext(webhook, parseSettings(webhook, { ...emulator.settings, ...extra }), {
      syncName: 'hooks',
      runId: 'r1',
      mode: 'mirror',
      logger: capturingLogger(),
    });
  beforeEach(() => start());
  afterEach(() => emulator.close());

  it('sends extra headers and passes testConnection', async () => {
    await expect(
      webhook.testConnection?.(context({ headers: { 'x-tenant': 'acme' } })),
    ).resolves.toBeUndefined();
    expect(emulator.snapshot().state.batches).toHaveLength(1);
  });

  it('surfaces a whole-batch 422 (receiver without per-row results) as a record error for the runner to split', async () => {
    await emulator.close();
    await start({ results: 'never' });
    emulator.injectFaults({ reject: [{ field: 'email', equals: 'b@x.com' }] });
    const error = await invokePrimitive(webhook, 'upsert', context(), records).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationError);
    expect((error as DestinationError).kind).toBe('record');
    expect(emulator.snapshot().state.records.hooks ?? {}).toEqual({});
    expect(await invokePrimitive(webhook, 'upsert', context(), records.slice(0, 1))).toEqual([
      { status: 'ok' },
    ]);
  });

  it('classifies a 413 on an oversized batch as a record error', async () => {
    await emulator.close();
    await start({ maxRows: 1 });
    const error = await invokePrimitive(webhook, 'upsert', context(), records).catch((e: unknown) => e);
    expect([(error as DestinationError).kind, (error as DestinationError).status]).toEqual(['record', 413]);
    expect(emulator.snapshot().state.maxBatchRows).toBe(2);
  });

  it('can keep digests only, and leave records out of the state endpoint', async () => {
    await emulator.close();
    await start({ store: 'digest' });
    await invokePrimitive(webhook, 'upsert', context(), records);
    const expected = buildBatch('hooks', 'any-run', 'upsert', records).rows[0]?.idempotency_key;
    expect(emulator.snapshot().state.records.hooks?.a).toEqual({ idempotency_key: expected });
    const response = await fetch(`${emulator.url}/__sandbox/state?records=false`);
    const body = (await response.json()) as { state: WebhookEmulatorState };
    expect(body.state.records).toEqual({});
    expect(body.state.counts).toEqual({ hooks: 2 });
  });

  it('holds exactly the upserted minus the deleted rows', async () => {
    await invokePrimitive(webhook, 'upsert', context(), records);
    await invokePrimitive(webhook, 'remove', context(), [{ key: 'a', op: 'removed', fields: {} }]);
    expect(emulator.snapshot().state.records).toEqual({ hooks: { b: { email: 'b@x.com' } } });
  });
});
