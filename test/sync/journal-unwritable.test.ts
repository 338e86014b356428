/**
 * A journal that cannot be written never hides rows already delivered (issue 18, item 3):
 * checked before anything is sent (a real `weft sync` process: the run fails with the cause and
 * sends nothing), and when writing fails after the destination acknowledged a batch, the run
 * reports those rows as delivered (succeeded) and stops with the cause; the next run sends them
 * again (the snapshot could not advance), and nothing is lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { webhook } from '../../destinations/webhook/index.js';
import type {
  AnyDestination,
  DestinationContext,
  DestinationRecord,
} from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { journalDir } from '../../src/sync/journal/journal-file.js';
import { runSync } from '../../src/sync/run-sync.js';
import {
  createSyncProject,
  peopleAt,
  queryProject,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from './cli-project.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

describe('an unwritable journal', () => {
  let emulator: RunningEmulator<WebhookEmulatorState> | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await emulator?.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops weft sync before anything is sent, naming the directory and the cause', async () => {
    emulator = await startEmulator(webhookEmulator, {});
    const dir = createSyncProject({ ...emulator.settings });
    dirs.push(dir);
    await writePeople(dir, peopleAt(4, 1));
    expect((await spawnWeft(['build'], dir).done).code).toBe(0);
    fs.mkdirSync(path.join(dir, '.weft'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.weft/journal'), 'not a directory'); // even root cannot write into it
    const run = await spawnWeft(['sync', UPSERT_SYNC, '--json'], dir).done;
    expect(run.code).toBe(1);
    expect(emulator.snapshot().stats.requests).toBe(0);
    const [row] = await queryProject(
      dir,
      `SELECT status, error FROM weft_state.sync_runs WHERE sync = '${UPSERT_SYNC}'`,
    );
    expect(row).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/cannot write the sync journal directory .*journal.*nothing was sent/),
    });
  });

  it('counts rows delivered before the journal failed as delivered, and sends them again next run', async () => {
    emulator = await startEmulator(webhookEmulator, {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-journal-fail-'));
    dirs.push(dir);
    const warehouse = await memoryWarehouse();
    try {
      const config = syncConfig({ from: 'app.people' });
      const project = projectWith(dir, { ...emulator.settings }, [config]);
      await setPeople(warehouse, people(3));
      const journal = journalDir(dir, config.name);
      let broken = false;
      // The destination acknowledges the batch; meanwhile the journal's directory becomes a file.
      const breaking = {
        ...webhook,
        upsert: async (ctx: DestinationContext, records: DestinationRecord[]) => {
          const results = await (webhook.upsert as NonNullable<AnyDestination['upsert']>)(ctx, records);
          if (!broken) {
            fs.rmSync(journal, { recursive: true, force: true });
            fs.writeFileSync(journal, 'not a directory');
            broken = true;
          }
          return results;
        },
      } as AnyDestination;
      const first = await runSync(project, warehouse, config, { destination: breaking });
      expect(first.summary).toMatchObject({ status: 'failed', succeeded: 3, unacknowledged: 0 });
      expect(first.summary.error).toMatch(/journal .* could not be written .*3 rows .*sent again next run/);
      fs.rmSync(journal, { force: true });
      const second = await runSync(project, warehouse, config);
      expect(second.summary).toMatchObject({ status: 'success', added: 3, succeeded: 3 });
      expect(Object.keys(emulator.snapshot().state.records[config.name] ?? {})).toHaveLength(3);
    } finally {
      await warehouse.close();
    }
  });
});
