/**
 * One bad value never blocks a sync (issue 18, item 2): a DATE 'infinity' and a year-294246
 * TIMESTAMP reject their own rows, with the reason; every other row is sent; `weft plan` warns
 * about them beforehand. (Postgres: test/warehouse/postgres-unreadable.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { createSyncProject, peopleAt, queryProject, spawnWeft, writePeople } from '../sync/cli-project.js';

describe('values JavaScript cannot hold', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
    dir = createSyncProject({ ...emulator.settings });
    fs.writeFileSync(
      path.join(dir, 'models/people.sql'),
      `select *,
  case when email = 'p1@x' then DATE 'infinity' else DATE '2025-01-01' end as since,
  case when email = 'p2@x' then TIMESTAMP '294246-01-01 00:00:00' else TIMESTAMP '2025-01-01 10:00:00' end as seen_at
from {{source 'app' 'people'}}
`,
    );
    fs.writeFileSync(
      path.join(dir, 'syncs/dated.yml'),
      'name: dated\nfrom: people\nconnection: hook\nmode: upsert\nkey: email\nmappings:\n  email: email\n  since: since\n  seen_at: seen_at\n',
    );
    await writePeople(dir, peopleAt(5, 1));
    expect((await spawnWeft(['build'], dir).done).code).toBe(0);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('weft plan warns about them (count, columns, reason) instead of failing', async () => {
    const plan = await spawnWeft(['plan', 'dated', '--json'], dir).done;
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      sync: 'dated',
      added: 5,
      unreadable_values: {
        rows: 2,
        columns: { since: 1, seen_at: 1 },
        reason: expect.stringMatching(/infinite date or a year past 275760/),
      },
    });
    const human = await spawnWeft(['plan', 'dated'], dir).done;
    expect(human.stderr + human.stdout).toMatch(
      /! 2 rows hold an infinite date or a year past 275760, which JavaScript cannot hold \(since: 1, seen_at: 1\)/,
    );
  });

  it('rejects only the rows holding them, naming the column and value', async () => {
    const sync = await spawnWeft(['sync', 'dated', '--json'], dir).done;
    expect(sync.code).toBe(1);
    expect(JSON.parse(sync.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      status: 'partial',
      succeeded: 3,
      rejected: 2,
    });
    expect(Object.keys(emulator.snapshot().state.records.dated ?? {}).sort()).toEqual([
      'p0@x',
      'p3@x',
      'p4@x',
    ]);
    const rejections = await queryProject(
      dir,
      "SELECT key, reason FROM weft_state.sync_rejections WHERE sync = 'dated' ORDER BY key",
    );
    expect(rejections).toEqual([
      {
        key: 'p1@x',
        reason: expect.stringMatching(/column 'since' holds DATE 'infinity', which cannot be sent as a date/),
      },
      {
        key: 'p2@x',
        reason: expect.stringMatching(/column 'seen_at' holds TIMESTAMP '294246-01-01 00:00:00'/),
      },
    ]);
  });
});
