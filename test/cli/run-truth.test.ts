/**
 * Runs tell the truth at a glance (issue 19, item 4) through the compiled CLI: rejection reasons
 * grouped one line per rule with the values masked (sync summary and `weft runs`), a run that
 * leaves out most rows as duplicated keys ends partial (max_duplicate_pct), and a failed command
 * under --json answers with one JSON error object even when it printed its reason as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  createSyncProject,
  type Person,
  peopleAt,
  queryProject,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() ?? '{}');

describe('runs tell the truth', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
    dir = createSyncProject({ ...emulator.settings });
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('groups rejection reasons one line per rule, values masked, in the summary and weft runs', async () => {
    await writePeople(dir, peopleAt(20, 1));
    emulator.injectFaults({
      reject: [{ field: 'email', matches: '^p1[0-2]@x$', reason: 'mailbox does not exist' }],
    });
    const sync = await weft(['sync', UPSERT_SYNC], dir);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toMatch(/ {5}3 rejected: mailbox does not exist/);
    emulator.injectFaults({ clear: true });
    // Reasons a CRM gives per value: one rule, four different texts.
    await queryProject(
      dir,
      `INSERT INTO weft_state.sync_rejections (sync, key, reason) VALUES
        ('${UPSERT_SYNC}', 'a', 'Email "ann@example" is invalid'), ('${UPSERT_SYNC}', 'b', 'Email "bob@example" is invalid'),
        ('${UPSERT_SYNC}', 'c', 'Email "cy@example" is invalid'), ('${UPSERT_SYNC}', 'd', 'Email "dee@example" is invalid')`,
    );
    const runs = await weft(['runs', UPSERT_SYNC], dir);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/ {5}4 {2}Email "…" is invalid\n/);
    expect(runs.stdout).toMatch(/ {5}3 {2}mailbox does not exist/);
    expect(runs.stdout).not.toContain('ann@example');
  });

  it('a run that leaves out more than max_duplicate_pct as duplicated keys ends partial, saying why', async () => {
    // 10 good keys and 3 keys shared by 4 rows each: 12 of 22 rows (54.5%) are left out.
    const shared: Person[] = ['d1@x', 'd2@x', 'd3@x'].flatMap((email) =>
      Array.from({ length: 4 }, (_, i): Person => [email, `Dup ${i}`, i]),
    );
    await writePeople(dir, [...peopleAt(10, 1, 100), ...shared]);
    const plan = await weft(['plan', UPSERT_SYNC], dir);
    expect(plan.stdout).toMatch(/guardrail: 12 of 22 source rows \(54\.5%\) share their key 'email'/);
    const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(sync.code).toBe(1);
    expect(lastJson(sync.stdout)).toMatchObject({
      status: 'partial',
      invalid: { duplicate_keys: 12 },
      error: expect.stringContaining('over max_duplicate_pct 20%'),
    });
    // Allowed by the sync: the same run is a success.
    const file = path.join(dir, 'syncs', `${UPSERT_SYNC}.yml`);
    fs.appendFileSync(file, 'guardrails: { max_duplicate_pct: 60 }\n');
    const allowed = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(lastJson(allowed.stdout)).toMatchObject({ status: 'success', invalid: { duplicate_keys: 12 } });
  });

  it('--json: a command that fails with a text reason also prints one JSON error object', async () => {
    const init = await weft(['init', dir, '--json'], dir);
    expect(init.code).toBe(1);
    expect(JSON.parse(init.stdout)).toEqual({
      error: { message: expect.stringContaining('already exists'), exit: 1 },
    });
  });
});
