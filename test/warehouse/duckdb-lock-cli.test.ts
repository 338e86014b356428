/**
 * DuckDB lets one process open a file. With the compiled CLI: an idle `weft schedule` holds no
 * warehouse, so `weft build`, `weft profile` and `weft runs` work beside it; a command finding
 * the file held by a running weft command waits for it (two builds serialize); a lock held past
 * the lock timeout fails with a message naming the holder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { runWeft } from '../cli/run-weft.js';
import { createScheduleProject, RAW, writePeople } from '../schedule/project.js';
import { spawnWeft } from '../sync/cli-project.js';

const IDENTITY = `identity:
  id_types:
    email: {}
  sources:
    - from: app.people
      key: email
      ids: { email: email }
`;

/** The schedule test project plus an identity block, so `weft profile` has profiles to show. */
async function lockProject(emulator: RunningEmulator<WebhookEmulatorState>, people: number): Promise<string> {
  const dir = createScheduleProject({ ...emulator.settings, batch_size: 50, concurrency: 1 });
  fs.writeFileSync(path.join(dir, 'models/identity.yml'), IDENTITY);
  await writePeople(dir, people);
  return dir;
}

async function until(check: () => boolean, what: string, boundMs = 60_000): Promise<void> {
  const giveUp = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('weft commands beside a running weft on one DuckDB file', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const dirs: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, { options: { maxRows: 50 } });
  });
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('build, profile and runs work while weft schedule idles', async () => {
    const dir = await lockProject(emulator, 5);
    dirs.push(dir);
    const scheduler = spawnWeft(['schedule', RAW], dir);
    let stderr = '';
    scheduler.child.stderr?.on('data', (d) => {
      stderr += d;
    });
    try {
      // It ran the never-run sync at start; now it sleeps until the next slot.
      await until(() => stderr.includes(`finished ${RAW}: success`), 'the first scheduled run');
      expect(stderr).toMatch(/idle\s+next slot/);

      const build = await runWeft(['build'], { cwd: dir });
      expect(build.code, build.stderr).toBe(0);
      const profile = await runWeft(['profile', 'email:p1@x', '--json'], { cwd: dir });
      expect(profile.code, profile.stderr).toBe(0);
      expect(profile.stdout).toContain('p1@x');
      const runs = await runWeft(['runs', RAW, '--json'], { cwd: dir });
      expect(runs.code, runs.stderr).toBe(0);
      expect(runs.stdout).toMatch(/"status":"success"/);
    } finally {
      scheduler.child.kill('SIGTERM');
    }
    const stopped = await scheduler.done;
    expect(stopped.code, stopped.stderr).toBe(0);
  }, 120_000);

  it('waits for a file a running sync holds, or names the holder once the lock timeout passes', async () => {
    const dir = await lockProject(emulator, 1500);
    dirs.push(dir);
    // Each batch held 1 s while the impatient command runs (however long its start takes on a
    // loaded machine, the sync still holds the file), then fast again for the patient one.
    emulator.injectFaults({ fail: [{ kind: 'slow', delayMs: 1000, count: 10_000 }] });
    const batches = () => emulator.snapshot().state.batches.filter((b) => b.sync === RAW).length;
    const before = batches();
    const scheduler = spawnWeft(['schedule', RAW, '--once', '--json'], dir);
    try {
      await until(() => batches() > before, 'the scheduled sync to send its first batch');
      // 30 batches of 1 s: the sync holds the file for half a minute more.
      const impatient = await runWeft(['runs', '--json'], {
        cwd: dir,
        env: { WEFT_DUCKDB_LOCK_TIMEOUT: '0.5' },
      });
      expect(impatient.code).toBe(1);
      // --json with stderr not a terminal: the refusal is the JSON error object, stderr is silent.
      expect(impatient.stderr).toBe('');
      const refusal = JSON.parse(impatient.stdout).error.message;
      expect(refusal).toMatch(
        /The warehouse file \.weft\/warehouse\.duckdb is in use by another process \(pid \d+: weft schedule raw_halfhourly --once --json\); still held after waiting 0\.5 s\./,
      );
      expect(refusal).toMatch(/warehouse\.lock_timeout .* WEFT_DUCKDB_LOCK_TIMEOUT/);
      expect(batches() - before).toBeLessThan(30); // the sync was still running
      emulator.injectFaults({ clear: true });

      const patient = await runWeft(['runs', RAW, '--json'], { cwd: dir });
      expect(patient.code, patient.stderr).toBe(0);
      expect(patient.stdout).toMatch(/"status":"success"/); // it waited until the run was committed
    } finally {
      emulator.injectFaults({ clear: true });
    }
    const done = await scheduler.done;
    expect(done.code, done.stderr).toBe(0);
  }, 120_000);

  it('serializes two writers: concurrent builds both succeed', async () => {
    const dir = await lockProject(emulator, 20);
    dirs.push(dir);
    const [first, second] = await Promise.all([
      runWeft(['build'], { cwd: dir }),
      runWeft(['build'], { cwd: dir }),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
  }, 120_000);
});
