/**
 * Braze: per-index errors reject exactly those rows, a message other than "success" fails the
 * whole request, 75 objects per /users/track, deletes in chunks of 50, and the X-RateLimit-*
 * headers (through runSync: a tight window slows the run instead of failing it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrazeEmulatorOptions } from '../../destinations/braze/emulator.js';
import { braze } from '../../destinations/braze/index.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { DestinationError, type DestinationRecord } from '../../src/destination-kit/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, syncConfig } from '../sync/helpers.js';
import { type BrazeEmulator, brazeContext, startBraze } from './braze-harness.js';

const users = (n: number, from = 0): DestinationRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `u${from + i}`,
    op: 'added' as const,
    fields: { external_id: `u${from + i}`, email: `u${from + i}@example.com` },
  }));

async function failure(promise: Promise<unknown>): Promise<DestinationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DestinationError);
  return error as DestinationError;
}

describe('braze connector', () => {
  let emulator: BrazeEmulator;
  afterEach(async () => {
    await emulator?.close();
  });
  const track = (records: DestinationRecord[]) =>
    braze.upsert?.(brazeContext(emulator), records) ?? Promise.reject(new Error('no upsert'));

  it('rejects exactly the objects Braze names by index, with its error type', async () => {
    emulator = await startBraze();
    emulator.injectFaults({
      reject: [{ field: 'email', matches: '^u(2|5)@', reason: 'Invalid email address' }],
    });
    const results = await track(users(7));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'rejected', 'ok', 'ok', 'rejected', 'ok']);
    expect(results[2]).toEqual({ status: 'rejected', reason: 'Braze: Invalid email address' });
    expect(Object.keys(emulator.snapshot().state.users)).toEqual(['u0', 'u1', 'u3', 'u4', 'u6']);
  });

  it('fails the whole request on any message other than "success", counting nothing delivered', async () => {
    emulator = await startBraze({ trackMessage: 'queued for later' });
    const error = await failure(track(users(3)));
    expect([error.kind, error.message]).toEqual([
      'retryable',
      'Braze did not accept the request (HTTP 201): queued for later',
    ]);
    expect(emulator.snapshot().state.users).toEqual({});
  });

  it("reports a fatal 400 with Braze's message as a bad batch (the runner splits it)", async () => {
    emulator = await startBraze();
    emulator.injectFaults({
      fail: [{ kind: 'status', status: 400, body: { message: "'attributes' must be an array" } }],
    });
    const error = await failure(track(users(2)));
    expect([error.kind, error.message]).toEqual(['record', "Braze 400: 'attributes' must be an array"]);
  });

  it('takes 75 objects per request and refuses 76 without sending part of them', async () => {
    emulator = await startBraze();
    expect(braze.capabilities.batch.maxRecords).toBe(75);
    expect((await track(users(75))).every((r) => r.status === 'ok')).toBe(true);
    expect((await failure(track(users(76, 100)))).kind).toBe('record');
    expect(emulator.snapshot().state.requests.map((r) => [r.objects, r.status])).toEqual([
      [75, 201],
      [76, 400],
    ]);
    expect(Object.keys(emulator.snapshot().state.users)).toHaveLength(75);
  });

  it('reads X-RateLimit-Reset on a 429 as the wait', async () => {
    emulator = await startBraze({ trackLimit: { requests: 1, perMs: 3_000 } });
    await track(users(1));
    const error = await failure(track(users(1, 1)));
    expect(error.kind).toBe('rate_limit');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(4_000);
  });

  it('deletePerson deletes the user by external_id', async () => {
    emulator = await startBraze();
    await track(users(2));
    await braze.deletePerson?.(brazeContext(emulator), 'u1');
    expect(Object.keys(emulator.snapshot().state.users)).toEqual(['u0']);
  });

  it('deletes 75 users in two /users/delete requests of 50 and 25', async () => {
    emulator = await startBraze();
    await track(users(75));
    const removals = users(75).map((r) => ({ key: r.key, op: 'removed' as const, fields: {} }));
    const results = await braze.remove?.(brazeContext(emulator, 'mirror'), removals);
    expect(results?.every((r) => r.status === 'ok')).toBe(true);
    const deletes = emulator.snapshot().state.requests.filter((r) => r.path === '/users/delete');
    expect(deletes.map((r) => r.objects)).toEqual([50, 25]);
    expect(emulator.snapshot().state.users).toEqual({});
  });
});

describe('braze through runSync', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: BrazeEmulator;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-braze-'));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await emulator?.close();
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setUsers(ids: string[]): Promise<void> {
    await warehouse.load(
      { schema: 'app', name: 'people' },
      [
        { name: 'user_id', type: 'string' },
        { name: 'email', type: 'string' },
      ],
      ids.map((id) => [id, `${id}@example.com`]),
    );
  }
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

  async function project(config: SyncConfig, options: Partial<BrazeEmulatorOptions> = {}): Promise<Project> {
    emulator = await startBraze(options);
    const result = projectWith(dir, {}, [config]);
    result.config.connections = { bz: { ...emulator.settings, type: 'braze' } };
    return result;
  }
  const config = syncConfig({
    name: 'braze_users',
    from: 'app.people',
    connection: 'bz',
    mode: 'mirror',
    key: 'user_id',
    match_on: 'external_id',
    mappings: { external_id: 'user_id', email: 'email' },
  });

  it('sends 75 per request, rejects indexed errors into sync_rejections, and mirrors deletes', async () => {
    const proj = await project(config);
    emulator.injectFaults({
      reject: [{ field: 'email', equals: 'u7@example.com', reason: 'Invalid email address' }],
    });
    await setUsers(ids(160));
    const { summary } = await runSync(proj, warehouse, config);
    expect(summary).toMatchObject({ status: 'partial', added: 160, succeeded: 159, rejected: 1 });
    const tracks = emulator.snapshot().state.requests.filter((r) => r.path === '/users/track');
    expect(tracks.map((r) => r.objects).sort((a, b) => b - a)).toEqual([75, 75, 10]);
    const rows = await warehouse.query<{ key: string; reason: string }>(
      `SELECT key, reason FROM weft_state.sync_rejections WHERE sync = 'braze_users'`,
    );
    expect(rows).toEqual([{ key: 'u7', reason: 'Braze: Invalid email address' }]);
    await setUsers(ids(160).filter((id) => id !== 'u3'));
    const second = await runSync(proj, warehouse, config);
    expect(second.summary).toMatchObject({ removed: 1 });
    expect(Object.keys(emulator.snapshot().state.users)).not.toContain('u3');
    expect(Object.keys(emulator.snapshot().state.users)).toHaveLength(158);
  });

  it('a tight X-RateLimit window slows the run instead of failing it', async () => {
    const proj = await project(config, { trackLimit: { requests: 2, perMs: 1_000 } });
    await setUsers(ids(300));
    const { summary } = await runSync(proj, warehouse, config);
    expect(summary).toMatchObject({ status: 'success', succeeded: 300 });
    const statuses = emulator.snapshot().state.requests.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(Object.keys(emulator.snapshot().state.users)).toHaveLength(300);
  });
});
