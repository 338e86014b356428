import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue, loadProject, loadProjectOrThrow } from '../../src/config/index.js';
import { MINIMAL_WEFT, removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

/**
 * A typo'd key, a bad indent and a missing env var, in three files. Written at test time: an
 * on-disk fixture with invalid YAML would break `biome check` (biome formats YAML too).
 */
function brokenProject(): string {
  return writeProject({
    'weft.yml': [
      'name: broken',
      'warehouse:',
      '  type: postgres',
      `  password: "{{env 'PGPASSWORD'}}"`,
      'connections:',
      '  hubspot_main:',
      '    type: hubspot',
      `    token: "{{env 'HUBSPOT_TOKEN'}}"`,
      '',
    ].join('\n'),
    'models/sources.yml': 'sources:\n  shop:\n    schema: raw\n    tabels: [customers, orders]\n',
    'models/identity.yml': [
      'identity:',
      '  id_types:',
      '    email: { normalize: email }',
      '  sources:',
      '    - from: shop.customers',
      '      ids: { email: email }',
      '     timestamp: updated_at',
      '',
    ].join('\n'),
  });
}

describe('error reporting', () => {
  it('reports a typo, a bad indent and a missing env var at once, each with file:line', async () => {
    const { project, issues } = await loadProject(brokenProject(), { env: {} });
    expect(project).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      "weft.yml:4:13  warehouse.password: environment variable 'PGPASSWORD' is not set (and {{env 'PGPASSWORD'}} has no default)",
      "models/sources.yml:4:5  sources.shop.tabels: unknown key 'tabels' (did you mean 'tables'?)",
      "models/identity.yml:7:1  YAML syntax error: Sequence item without - indicator (check the indentation and the ':' after each key on this line and the one before)",
    ]);
  });

  it('a missing weft.yml is one clear issue', async () => {
    const dir = writeProject({ 'models/x.sql': 'select 1' });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.file).toBe('weft.yml');
    expect(issues[0]?.message).toContain(`no weft.yml in ${dir}`);
    expect(issues[0]?.message).toContain('weft init');
  });

  it('loadProjectOrThrow throws a ConfigError carrying every issue', async () => {
    const error = await loadProjectOrThrow(brokenProject(), { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toHaveLength(3);
    expect((error as ConfigError).message).toContain('models/sources.yml:4:5');
  });

  it('points a missing key at its parent mapping and a bad value at the value', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nwarehouse:\n  type: postgres\n  port: 99999\n',
      'models/sources.yml': 'sources:\n  shop:\n    tables: [a]\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      'weft.yml:4:9  warehouse.port: expected number to be <=65535',
      "models/sources.yml:2:3  sources.shop.schema: missing required key 'schema'",
    ]);
  });

  it('suggests enum values and discriminators', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nwarehouse:\n  type: duckbd\n',
      'models/m.sql': '/* config: {materialized: tabel} */\nselect 1',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      "weft.yml:3:9  warehouse.type: expected one of 'duckdb', 'postgres', 'bigquery', 'snowflake', got 'duckbd' (did you mean 'duckdb'?)",
      "models/m.sql:1:27  config.materialized: expected one of 'view', 'table', 'incremental', got 'tabel' (did you mean 'table'?)",
    ]);
  });

  it('explains union mistakes by the branch that was meant', async () => {
    const dir = writeProject({
      'weft.yml': MINIMAL_WEFT,
      'models/audiences/a.yml': [
        'name: a',
        'where:',
        '  all:',
        '    - { trait: ltv, op: gtee, value: 1 }',
        '    - { event: shop.orders, within_days: 7 }',
        '    - { audience: b, extra: 1 }',
        '    - 42',
      ].join('\n'),
      'models/audiences/b.yml': 'name: b\nsql: select 1 as profile_id\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    const lines = issues.map(formatIssue);
    expect(lines[0]).toMatch(
      /^models\/audiences\/a\.yml:4:25 {2}where\.all\[0\]\.op: expected one of 'eq'.*got 'gtee' \(did you mean 'gte'\?\)$/,
    );
    expect(lines[1]).toBe(
      "models/audiences/a.yml:5:7  where.all[1].timestamp: 'within_days' needs 'timestamp'",
    );
    expect(lines[2]).toBe("models/audiences/a.yml:6:22  where.all[2].extra: unknown key 'extra'");
    expect(lines[3]).toBe('models/audiences/a.yml:7:7  where.all[3]: expected a mapping, got a number');
    expect(lines).toHaveLength(4);
  });

  it('reports each unknown key separately with its own line', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nstate_shema: s\nvarz: {}\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      "weft.yml:2:1  state_shema: unknown key 'state_shema' (did you mean 'state_schema'?)",
      "weft.yml:3:1  varz: unknown key 'varz' (did you mean 'vars'?)",
    ]);
  });

  it('reports an empty file and a wrong top-level type', async () => {
    const dir = writeProject({ 'weft.yml': '', 'syncs/s.yml': '- a\n' });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      'weft.yml:1:1  the file is empty',
      'syncs/s.yml:1:1  expected a mapping, got a list',
    ]);
  });

  it('checks sync rules: membership needs a list, schedules are cron', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nconnections:\n  hs: { type: hubspot }\n',
      'models/m.sql': 'select 1 as email',
      'syncs/s.yml': 'name: s\nfrom: m\nconnection: hs\nmode: membership\nkey: email\nschedule: hourly\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      "syncs/s.yml:1:1  list: membership mode needs 'list'",
      expect.stringMatching(
        /^syncs\/s\.yml:6:11 {2}schedule: 'hourly' is not a valid cron expression: .*@hourly/,
      ),
    ]);
  });

  it.each([
    ['0 25 * * *', /'0 25 \* \* \*' is not a valid cron expression: Invalid value for hour: 25/],
    ['99 * * * *', /Invalid value for minute: 99/],
    ['"@fortnightly"', /'@fortnightly' is not a valid cron expression/],
    ['0 9 31 2 *', /'0 9 31 2 \*' never fires: no date matches it/],
  ])('refuses the schedule %s that the scheduler would refuse or never fire', async (schedule, message) => {
    const dir = writeProject({
      'weft.yml': 'name: t\nconnections:\n  hook: { type: webhook, url: "https://h.example/in" }\n',
      'models/m.sql': 'select 1 as email',
      'syncs/s.yml': `name: s\nfrom: m\nconnection: hook\nmode: upsert\nkey: email\nschedule: ${schedule}\n`,
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([expect.stringMatching(message)]);
    expect(issues[0]?.line).toBe(6);
  });

  it('accepts schedules croner fires: five and six fields, @daily', async () => {
    for (const schedule of ['"*/15 * * * *"', '"0 0 * * * *"', '"@daily"']) {
      const dir = writeProject({
        'weft.yml': 'name: t\nconnections:\n  hook: { type: webhook, url: "https://h.example/in" }\n',
        'models/m.sql': 'select 1 as email',
        'syncs/s.yml': `name: s\nfrom: m\nconnection: hook\nmode: upsert\nkey: email\nschedule: ${schedule}\n`,
      });
      const { issues } = await loadProject(dir, { env: {} });
      expect(issues.map(formatIssue)).toEqual([]);
    }
  });
});
