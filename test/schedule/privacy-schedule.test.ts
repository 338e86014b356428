/**
 * weft.yml `privacy.schedule` in the scheduler (against the webhook emulator): `weft schedule`
 * runs `weft privacy run` at its own fire times, not between them, and the person leaves the
 * destination through the sync's delete ops; the slot it ran for survives a new scheduler.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { createErasureRequests } from '../../src/privacy/requests.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { type ScheduleEvent, Scheduler } from '../../src/schedule/index.js';
import {
  createScheduleProject,
  load,
  open,
  query,
  RAW,
  SCORED,
  withWarehouse,
  writePeople,
} from './project.js';

describe('privacy.schedule', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const holds = (sync: string, key: string) => key in (emulator.snapshot().state.records[sync] ?? {});

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
    dir = createScheduleProject({ ...emulator.settings, batch_size: 50 });
    fs.appendFileSync(path.join(dir, 'weft.yml'), 'privacy:\n  schedule: "15 * * * *"\n');
    await writePeople(dir, 20);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function runDueAt(now: string, events: ScheduleEvent[]) {
    const s = new Scheduler({
      project: await load(dir),
      openWarehouse: () => open(dir),
      now: () => new Date(now),
      onEvent: (e) => events.push(e),
    });
    try {
      return await s.runDue();
    } finally {
      await s.close();
    }
  }

  it('works pending steps at its own slots only', async () => {
    const first: ScheduleEvent[] = [];
    await runDueAt('2026-03-01T10:00:30Z', first); // the syncs (never run) and privacy (never run)
    expect(first.filter((e) => e.type === 'privacy')).toHaveLength(1);
    expect(holds(RAW, 'p3@x') && holds(SCORED, 'p3@x')).toBe(true);

    const project = await load(dir);
    const [filed] = await withWarehouse(dir, (w) => createErasureRequests(project, w, [['email:p3@x']]));
    const pending = () =>
      query(
        dir,
        `SELECT step FROM weft_state.privacy_steps WHERE request_id = '${filed?.request_id}' AND status = 'pending' AND step LIKE 'sync:%' ORDER BY step`,
      );
    expect((await pending()).map((r) => r.step)).toEqual([`sync:${RAW}`, `sync:${SCORED}`]);

    const between: ScheduleEvent[] = [];
    await runDueAt('2026-03-01T10:05:00Z', between); // nothing due: privacy ran for 09:15
    expect(between.some((e) => e.type === 'privacy')).toBe(false);
    expect(await pending()).toHaveLength(2);

    const slot: ScheduleEvent[] = [];
    await runDueAt('2026-03-01T10:15:30Z', slot);
    const ran = slot.find((e) => e.type === 'privacy');
    expect(ran).toMatchObject({ type: 'privacy', erased: 2 });
    expect(slot.some((e) => e.type === 'privacy_failed')).toBe(false);
    expect(await pending()).toHaveLength(0);
    expect(holds(RAW, 'p3@x') || holds(SCORED, 'p3@x')).toBe(false);
    expect(holds(RAW, 'p4@x')).toBe(true);
    const [request] = await query(
      dir,
      `SELECT status FROM weft_state.privacy_requests WHERE request_id = '${filed?.request_id}'`,
    );
    expect(request?.status).toBe('completed');
  });
});
