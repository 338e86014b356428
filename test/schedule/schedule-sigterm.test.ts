/**
 * SIGTERM mid-run of a long-running `weft schedule`: in-flight batches settle, the run is
 * committed `partial`, the process exits 0, and nothing is half-committed: the snapshot holds
 * exactly what the destination acknowledged, and the next start sends exactly the remainder.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { spawnWeft } from '../sync/cli-project.js';
import { createScheduleProject, query, RAW, writePeople } from './project.js';

const ROWS = 2000;
const BATCH = 50;

describe('weft schedule on SIGTERM', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const held = () => Object.keys(emulator.snapshot().state.records[RAW] ?? {}).length;
  const rowsSent = () =>
    emulator
      .snapshot()
      .state.batches.filter((b) => b.sync === RAW)
      .reduce((sum, b) => sum + b.rows, 0);

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: BATCH } });
    dir = createScheduleProject({ ...emulator.settings, batch_size: BATCH, concurrency: 2 });
    await writePeople(dir, ROWS);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops gracefully, commits the run partial, and the next start sends exactly the rest', async () => {
    emulator.injectFaults({ fail: [{ kind: 'slow', delayMs: 60, count: 10_000 }] });
    const scheduler = spawnWeft(['schedule', RAW, '--json'], dir);
    const batchesSeen = () => emulator.snapshot().state.batches.filter((b) => b.sync === RAW).length;
    await until(() => batchesSeen() >= 4);
    scheduler.child.kill('SIGTERM');
    const stopped = await scheduler.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toBe(''); // --json, stderr not a terminal (the human run below says it)
    const [line] = stopped.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(line).toMatchObject({ sync: RAW, status: 'partial' });
    expect(line.error).toMatch(/^stopped/);

    const acknowledged = held();
    expect(acknowledged).toBeGreaterThan(0);
    expect(acknowledged).toBeLessThan(ROWS);
    expect(line.succeeded).toBe(acknowledged);
    // Nothing half-committed: the run row is final and the snapshot is exactly what was acknowledged.
    const runs = await query(dir, `SELECT status, succeeded FROM weft_state.sync_runs WHERE sync = '${RAW}'`);
    expect(runs).toEqual([{ status: 'partial', succeeded: acknowledged }]);
    const snapshot = await query(dir, `SELECT count(*) AS n FROM weft_state.snapshot_${RAW}`);
    expect(snapshot).toEqual([{ n: acknowledged }]);
    // The stopped slot is still due; its state says how the run ended.
    const state = await query(dir, `SELECT last_status, last_due_at FROM weft_state.schedule_state`);
    expect(state).toEqual([{ last_status: 'partial', last_due_at: null }]);

    emulator.injectFaults({ clear: true });
    const sentBefore = rowsSent();
    const next = await spawnWeft(['schedule', RAW, '--once', '--json'], dir).done;
    expect(next.code, next.stderr).toBe(0);
    const [rest] = next.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rest).toMatchObject({ sync: RAW, status: 'success', added: ROWS - acknowledged, changed: 0 });
    expect(rowsSent() - sentBefore).toBe(ROWS - acknowledged);
    expect(held()).toBe(ROWS);
  }, 60_000);

  it('a second signal exits at once, and the next start still converges', async () => {
    const other = createScheduleProject({ ...emulator.settings, batch_size: BATCH, concurrency: 2 });
    try {
      await writePeople(other, ROWS);
      emulator.reset();
      emulator.injectFaults({ fail: [{ kind: 'slow', delayMs: 60, count: 10_000 }] });
      const scheduler = spawnWeft(['schedule', RAW], other);
      let stderr = '';
      scheduler.child.stderr?.on('data', (d) => {
        stderr += d;
      });
      await until(() => emulator.snapshot().state.batches.length >= 4);
      scheduler.child.kill('SIGTERM');
      await until(() => stderr.includes('finishing in-flight'));
      scheduler.child.kill('SIGTERM');
      const killed = await scheduler.done;
      expect(killed.code).toBe(143);
      expect(killed.stderr).toContain('SIGTERM again: exiting now');
      emulator.injectFaults({ clear: true });
      const next = await spawnWeft(['schedule', RAW, '--once', '--json'], other).done;
      expect(next.code, next.stderr).toBe(0);
      expect(held()).toBe(ROWS);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
