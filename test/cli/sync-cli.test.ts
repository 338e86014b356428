/**
 * `weft plan`, `weft sync` and `weft runs` as real processes on a DuckDB file against the webhook
 * emulator: partial failures, invalid keys, the mass-delete guardrail, and concurrent runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  createSyncProject,
  MIRROR_SYNC,
  peopleAt,
  queryProject,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() ?? '{}');

describe('weft plan / sync / runs', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const held = (sync: string) => emulator.snapshot().state.records[sync] ?? {};

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
  });
  beforeEach(() => {
    emulator.reset();
    dir = createSyncProject({ ...emulator.settings, batch_size: 50 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterAll(async () => {
    await emulator.close();
  });

  it('records rejections with reasons, ends partial (exit 1), and retries them next run', async () => {
    await writePeople(dir, peopleAt(200, 1));
    emulator.injectFaults({
      reject: [{ field: 'email', matches: '^p1[0-2]@x$', reason: 'mailbox does not exist' }],
    });
    const first = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(first.code).toBe(1);
    expect(lastJson(first.stdout)).toMatchObject({
      sync: UPSERT_SYNC,
      status: 'partial',
      added: 200,
      succeeded: 197,
      rejected: 3,
    });
    const runs = await weft(['runs', UPSERT_SYNC], dir);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/partial/);
    expect(runs.stdout).toMatch(/3\s+mailbox does not exist/);

    const second = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(lastJson(second.stdout)).toMatchObject({ status: 'partial', added: 3, rejected: 3 });
    const rejections = await queryProject(
      dir,
      'SELECT key, reason, attempts FROM weft_state.sync_rejections ORDER BY key',
    );
    expect(rejections).toEqual(
      ['p10@x', 'p11@x', 'p12@x'].map((key) => ({ key, reason: 'mailbox does not exist', attempts: 2 })),
    );

    emulator.injectFaults({ clear: true });
    const third = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(third.code).toBe(0);
    expect(lastJson(third.stdout)).toMatchObject({ status: 'success', added: 3, succeeded: 3 });
    expect(Object.keys(held(UPSERT_SYNC))).toHaveLength(200);
    expect(await queryProject(dir, 'SELECT * FROM weft_state.sync_rejections')).toEqual([]);
  });

  it('reports null, blank and duplicate keys and never sends them', async () => {
    await writePeople(dir, [
      ...peopleAt(20, 1),
      ['p3@x', 'Duplicate', 1],
      [null, 'No key', 2],
      ['', 'Empty key', 3],
      ['  ', 'Blank key', 4],
    ]);
    const plan = await weft(['plan', UPSERT_SYNC, '--json'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(lastJson(plan.stdout)).toMatchObject({
      sync: UPSERT_SYNC,
      added: 19,
      changed: 0,
      removed: 0,
      unchanged: 0,
      invalid: { null_keys: 3, duplicate_keys: 2 },
    });
    const human = await weft(['plan', UPSERT_SYNC], dir);
    expect(human.stdout).toMatch(/3 rows with a NULL or blank key excluded/);
    const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(lastJson(sync.stdout)).toMatchObject({
      status: 'success',
      succeeded: 19,
      invalid: { null_keys: 3, duplicate_keys: 2 },
    });
    expect(held(UPSERT_SYNC)['p3@x']).toBeUndefined();
    // The receiver holds exactly the 19 good keys (a batch re-sent after a timeout on a loaded
    // machine counts twice in rowsReceived, so count what is held, not what arrived).
    expect(Object.keys(held(UPSERT_SYNC))).toHaveLength(19);
  });

  it('stops a mass delete before sending anything unless --allow-mass-delete', async () => {
    await writePeople(dir, peopleAt(100, 1));
    expect((await weft(['sync', MIRROR_SYNC], dir)).code).toBe(0);
    await writePeople(dir, peopleAt(50, 1));
    const plan = await weft(['plan', MIRROR_SYNC, '--json'], dir);
    expect(plan.code).toBe(1);
    expect(lastJson(plan.stdout)).toMatchObject({
      removed: 50,
      guardrail: { tripped: true, max_delete_pct: 40 },
    });
    const requests = emulator.snapshot().stats.requests;
    const stopped = await weft(['sync', MIRROR_SYNC, '--json'], dir);
    expect(stopped.code).toBe(1);
    expect(lastJson(stopped.stdout)).toMatchObject({ status: 'failed', succeeded: 0 });
    expect(lastJson(stopped.stdout).error).toMatch(/exceeds max_delete_pct 40%/);
    expect(stopped.stderr).toBe(''); // --json, stderr not a terminal
    expect(emulator.snapshot().stats.requests).toBe(requests);
    expect(Object.keys(held(MIRROR_SYNC))).toHaveLength(100);
    const allowed = await weft(['sync', MIRROR_SYNC, '--allow-mass-delete', '--json'], dir);
    expect(lastJson(allowed.stdout)).toMatchObject({ status: 'success', removed: 50, succeeded: 50 });
    expect(Object.keys(held(MIRROR_SYNC))).toHaveLength(50);
  });

  it('refuses a second concurrent run of a sync with "already running"', async () => {
    await writePeople(dir, peopleAt(300, 1));
    // Slow enough that the first run is still pushing while the second starts, even when a
    // loaded machine takes seconds to start the second process.
    emulator.injectFaults({ fail: [{ kind: 'slow', delayMs: 4000, count: 100 }] });
    const first = spawnWeft(['sync', UPSERT_SYNC, '--json'], dir);
    const leaseFile = path.join(dir, '.weft/leases', `${UPSERT_SYNC}.json`);
    for (let i = 0; i < 3000 && !fs.existsSync(leaseFile); i++) await new Promise((r) => setTimeout(r, 10));
    expect(fs.existsSync(leaseFile)).toBe(true);
    const second = await weft(['sync', UPSERT_SYNC], dir);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`sync ${UPSERT_SYNC} is already running \\(run \\d{8}T\\d+Z-[0-9a-f]+, started `),
    );
    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    expect(lastJson(done.stdout)).toMatchObject({ status: 'success', succeeded: 300 });
  });
});
