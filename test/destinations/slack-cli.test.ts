/**
 * A Slack connection's handlebars `template` written in weft.yml (issue 19): weft.yml's env
 * templates are only `{{env '…'}}`, so `{{name}}` stays for the connector to render. Through the
 * compiled CLI against the Slack emulator: validate passes, and the messages carry the values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulatorState, slackEmulator } from '../../destinations/slack/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { runWeft, tempDir } from '../cli/run-weft.js';
import { writePeople } from '../sync/cli-project.js';

describe('a Slack template in weft.yml', () => {
  let emulator: RunningEmulator<SlackEmulatorState>;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    emulator = await startEmulator(slackEmulator, { options: { rateLimit: null } });
    env = { SLACK_HOOK_URL: String(emulator.settings.webhook_url), WEFT_WAREHOUSE_URL: '' };
    dir = tempDir('weft-slack-cli-');
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      [
        'name: slacktest',
        'warehouse:',
        '  type: duckdb',
        '  path: .weft/warehouse.duckdb',
        'connections:',
        '  team:',
        '    type: slack',
        `    webhook_url: "{{env 'SLACK_HOOK_URL'}}"`,
        '    template: "New VIP: {{name}} ({{email}}), score {{score}}"',
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'models'));
    fs.writeFileSync(
      path.join(dir, 'models/sources.yml'),
      'sources:\n  app:\n    schema: app\n    tables: [people]\n',
    );
    fs.writeFileSync(path.join(dir, 'models/people.sql'), "select * from {{source 'app' 'people'}}\n");
    fs.mkdirSync(path.join(dir, 'syncs'));
    fs.writeFileSync(
      path.join(dir, 'syncs/vip_to_slack.yml'),
      'name: vip_to_slack\nfrom: people\nconnection: team\nmode: insert\nkey: email\nmappings:\n  email: email\n  name: name\n  score: score\n',
    );
    await writePeople(dir, [
      ['ada@x', 'Ada', 9.5],
      ['bob@x', 'Bob', 7.25],
    ]);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('validates, and each message is the template rendered with the row', async () => {
    const validate = await runWeft(['validate'], { cwd: dir, env });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).not.toMatch(/unsupported template/);
    const sync = await runWeft(['sync', 'vip_to_slack', '--json'], { cwd: dir, env });
    expect(sync.code, sync.stdout).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ status: 'success', added: 2, succeeded: 2 });
    expect(
      emulator
        .snapshot()
        .state.messages.map((m) => m.text)
        .sort(),
    ).toEqual(['New VIP: Ada (ada@x), score 9.5', 'New VIP: Bob (bob@x), score 7.25']);
  }, 60_000);

  it('a botched env call in weft.yml is still an error at its line', async () => {
    const broken = fs
      .readFileSync(path.join(dir, 'weft.yml'), 'utf8')
      .replace("{{env 'SLACK_HOOK_URL'}}", '{{env SLACK_HOOK_URL}}');
    const other = tempDir('weft-slack-cli-broken-');
    try {
      fs.writeFileSync(path.join(other, 'weft.yml'), broken);
      const run = await runWeft(['validate'], { cwd: other, env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /weft\.yml:8:\d+ +connections\.team\.webhook_url: unsupported template '\{\{env SLACK_HOOK_URL\}\}'/,
      );
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
