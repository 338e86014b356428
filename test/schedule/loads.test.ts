/**
 * weft.yml `loads:` in the scheduler, from the real MariaDB (see test/load/database-support.ts;
 * WEFT_REQUIRE_MARIADB=1 makes an unreachable server a failure): a load without `schedule` runs
 * before the syncs reading its table (incrementally), a cron load on its own slots, and a failed
 * load stops the syncs reading its table with a message that never shows the password.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { loadProject } from '../../src/config/project.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { type ScheduleEvent, Scheduler } from '../../src/schedule/index.js';
import { MARIADB_URL, mariadbAvailable, mariadbFixture, uniqueTable } from '../load/database-support.js';
import { createScheduleProject, open, query, RAW, SCORED } from './project.js';

const describeMaria = describe.runIf(mariadbAvailable);
const SECRET = 'Sched-s3cret-pw';

describeMaria('weft.yml loads: in the scheduler', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let maria: Knex;
  let dir: string;
  const table = uniqueTable('weft_sched_people');

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
    maria = mariadbFixture();
    await maria.raw(
      `CREATE TABLE ${table} (email VARCHAR(40) PRIMARY KEY, name VARCHAR(40), score DOUBLE, updated_at DATETIME(3))`,
    );
    await maria(table).insert(
      Array.from({ length: 30 }, (_, i) => ({
        email: `p${i}@x`,
        name: `Person ${i}`,
        score: i,
        updated_at: `2026-01-01 00:00:${String(i).padStart(2, '0')}.000`,
      })),
    );
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
    await maria?.raw(`DROP TABLE IF EXISTS ${table}`);
    await maria?.destroy();
  });
  beforeEach(() => {
    emulator.reset();
    dir = createScheduleProject({ ...emulator.settings, batch_size: 50 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function addLoads(block: string) {
    fs.appendFileSync(path.join(dir, 'weft.yml'), `loads:\n${block}`);
  }

  async function runDueAt(now: string, url: string, events: ScheduleEvent[] = []) {
    const { project, issues } = await loadProject(dir, { env: { WEFT_TEST_SHOP_DB_URL: url } });
    if (!project) throw new Error(issues.map((i) => i.message).join('\n'));
    const scheduler = new Scheduler({
      project,
      openWarehouse: () => open(dir),
      now: () => new Date(now),
      onEvent: (e) => events.push(e),
    });
    try {
      return await scheduler.runDue();
    } finally {
      await scheduler.close();
    }
  }

  it('loads before the syncs reading the table (incrementally), and a cron load on its own slots', async () => {
    addLoads(
      [
        '  people:',
        `    from: "{{env 'WEFT_TEST_SHOP_DB_URL'}}"`,
        `    table: ${table}`,
        '    into: app.people',
        '    cursor: updated_at',
        '    key: email',
        '  hourly_copy:',
        `    from: "{{env 'WEFT_TEST_SHOP_DB_URL'}}"`,
        `    query: select email, score from ${table}`,
        '    into: app.copy',
        '    schedule: "0 * * * *"',
        '',
      ].join('\n'),
    );
    const events: ScheduleEvent[] = [];
    const first = await runDueAt('2026-03-01T10:17:00Z', MARIADB_URL, events);
    expect(first.map((r) => [r.sync, r.summary.status, r.summary.added]).sort()).toEqual([
      [RAW, 'success', 30],
      [SCORED, 'success', 30],
    ]);
    const loaded = events.flatMap((e) =>
      e.type === 'loaded' ? [[e.load, e.summary.rows_read, e.summary.mode]] : [],
    );
    expect(loaded).toEqual([
      ['people', 30, 'upsert'],
      ['hourly_copy', 30, 'replace'],
    ]);

    await maria(table).insert({
      email: 'new@x',
      name: 'New',
      score: 99,
      updated_at: '2026-01-02 00:00:00.000',
    });
    const later: ScheduleEvent[] = [];
    const second = await runDueAt('2026-03-01T10:30:00Z', MARIADB_URL, later);
    expect(second.map((r) => [r.sync, r.summary.added])).toEqual([[RAW, 1]]);
    // Only the people load (RAW reads app.people); the new row plus the one at the stored cursor.
    expect(later.flatMap((e) => (e.type === 'loaded' ? [[e.load, e.summary.rows_read]] : []))).toEqual([
      ['people', 2],
    ]);
    expect(await query(dir, 'SELECT count(*) AS n FROM app.people')).toEqual([{ n: 31 }]);

    // 11:05: both syncs are due (11:00) and so is the cron load's 11:00 slot.
    const third: ScheduleEvent[] = [];
    await runDueAt('2026-03-01T11:05:00Z', MARIADB_URL, third);
    expect(third.flatMap((e) => (e.type === 'loaded' ? [[e.load, e.summary.rows_read]] : []))).toEqual([
      ['people', 1],
      ['hourly_copy', 31],
    ]);
    await maria(table).where('email', 'new@x').delete();
  }, 120_000);

  it('a failed load stops the syncs reading its table, and no message shows the password', async () => {
    addLoads(
      [
        '  people:',
        `    from: "{{env 'WEFT_TEST_SHOP_DB_URL'}}"`,
        `    table: ${table}`,
        '    into: app.people',
        '',
      ].join('\n'),
    );
    const events: ScheduleEvent[] = [];
    const runs = await runDueAt(
      '2026-03-01T10:17:00Z',
      MARIADB_URL.replace('://root@', `://root:${SECRET}@`),
      events,
    );
    expect(runs.map((r) => [r.sync, r.summary.status]).sort()).toEqual([
      [RAW, 'failed'],
      [SCORED, 'failed'],
    ]);
    expect(runs[0]?.summary.error).toMatch(
      /^load people into app\.people failed: cannot connect to mysql:\/\/root:\*\*\*@/,
    );
    const failed = events.find((e) => e.type === 'load_failed');
    expect(failed).toMatchObject({ type: 'load_failed', load: 'people' });
    expect(JSON.stringify({ events, runs })).not.toContain(SECRET);
    expect(Object.keys(emulator.snapshot().state.records)).toEqual([]);
  }, 120_000);
});
