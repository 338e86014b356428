/**
 * The Scheduler in-process against the webhook emulator: never-run syncs run, state survives a
 * restart (a new scheduler on a reopened warehouse), catch-up runs once, and a sync never runs
 * alongside itself (in-process guard, and the lease across schedulers).
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { webhook } from '../../destinations/webhook/index.js';
import type { AnyDestination } from '../../src/destination-kit/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { type ScheduleEvent, Scheduler } from '../../src/schedule/index.js';
import { createScheduleProject, load, open, query, RAW, SCORED, writePeople } from './project.js';

describe('Scheduler', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  const held = (sync: string) => Object.keys(emulator.snapshot().state.records[sync] ?? {}).length;

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    dir = createScheduleProject({ ...emulator.settings, batch_size: 50 });
    await writePeople(dir, 120);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A scheduler on the project at a fixed clock, collecting its events. */
  async function scheduler(now: string, events: ScheduleEvent[] = []) {
    const project = await load(dir);
    return new Scheduler({
      project,
      openWarehouse: () => open(dir),
      now: () => new Date(now),
      onEvent: (e) => events.push(e),
    });
  }

  async function runDueAt(now: string, events: ScheduleEvent[] = []) {
    const s = await scheduler(now, events);
    try {
      return await s.runDue();
    } finally {
      await s.close();
    }
  }

  it('runs never-run syncs, remembers across a restart, and catches up once after downtime', async () => {
    const events: ScheduleEvent[] = [];
    const first = await runDueAt('2026-03-01T10:17:00Z', events);
    expect(
      first.map((r) => [r.sync, r.summary.status, r.summary.added, r.slot.toISOString()]).sort(),
    ).toEqual([
      [RAW, 'success', 120, '2026-03-01T10:00:00.000Z'],
      [SCORED, 'success', 120, '2026-03-01T10:00:00.000Z'],
    ]);
    expect(held(SCORED)).toBe(120);
    // One build, of the models SCORED reads (RAW reads a source table).
    expect(events.filter((e) => e.type === 'building')).toEqual([
      { type: 'building', nodes: ['model:people', 'model:people_scored'], syncs: [SCORED] },
    ]);
    const state = await query(dir, 'SELECT * FROM weft_state.schedule_state ORDER BY sync');
    expect(state.map((r) => [r.sync, r.last_status, (r.last_due_at as Date).toISOString()])).toEqual([
      [RAW, 'success', '2026-03-01T10:00:00.000Z'],
      [SCORED, 'success', '2026-03-01T10:00:00.000Z'],
    ]);

    // A restart within the same slot: nothing is due.
    expect(await runDueAt('2026-03-01T10:29:00Z')).toEqual([]);
    // 10:30: only the half-hourly sync.
    expect((await runDueAt('2026-03-01T10:30:00Z')).map((r) => r.sync)).toEqual([RAW]);
    // Down for two days: each sync runs once, for its latest slot, building nothing (no change).
    const later: ScheduleEvent[] = [];
    const caughtUp = await runDueAt('2026-03-03T09:05:00Z', later);
    expect(caughtUp.map((r) => [r.sync, r.slot.toISOString(), r.summary.added]).sort()).toEqual([
      [RAW, '2026-03-03T09:00:00.000Z', 0],
      [SCORED, '2026-03-03T09:00:00.000Z', 0],
    ]);
    expect(later.filter((e) => e.type === 'due').map((e) => e.type === 'due' && e.why)).toEqual([
      'catch-up',
      'catch-up',
    ]);
    expect(later.some((e) => e.type === 'building')).toBe(false);
    const runs = await query(dir, `SELECT count(*) AS n FROM weft_state.sync_runs WHERE sync = '${SCORED}'`);
    expect(runs).toEqual([{ n: 2 }]);
  });

  it('keeps running at each fire time until stopped, then waits for the running sync', async () => {
    // Every second (6-field cron): the loop must wake for each slot on its own.
    fs.writeFileSync(
      `${dir}/syncs/${RAW}.yml`,
      `name: ${RAW}\nfrom: app.people\nconnection: hook\nkey: email\nschedule: "* * * * * *"\nmappings:\n  email: email\n`,
    );
    const events: ScheduleEvent[] = [];
    const s = new Scheduler({
      project: await load(dir),
      openWarehouse: () => open(dir),
      names: [RAW],
      onEvent: (e) => events.push(e),
    });
    const finished = () => events.filter((e) => e.type === 'finished');
    const loop = s.runUntilStopped();
    await until(() => finished().length >= 3);
    s.stop('test');
    await loop;
    await s.close();
    const slots = finished().map((e) => (e.type === 'finished' ? e.run.slot.getTime() : 0));
    expect(new Set(slots).size).toBe(slots.length); // one run per slot
    expect(finished().map((e) => e.type === 'finished' && e.run.summary.added)).toEqual([
      120,
      ...slots.slice(1).map(() => 0),
    ]);
    expect(events.some((e) => e.type === 'idle')).toBe(true);
    expect(events.filter((e) => e.type === 'stopping')).toEqual([{ type: 'stopping', reason: 'test' }]);
  });

  it('never runs a sync alongside itself', async () => {
    // Every batch waits at a gate until the checks are done: the runs are surely in flight.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated: AnyDestination = {
      ...webhook,
      upsert: async (ctx, records) => {
        await gate;
        return webhook.upsert!(ctx, records);
      },
    };
    const at = () => new Date('2026-03-01T10:17:00Z');
    const events: ScheduleEvent[] = [];
    const s = new Scheduler({
      project: await load(dir),
      openWarehouse: () => open(dir),
      now: at,
      onEvent: (e) => events.push(e),
      runOptions: { destination: gated },
    });
    try {
      const first = s.runDue();
      await until(() => events.filter((e) => e.type === 'started').length === 2);
      // The same scheduler skips what it is running…
      expect(await s.runDue()).toEqual([]);
      const skipped = events.filter((e) => e.type === 'skipped');
      expect(skipped.map((e) => e.type === 'skipped' && e.sync).sort()).toEqual([RAW, SCORED]);
      // …and another scheduler (another process, say) finds the sync's lease held.
      const otherEvents: ScheduleEvent[] = [];
      const other = new Scheduler({
        project: await load(dir),
        openWarehouse: () => open(dir),
        now: at,
        onEvent: (e) => otherEvents.push(e),
        names: [RAW],
      });
      expect(await other.runDue()).toEqual([]);
      await other.close();
      expect(otherEvents.find((e) => e.type === 'skipped')).toMatchObject({
        sync: RAW,
        reason: expect.stringMatching(/already running/),
      });
      release();
      const runs = await first;
      expect(runs.map((r) => r.summary.status)).toEqual(['success', 'success']);
    } finally {
      release();
      await s.close();
    }
    const runs = await query(
      dir,
      'SELECT sync, count(*) AS n FROM weft_state.sync_runs GROUP BY sync ORDER BY sync',
    );
    expect(runs).toEqual([
      { sync: RAW, n: 1 },
      { sync: SCORED, n: 1 },
    ]);
  });
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
