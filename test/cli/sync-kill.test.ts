/**
 * Delivery under kill -9: real `weft sync` processes on a real DuckDB file, killed with SIGKILL
 * at random moments while a webhook emulator injects 429s, 5xx, resets and slow responses; rerun
 * until a run completes. The emulator must then hold exactly the source, with no batch over the
 * limit, and one more run must find nothing to send.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  createSyncProject,
  expectedRecords,
  MIRROR_SYNC,
  type Person,
  peopleAt,
  planCounts,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from '../sync/cli-project.js';

const BATCH = 100;

describe('weft sync survives kill -9 at moments spread over a run', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const held = (sync: string) => emulator.snapshot().state.records[sync] ?? {};
  const batchesOf = (sync: string) => emulator.snapshot().state.batches.filter((b) => b.sync === sync).length;

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: BATCH } });
    dir = createSyncProject({ ...emulator.settings, batch_size: BATCH, concurrency: 4 });
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Faults for the next runs: every request a little slow, plus 429s, 5xx and resets. */
  function injectFaults(): void {
    emulator.injectFaults({
      clear: true,
      fail: [
        { kind: 'status', status: 429, retryAfter: '0' },
        { kind: 'slow', delayMs: 40, count: 6 },
        { kind: 'status', status: 503, count: 2 },
        { kind: 'reset' },
        { kind: 'slow', delayMs: 25, count: 400 },
      ],
    });
  }

  /** Runs `weft sync` until one run completes; the first `killFirst` runs are killed (the first mid-push). */
  async function syncThroughKills(sync: string, killFirst = 3): Promise<number> {
    let kills = 0;
    for (let attempt = 0; attempt < 12; attempt++) {
      const before = batchesOf(sync);
      const run = spawnWeft(['sync', sync, '--json'], dir);
      let timer: NodeJS.Timeout | undefined;
      if (attempt === 0 && killFirst > 0) {
        // Deterministic first kill: as soon as the emulator has seen this run's first batch.
        timer = setInterval(() => {
          if (batchesOf(sync) > before) run.child.kill('SIGKILL');
        }, 2);
      } else if (attempt < killFirst) {
        // Later kills at fixed points spread over a run (fixed, so a failure reproduces).
        timer = setTimeout(() => run.child.kill('SIGKILL'), [0, 350, 800, 1100][attempt % 4] as number);
      }
      const result = await run.done;
      clearInterval(timer);
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') {
        kills++;
        continue;
      }
      const line = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { status?: string };
      if (result.code === 0 && line.status === 'success') return kills;
    }
    throw new Error(`${sync} did not complete in 12 runs`);
  }

  async function expectConverged(sync: string, rows: Person[]): Promise<void> {
    expect(held(sync)).toEqual(expectedRecords(rows));
    const state = emulator.snapshot();
    expect(state.state.maxBatchRows).toBeLessThanOrEqual(BATCH);
    expect(state.stats.statuses['413']).toBeUndefined();
    // The snapshot matches the source: nothing left to send.
    expect(await planCounts(dir, sync)).toMatchObject({
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: rows.length,
    });
  }

  it('upsert: a full load killed repeatedly converges exactly', async () => {
    const rows = peopleAt(2000, 1);
    await writePeople(dir, rows);
    injectFaults();
    expect(await syncThroughKills(UPSERT_SYNC)).toBeGreaterThanOrEqual(1);
    await expectConverged(UPSERT_SYNC, rows);
  });

  it('mirror: deletes, changes and additions killed repeatedly converge exactly', async () => {
    const v1 = peopleAt(2000, 1);
    await writePeople(dir, v1);
    await syncThroughKills(MIRROR_SYNC, 0);
    // 500 removed (25%, under the 40% guardrail), 400 changed, 300 added.
    const v2 = [...peopleAt(1100, 1), ...peopleAt(400, 3, 1500), ...peopleAt(300, 1, 2000)];
    await writePeople(dir, v2);
    injectFaults();
    expect(await syncThroughKills(MIRROR_SYNC)).toBeGreaterThanOrEqual(1);
    await expectConverged(MIRROR_SYNC, v2);
  });
});
