/**
 * Secrets only where needed (issue 19, item 3): with a connection's token unset, everything that
 * does not use that connection works, and what uses it fails naming the variable, file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { createSyncProject, peopleAt, spawnWeft, UPSERT_SYNC, writePeople } from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a connection whose secret is not set', () => {
  let emulator: RunningEmulator<WebhookEmulatorState>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
    dir = createSyncProject({ ...emulator.settings });
    const weftYml = path.join(dir, 'weft.yml');
    fs.appendFileSync(
      weftYml,
      `  crm:\n    type: hubspot\n    access_token: "{{env 'WEFT_TEST_UNSET_HUBSPOT_TOKEN'}}"\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'syncs', 'crm_contacts.yml'),
      'name: crm_contacts\nfrom: people\nconnection: crm\nobject: contacts\nmode: upsert\nkey: email\nmatch_on: email\nmappings:\n  email: email\n',
    );
    await writePeople(dir, peopleAt(4, 1));
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('validate passes and says which connection cannot be used here, and why', async () => {
    const run = await weft(['validate'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /connection 'crm' cannot be used here .*weft\.yml:\d+:\d+ {2}connections\.crm\.access_token: environment variable 'WEFT_TEST_UNSET_HUBSPOT_TOKEN' is not set/,
    );
  });

  it('build works, and so does a sync to another connection', async () => {
    expect((await weft(['build'], dir)).code).toBe(0);
    const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(sync.code, sync.stderr).toBe(0);
    expect(jsonLines(sync.stdout).at(-1)).toMatchObject({ status: 'success', succeeded: 4 });
  });

  it('only the syncs using it fail, naming the variable', async () => {
    const sync = await weft(['sync', 'crm_contacts', UPSERT_SYNC, '--json'], dir);
    expect(sync.code).toBe(1);
    const [crm, other] = jsonLines(sync.stdout);
    expect(crm).toMatchObject({ sync: 'crm_contacts', status: 'failed' });
    expect(String(crm?.error)).toMatch(
      /connection 'crm' cannot be used here: .*WEFT_TEST_UNSET_HUBSPOT_TOKEN/,
    );
    expect(other).toMatchObject({ sync: UPSERT_SYNC, status: 'success' });
    const plan = await weft(['plan', '--json'], dir);
    const lines = jsonLines(plan.stdout);
    expect(lines.find((l) => l.sync === 'crm_contacts')?.error).toMatch(/WEFT_TEST_UNSET_HUBSPOT_TOKEN/);
    expect(lines.find((l) => l.sync === UPSERT_SYNC)).toMatchObject({ added: 0, unchanged: 4 });
  });
});
