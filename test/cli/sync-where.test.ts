/**
 * A sync's `where:` filter (issue 19, items 4 and 7) through the compiled CLI: only matching rows
 * are planned and sent, rows without a key that the filter leaves out are not warned about, a
 * filter that is not one condition is a validate error at its line, and one naming a column the
 * source lacks fails the plan naming the sync's `where:`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { createSyncProject, type Person, peopleAt, spawnWeft, writePeople } from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
const syncFile = (dir: string, name: string, where: string) =>
  fs.writeFileSync(
    path.join(dir, 'syncs', `${name}.yml`),
    `name: ${name}\nfrom: people\nconnection: hook\nmode: upsert\nkey: email\nwhere: ${where}\nmappings:\n  email: email\n  name: name\n`,
  );

describe('a sync with where:', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
    dir = createSyncProject({ ...emulator.settings });
    // 10 people with scores 0.25 … 9.25, and 5 anonymous rows (no email).
    const anonymous: Person[] = Array.from({ length: 5 }, () => [null, 'anon', 50]);
    await writePeople(dir, [...peopleAt(10, 1), ...anonymous]);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plans and sends only the rows it matches, without NULL-key warnings for the rest', async () => {
    syncFile(dir, 'known_people', '"email IS NOT NULL AND score >= 5"');
    const plan = await weft(['plan', 'known_people', '--json'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(lastJson(plan.stdout)).toMatchObject({ added: 5, invalid: { null_keys: 0, duplicate_keys: 0 } });
    const sync = await weft(['sync', 'known_people', '--json'], dir);
    expect(lastJson(sync.stdout)).toMatchObject({ status: 'success', added: 5, succeeded: 5 });
    expect(Object.keys(emulator.snapshot().state.records.known_people ?? {}).sort()).toEqual([
      'p5@x',
      'p6@x',
      'p7@x',
      'p8@x',
      'p9@x',
    ]);
  });

  it('validate refuses a filter that is not one condition, at its line', async () => {
    syncFile(dir, 'sneaky', '"score > 1; DROP TABLE app.people"');
    const run = await weft(['validate'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/syncs\/sneaky\.yml:6:\d+ +where: must be one condition: ';' is not allowed/);
    fs.rmSync(path.join(dir, 'syncs', 'sneaky.yml'));
  });

  it('a filter over a column the source lacks fails the plan naming the sync and its where:', async () => {
    syncFile(dir, 'typo', 'emial IS NOT NULL');
    const run = await weft(['plan', 'typo'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sync \'typo\': where: "emial IS NOT NULL" does not run over people');
    expect(run.stderr).toContain('columns: email, name, score');
    fs.rmSync(path.join(dir, 'syncs', 'typo.yml'));
  });
});
