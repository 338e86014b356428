/**
 * `weft schedule` as a real process on a DuckDB file against the webhook emulator: --once runs
 * what is due and exits, a second --once finds nothing due, and (the acceptance test) a
 * scheduled run that fails raises exactly one alert carrying the reason.
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { verifySignature } from '../../destinations/webhook/signature.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { spawnWeft } from '../sync/cli-project.js';
import { createScheduleProject, query, RAW, SCORED, setScoredSql, writePeople } from './project.js';
import { type Receiver, startReceiver } from './receiver.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const ALERT_SECRET = 'alert-signing-secret';

describe('weft schedule --once', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let receiver: Receiver;
  let dir: string;

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });
  beforeEach(async () => {
    emulator.reset();
    receiver.received.length = 0;
    dir = createScheduleProject(
      { ...emulator.settings, batch_size: 50 },
      {
        alerts: {
          connection: { type: 'webhook', url: receiver.url, secret: ALERT_SECRET },
          block: 'alerts:\n  connection: alerting',
        },
      },
    );
    await writePeople(dir, 120);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs every never-run scheduled sync, prints one JSON line per run, then finds nothing due', async () => {
    // The clock is pinned with --at: a run straddling a slot boundary would otherwise be due again.
    const AT = '2026-03-02T10:10:00Z';
    const first = await weft(['schedule', '--once', '--json', '--at', AT], dir);
    expect(first.code, first.stderr).toBe(0);
    const lines = jsonLines(first.stdout);
    expect(lines.map((l) => [l.sync, l.status, l.added, l.succeeded]).sort()).toEqual([
      [RAW, 'success', 120, 120],
      [SCORED, 'success', 120, 120],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 8)).toEqual([
      'sync',
      'status',
      'added',
      'changed',
      'removed',
      'succeeded',
      'rejected',
      'duration_ms',
    ]);
    // --json with stderr not a terminal: the event log stays silent.
    expect(first.stderr).toBe('');
    expect(receiver.received).toEqual([]); // good runs raise nothing

    const second = await weft(['schedule', '--once', '--at', AT], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('nothing due');

    // Twenty-five minutes on, the half-hourly sync's 10:30 slot is due and the hourly one is not.
    const third = await weft(['schedule', '--once', '--at', '2026-03-02T10:35:00+00:00'], dir);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain(`due      ${RAW} (scheduled, slot 2026-03-02T10:30:00.000Z)`);
    expect(third.stderr).not.toContain(`due      ${SCORED}`);
  });

  it('refuses --at without --once, and a time without a zone', async () => {
    const alone = await weft(['schedule', '--at', '2026-03-02T10:10:00Z'], dir);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--at needs --once');
    const local = await weft(['schedule', '--once', '--at', '2026-03-02T10:10:00'], dir);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('with a zone');
    expect(emulator.snapshot().state.records[RAW]).toBeUndefined();
  });

  it('a scheduled run that fails raises one alert with the reason', async () => {
    setScoredSql(dir, 'select email, missing_column from {{ref "people"}}');
    const run = await weft(['schedule', '--once', '--json'], dir);
    expect(run.code).toBe(1);
    const lines = jsonLines(run.stdout);
    const failed = lines.find((l) => l.sync === SCORED)!;
    expect(failed).toMatchObject({ status: 'failed', succeeded: 0 });
    expect(String(failed.error)).toMatch(/^build failed: model people_scored .*missing_column/s);
    expect(lines.find((l) => l.sync === RAW)).toMatchObject({ status: 'success' });
    // Nothing of the failed sync reached the destination.
    expect(emulator.snapshot().state.records[SCORED]).toBeUndefined();

    expect(receiver.received).toHaveLength(1);
    const [alert] = receiver.received;
    const body = JSON.parse(alert!.body);
    expect(body).toMatchObject({ type: 'weft.alert', sync: SCORED, status: 'failed', run_id: failed.run_id });
    expect(body.reason).toBe(failed.error);
    const ts = alert!.headers['x-weft-timestamp'] as string;
    expect(verifySignature(ALERT_SECRET, ts, alert!.headers['x-weft-signature'] as string, alert!.body)).toBe(
      undefined,
    );
    expect(run.stderr).toBe(''); // --json, stderr not a terminal
    // The failed run is recorded like any run.
    const runs = await query(dir, `SELECT status, error FROM weft_state.sync_runs WHERE sync = '${SCORED}'`);
    expect(runs).toEqual([{ status: 'failed', error: failed.error }]);
  });

  it('a destination that refuses the run: one alert naming the failure', async () => {
    emulator.injectFaults({ fail: [{ kind: 'status', status: 401, count: 1000 }] });
    const run = await weft(['schedule', RAW, '--once', '--json'], dir);
    expect(run.code).toBe(1);
    const [line] = jsonLines(run.stdout);
    expect(line).toMatchObject({ sync: RAW, status: 'failed' });
    expect(receiver.received).toHaveLength(1);
    const body = JSON.parse(receiver.received[0]!.body);
    expect(body).toMatchObject({ sync: RAW, status: 'failed' });
    expect(body.reason).toBe(`${line!.error}; 120 rows not acknowledged (re-sent next run)`);
    expect(body.reason).toMatch(/^not authorised \(HTTP 401\)/);
  });

  it('an alert that cannot be delivered is a warning (stderr on a terminal); the scheduler carries on', async () => {
    const unreachable = createScheduleProject(
      { ...emulator.settings, batch_size: 50 },
      {
        alerts: {
          connection: {
            type: 'slack',
            webhook_url: 'http://127.0.0.1:1/services/T000/B000/very-secret-token',
          },
          block: 'alerts:\n  connection: alerting',
        },
      },
    );
    try {
      await writePeople(unreachable, 10);
      setScoredSql(unreachable, 'select nope from {{ref "people"}}');
      const run = await weft(['schedule', '--once', '--json'], unreachable);
      expect(run.code).toBe(1);
      const lines = jsonLines(run.stdout);
      expect(
        lines
          .filter((l) => l.sync)
          .map((l) => [l.sync, l.status])
          .sort(),
      ).toEqual([
        [RAW, 'success'],
        [SCORED, 'failed'],
      ]);
      // --json: the undelivered alert is a warning line on stdout; stderr (not a terminal) is silent.
      const warnings = lines.filter((l) => l.warning).map((l) => String(l.warning));
      expect(warnings).toEqual([
        expect.stringMatching(/alert +for scored_hourly NOT delivered to alerting: /),
      ]);
      expect(run.stdout + run.stderr).not.toContain('very-secret-token');
      expect(run.stderr).toBe('');
    } finally {
      fs.rmSync(unreachable, { recursive: true, force: true });
    }
  });

  it('weft sync --alert sends the same alert for a partial run (and only with the flag)', async () => {
    emulator.injectFaults({
      reject: [{ field: 'email', matches: '^p1[0-4]@x$', reason: 'mailbox does not exist' }],
    });
    const quiet = await weft(['sync', RAW, '--json'], dir);
    expect(quiet.code).toBe(1);
    expect(receiver.received).toEqual([]);
    const loud = await weft(['sync', RAW, '--json', '--alert'], dir);
    expect(loud.code).toBe(1);
    const [line] = jsonLines(loud.stdout);
    expect(line).toMatchObject({ status: 'partial', rejected: 5 });
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      sync: RAW,
      status: 'partial',
      run_id: line!.run_id,
      reason: '5 of 5 rows rejected (100.0%)',
      counts: { rejected: 5 },
    });
  });

  it('exits 2 naming the sync file of an invalid cron', async () => {
    fs.writeFileSync(
      `${dir}/syncs/${RAW}.yml`,
      `name: ${RAW}\nfrom: app.people\nconnection: hook\nkey: email\nschedule: "0 25 * * *"\n`,
    );
    const run = await weft(['schedule', '--once'], dir);
    expect(run.code).toBe(2);
    // Caught when the project loads (as weft validate does), at the schedule's line.
    expect(run.stderr).toMatch(
      /syncs\/raw_halfhourly\.yml:5:11 {2}schedule: '0 25 \* \* \*' is not a valid cron expression: Invalid value for hour: 25/,
    );
  });
});
