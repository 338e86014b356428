/**
 * SIGTERM mid-run of `weft sync`: in-flight batches settle, the run is committed `partial` with
 * the reason, and the next run sends exactly the rows that were not acknowledged.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { createScheduleProject, query, RAW, writePeople } from '../schedule/project.js';
import { spawnWeft } from '../sync/cli-project.js';

const ROWS = 1500;
const BATCH = 50;

describe('weft sync on SIGTERM', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const batches = () => emulator.snapshot().state.batches.filter((b) => b.sync === RAW);
  const held = () => Object.keys(emulator.snapshot().state.records[RAW] ?? {}).length;

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: BATCH } });
    dir = createScheduleProject({ ...emulator.settings, batch_size: BATCH, concurrency: 2 });
    await writePeople(dir, ROWS);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the run partial after the in-flight batches, and the next run sends the rest', async () => {
    emulator.injectFaults({ fail: [{ kind: 'slow', delayMs: 60, count: 10_000 }] });
    const run = spawnWeft(['sync', RAW, '--json'], dir);
    const deadline = Date.now() + 30_000;
    while (batches().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(stopped.stderr).toBe(''); // --json, stderr not a terminal: the JSON line says it
    const line = JSON.parse(stopped.stdout.trim().split('\n')[0] as string);
    expect(line).toMatchObject({ sync: RAW, status: 'partial', error: 'stopped: SIGTERM' });
    const acknowledged = held();
    expect(acknowledged).toBeGreaterThan(0);
    expect(acknowledged).toBeLessThan(ROWS);
    expect(line.succeeded).toBe(acknowledged);
    const runs = await query(dir, `SELECT status, succeeded FROM weft_state.sync_runs WHERE sync = '${RAW}'`);
    expect(runs).toEqual([{ status: 'partial', succeeded: acknowledged }]);
    expect(await query(dir, `SELECT count(*) AS n FROM weft_state.snapshot_${RAW}`)).toEqual([
      { n: acknowledged },
    ]);

    emulator.injectFaults({ clear: true });
    const sentBefore = batches().reduce((n, b) => n + b.rows, 0);
    const next = await spawnWeft(['sync', RAW, '--json'], dir).done;
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout.trim())).toMatchObject({ status: 'success', added: ROWS - acknowledged });
    expect(batches().reduce((n, b) => n + b.rows, 0) - sentBefore).toBe(ROWS - acknowledged);
    expect(held()).toBe(ROWS);
  }, 60_000);
});
