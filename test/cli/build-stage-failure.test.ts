/**
 * A failed identity stage is a failure of `weft build` (issue 19, item 4), through the compiled
 * CLI: a column identity.yml names that its source lacks fails the stage with the file, line and
 * field, the summary counts it as failed (exit 1), and what reads identity is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncProject, spawnWeft, writePeople } from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;

describe('weft build with a broken identity.yml', () => {
  let dir: string;
  beforeAll(async () => {
    dir = createSyncProject({ url: 'http://127.0.0.1:9/hook', secret: 'webhook-test-secret' });
    await writePeople(dir, [['a@x', 'Ann', 1]]);
    fs.writeFileSync(
      path.join(dir, 'models/identity.yml'),
      'identity:\n  id_types:\n    email: { normalize: email }\n  sources:\n    - from: people\n      ids: { email: emial }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'models/profiles.yml'),
      'profiles:\n  traits:\n    name: { from: people, column: name }\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails the stage naming identity.yml:line and the field, and counts it as a failure', async () => {
    const run = await weft(['build'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ identity failed: models\/identity\.yml:6:\d+ {2}identity\.sources\[0\]\.ids\.email: 'emial' is not a column of people \(did you mean 'email'\?\)/,
    );
    expect(run.stdout).toContain('- profiles skipped: identity did not build');
    expect(run.stdout).toMatch(/✗ 1 built, 1 failed \(identity\), 1 skipped/);
    const json = await weft(['build', '--json'], dir);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout.trim().split('\n').pop() ?? '{}');
    expect(result).toMatchObject({ status: 'failed', identity: { status: 'error' } });
    expect(result.identity.error).toContain('models/identity.yml:6:');
  });
});
