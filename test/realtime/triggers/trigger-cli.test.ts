/**
 * `weft trigger test` (the built CLI) and trigger files in `weft validate`: what would fire and
 * the rendered message, without sending; bad trigger files named by file, line and field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runWeft } from '../../cli/run-weft.js';
import { meterFault, PROFILES, pageView, projectFiles, TRIGGER_FILES, writeProject } from './fixture.js';

// Nothing listens here: a send would fail, so a passing run proves nothing was sent.
// Evaluated at a fixed instant: nothing depends on the clock.
const AT = ['--at', '2026-03-02T10:00:00Z'];
const URLS = { slack: 'http://127.0.0.1:9/services/T0X/B0X/tok', webhook: 'http://127.0.0.1:9/hooks/weft' };

function projectWith(files: Record<string, string> = {}): string {
  const dir = writeProject(projectFiles(URLS, files));
  fs.writeFileSync(path.join(dir, 'ada.json'), JSON.stringify(PROFILES[0]));
  fs.writeFileSync(
    path.join(dir, 'view.json'),
    JSON.stringify(pageView('v-1', { userId: 'u-ada' }, '/pricing')),
  );
  fs.writeFileSync(
    path.join(dir, 'docs.json'),
    JSON.stringify(pageView('v-2', { userId: 'u-ada' }, '/docs')),
  );
  const { messageId: _m, receivedAt: _r, timestamp: _t, ...fault } = meterFault('x', 'M-77', 'major');
  fs.writeFileSync(path.join(dir, 'fault.json'), JSON.stringify(fault));
  return dir;
}

describe('weft trigger test', () => {
  it('shows each verdict and the rendered Slack message for a VIP on the pricing page', async () => {
    const dir = projectWith();
    const res = await runWeft(
      [
        'trigger',
        'test',
        'vip_pricing',
        '--event',
        'view.json',
        '--profile-file',
        'ada.json',
        '--project',
        dir,
        ...AT,
      ],
      { cwd: dir },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('✓ context.page.path starts_with "/pricing" (event: "/pricing")');
    expect(res.stdout).toContain('✓ in audience vip');
    expect(res.stdout).toContain('text: :eyes: Ada (ada@example.org) is on /pricing. Grace, say hi?');
    expect(res.stdout).toContain('→ would fire');
  });

  it('--json: says why it would not fire, and fills in a bare MQTT event', async () => {
    const dir = projectWith();
    const miss = await runWeft(
      [
        'trigger',
        'test',
        'vip_pricing',
        '--event',
        'docs.json',
        '--profile-file',
        'ada.json',
        '--json',
        ...AT,
      ],
      { cwd: dir },
    );
    const [result] = jsonLines(miss.stdout) as Array<Record<string, unknown>>;
    expect(miss.code).toBe(0);
    expect(result).toMatchObject({ would_fire: false, message: null, on: [{ ok: true }, { ok: false }] });

    const fault = await runWeft(
      ['trigger', 'test', 'meter_fault', '--event', 'fault.json', '--json', ...AT],
      {
        cwd: dir,
      },
    );
    const [fired] = jsonLines(fault.stdout) as Array<Record<string, unknown>>;
    expect(fired).toMatchObject({
      would_fire: true,
      message_id: 'trigger-test',
      person: { profile_id: null, person_key: 'anonymous_id:device:M-77' },
      connection: { name: 'support_queue', type: 'webhook', primitive: 'insert' },
      message: {
        fields: {
          text: 'Meter M-77 reports E42',
          customer_email: null,
          event: { receivedAt: '2026-03-02T10:00:00.000Z' },
        },
      },
    });
  });

  it('an unknown trigger is a usage error with a suggestion', async () => {
    const res = await runWeft(['trigger', 'test', 'vip_pricin', '--event', 'view.json'], {
      cwd: projectWith(),
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown trigger 'vip_pricin' (did you mean 'vip_pricing'?)");
  });
});

describe('weft validate with trigger files', () => {
  it('names file, line and field for every problem', async () => {
    const dir = projectWith({
      'models/triggers/broken.yml': `on: { type: pag }
where:
  all:
    - { audience: vipp }
    - { event: crm.contacts, count: { gte: 1 } }
send:
  connection: sales_slak
  template: "{{#if}}"
once_per: 24 hours
quiet_hours: { start: "22:00", end: "7am", timezone: Mars/Olympus }
`,
    });
    const res = await runWeft(['validate', '--json'], { cwd: dir });
    expect(res.code).toBe(2);
    const [out] = jsonLines(res.stdout) as Array<{
      problems: Array<{ file: string; line: number; path: string; message: string }>;
    }>;
    const problems = out!.problems
      .filter((p) => p.file === 'models/triggers/broken.yml')
      .map((p) => `${p.line} ${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^1 on\.type: /),
        expect.stringMatching(/^9 once_per: must be a positive duration/),
        expect.stringMatching(/^10 quiet_hours\.end: must be a time of day/),
        expect.stringMatching(/^10 quiet_hours\.timezone: unknown time zone/),
      ]),
    );
    // Cross-file checks run once the file itself is valid.
    const fixed = projectWith({
      'models/triggers/broken.yml': `on: { type: page }
where:
  all:
    - { audience: vipp }
    - { event: crm.contacts }
send:
  connection: sales_slak
  template: "{{#if}}"
`,
    });
    const again = await runWeft(['validate'], { cwd: fixed });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /models\/triggers\/broken\.yml:4:\d+ {2}where\.all\[0\]\.audience: unknown audience 'vipp' \(did you mean 'vip'\?\)/,
    );
    expect(again.stderr).toMatch(
      /broken\.yml:5:\d+ {2}where\.all\[1\]\.event: event conditions are not evaluated live/,
    );
    expect(again.stderr).toMatch(
      /broken\.yml:7:\d+ {2}send\.connection: unknown connection 'sales_slak'.*did you mean 'sales_slack'/,
    );
    expect(again.stderr).toMatch(/broken\.yml:8:\d+ {2}send\.template: invalid template/);
    const compile = await runWeft(['compile'], { cwd: fixed });
    expect(compile.code).toBe(2);
    expect(compile.stderr).toMatch(/broken\.yml:7:\d+ {2}send\.connection: unknown connection 'sales_slak'/);
    const good = await runWeft(['validate'], { cwd: projectWith() });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('2 triggers');
  });
});

describe('weft trigger test against the last build', () => {
  it('finds the person from the event in identity_map, with their traits and audiences', async () => {
    const dir = writeProject({
      'weft.yml': `name: built
warehouse: { type: duckdb, path: .weft/w.duckdb }
connections:
  sales_slack: { type: slack, webhook_url: "${URLS.slack}" }
`,
      'models/contacts.sql': `select 'u-ada' as user_id, 'ada@acme.io' as email, 'Ada' as first_name, 'Grace' as account_manager, 25000 as ltv, timestamp '2026-01-01' as updated_at
union all select 'u-bob', 'bob@acme.io', 'Bob', null, 40, timestamp '2026-01-01'
`,
      'models/identity.yml': `identity:
  id_types:
    user_id: {}
    email: { normalize: email }
  sources:
    - { from: contacts, key: user_id, ids: { user_id: user_id, email: email }, timestamp: updated_at }
`,
      'models/profiles.yml': `profiles:
  traits:
    email: { from: contacts, column: email }
    first_name: { from: contacts, column: first_name }
    account_manager: { from: contacts, column: account_manager }
    lifetime_value: { from: contacts, expr: "sum(ltv)" }
`,
      'models/audiences/vip.yml': 'name: vip\nwhere: { trait: lifetime_value, op: gte, value: 10000 }\n',
      'models/triggers/vip_pricing.yml': TRIGGER_FILES['models/triggers/vip_pricing.yml'] as string,
      'view.json': JSON.stringify(
        pageView('v-9', { anonymousId: 'anon-new', traits: { email: ' ADA@Acme.io' } }, '/pricing'),
      ),
    });
    const build = await runWeft(['build'], { cwd: dir, env: { WEFT_WAREHOUSE_URL: '' } });
    expect(build.code, build.stderr).toBe(0);
    const byEvent = await runWeft(
      ['trigger', 'test', 'vip_pricing', '--event', 'view.json', '--json', ...AT],
      {
        cwd: dir,
        env: { WEFT_WAREHOUSE_URL: '' },
      },
    );
    const [found] = jsonLines(byEvent.stdout) as Array<Record<string, unknown>>;
    expect(found).toMatchObject({
      would_fire: true,
      person: { person_key: expect.stringMatching(/^profile:/) },
      message: { fields: { text: ':eyes: Ada (ada@acme.io) is on /pricing. Grace, say hi?' } },
    });
    const bob = await runWeft(
      ['trigger', 'test', 'vip_pricing', '--event', 'view.json', '--profile', 'user_id:u-bob', ...AT],
      { cwd: dir, env: { WEFT_WAREHOUSE_URL: '' } },
    );
    expect(bob.stdout).toContain('✗ in audience vip');
    expect(bob.stdout).toContain('→ would not fire');
  });
});
