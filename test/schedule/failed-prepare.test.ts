/** A scheduled sync that fails before planning is recorded once (runSync records it; the scheduler does not again). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSyncProject, peopleAt, queryProject, spawnWeft, writePeople } from '../sync/cli-project.js';

const dir = createSyncProject({ url: 'http://127.0.0.1:45999/hooks', secret: 'failed-prepare-1' });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('weft schedule with a sync whose key is not a column', () => {
  it('records the failed run exactly once, with its cause', async () => {
    fs.rmSync(path.join(dir, 'syncs'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'syncs'));
    fs.writeFileSync(
      path.join(dir, 'syncs', 'broken.yml'),
      'name: broken\nfrom: people\nconnection: hook\nmode: upsert\nkey: no_such_column\nschedule: "* * * * *"\nmappings:\n  email: email\n',
    );
    await writePeople(dir, peopleAt(3, 1));
    const run = await spawnWeft(['schedule', '--once', '--json'], dir).done;
    expect(run.stdout + run.stderr).toMatch(/no_such_column/);
    const runs = await queryProject(
      dir,
      "SELECT status, error FROM weft_state.sync_runs WHERE sync = 'broken'",
    );
    expect(runs).toEqual([
      { status: 'failed', error: expect.stringMatching(/key 'no_such_column' is not a column/) },
    ]);
  }, 60_000);
});
