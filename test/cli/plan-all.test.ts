/** `weft plan` plans every sync even when one is broken, and reports each broken one. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSyncProject,
  MIRROR_SYNC,
  peopleAt,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('weft plan with a broken sync', () => {
  let dir: string;
  beforeEach(async () => {
    dir = createSyncProject({ url: 'http://127.0.0.1:9/hooks', secret: 'plan-all-secret' });
    // Sorted between the two good syncs, so the broken one is neither first nor last.
    fs.writeFileSync(
      path.join(dir, 'syncs', 'people_broken.yml'),
      'name: people_broken\nfrom: people\nconnection: hook\nmode: upsert\nkey: no_such_column\nmappings:\n  email: email\n',
    );
    await writePeople(dir, peopleAt(5, 1));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plans the others, prints one line per sync, and fails', async () => {
    const plan = await weft(['plan', '--json'], dir);
    const lines = jsonLines(plan.stdout);
    expect(lines.map((l) => l.sync).sort()).toEqual(['people_broken', MIRROR_SYNC, UPSERT_SYNC].sort());
    const broken = lines.find((l) => l.sync === 'people_broken');
    expect(broken?.error).toMatch(/no_such_column/);
    for (const good of [UPSERT_SYNC, MIRROR_SYNC]) {
      expect(lines.find((l) => l.sync === good)).toMatchObject({ added: 5, removed: 0 });
    }
    expect(plan.code).toBe(2); // a config problem (an unknown key column)
    expect(plan.stderr).toBe(''); // --json, stderr not a terminal: the error is in the JSON above
  });

  it('human output shows the good plans and the error', async () => {
    const plan = await weft(['plan'], dir);
    expect(plan.stdout).toMatch(new RegExp(`${UPSERT_SYNC}.*\\n\\s+5 added`));
    expect(plan.stderr).toMatch(/✗ people_broken:/);
  });
});
