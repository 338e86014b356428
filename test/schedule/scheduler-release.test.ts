/**
 * The scheduler holds no warehouse between ticks: every warehouse it opens (one per tick, one
 * per run) is closed before it goes back to sleep, so other processes can open a DuckDB file
 * while it idles.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { type ScheduleEvent, Scheduler } from '../../src/schedule/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { createScheduleProject, load, open, RAW, SCORED, writePeople } from './project.js';

describe('Scheduler warehouse use', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
    dir = createScheduleProject({ ...emulator.settings, batch_size: 50 });
    await writePeople(dir, 30);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes every warehouse it opened once its runs are done, tick after tick', async () => {
    const openNow = new Set<Warehouse>();
    let opened = 0;
    const tracked = async (): Promise<Warehouse> => {
      const warehouse = await open(dir);
      opened++;
      openNow.add(warehouse);
      const close = warehouse.close.bind(warehouse);
      warehouse.close = async () => {
        openNow.delete(warehouse);
        await close();
      };
      return warehouse;
    };
    const events: ScheduleEvent[] = [];
    let now = '2026-03-01T10:17:00Z';
    const scheduler = new Scheduler({
      project: await load(dir),
      openWarehouse: tracked,
      now: () => new Date(now),
      onEvent: (e) => events.push(e),
    });
    const first = await scheduler.runDue();
    expect(first.map((r) => r.sync).sort()).toEqual([RAW, SCORED]);
    expect(opened).toBe(3); // the tick, and one per run
    expect(openNow.size).toBe(0);

    now = '2026-03-01T10:20:00Z'; // nothing due: the tick still looks at the state, then lets go
    expect(await scheduler.runDue()).toEqual([]);
    expect(opened).toBe(4);
    expect(openNow.size).toBe(0);
    await scheduler.close();
  });
});
