/**
 * A kill between the last journal merge and the run's status row (issue 18, item 3) must not
 * record a delivered run as failed: the compiled `weft sync` is killed (SIGKILL, through a test
 * hook at exactly that point) after every row was delivered and merged; the next run recovers the
 * journal and records the killed run as `success`, and sends nothing again. A run killed before
 * everything settled is still recorded as failed (test/cli/sync-kill.test.ts).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  createSyncProject,
  peopleAt,
  queryProject,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from '../sync/cli-project.js';

describe('a kill after delivery, before the status row', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
    dir = createSyncProject({ ...emulator.settings });
    await writePeople(dir, peopleAt(6, 1));
    expect((await spawnWeft(['build'], dir).done).code).toBe(0);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records the delivered run as success when its journal is recovered', async () => {
    process.env.WEFT_TEST_KILL_BEFORE_RUN_STATUS = '1';
    let killed: Awaited<ReturnType<typeof spawnWeft>['done']>;
    try {
      killed = await spawnWeft(['sync', UPSERT_SYNC], dir).done;
    } finally {
      delete process.env.WEFT_TEST_KILL_BEFORE_RUN_STATUS;
    }
    expect(killed.signal).toBe('SIGKILL');
    expect(Object.keys(emulator.snapshot().state.records[UPSERT_SYNC] ?? {})).toHaveLength(6);
    const sql = `SELECT run_id, status, error, succeeded FROM weft_state.sync_runs WHERE sync = '${UPSERT_SYNC}' ORDER BY started_at`;
    expect((await queryProject(dir, sql)).map((r) => r.status)).toEqual(['running']);

    const next = await spawnWeft(['sync', UPSERT_SYNC, '--json'], dir).done;
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      status: 'success',
      added: 0,
      changed: 0,
    });
    const runs = await queryProject(dir, sql);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ status: 'success', error: null, succeeded: 6 });
  });
});
