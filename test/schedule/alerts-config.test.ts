/** weft.yml `alerts:`: defaults, and the connection must exist and be a webhook or slack one. */
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadProject } from '../../src/config/index.js';
import { removeProjects, writeProject } from '../config/helpers.js';

afterAll(removeProjects);

const weft = (alerts: string) =>
  [
    'name: t',
    'connections:',
    '  hook: { type: webhook, url: "http://127.0.0.1:1/x", secret: "0123456789" }',
    '  team: { type: slack, webhook_url: "http://127.0.0.1:1/slack" }',
    '  out: { type: file, path: out }',
    alerts,
    '',
  ].join('\n');

describe('weft.yml alerts', () => {
  it('defaults `on` to failed and partial', async () => {
    const { project, issues } = await loadProject(
      writeProject({ 'weft.yml': weft('alerts: { connection: team }') }),
      {
        env: {},
      },
    );
    expect(issues).toEqual([]);
    expect(project?.config.alerts).toEqual({ connection: 'team', on: ['failed', 'partial'] });
  });

  it('keeps a rejection-rate threshold and a narrowed `on`', async () => {
    const dir = writeProject({
      'weft.yml': weft('alerts: { connection: hook, on: [failed], max_rejection_rate: 0.05 }'),
    });
    const { project } = await loadProject(dir, { env: {} });
    expect(project?.config.alerts).toEqual({ connection: 'hook', on: ['failed'], max_rejection_rate: 0.05 });
  });

  it('names an unknown connection and a connection that cannot take alerts, at the field', async () => {
    const unknown = await loadProject(writeProject({ 'weft.yml': weft('alerts: { connection: nope }') }), {
      env: {},
    });
    expect(unknown.issues.map(formatIssue)).toEqual([
      "weft.yml:6:23  alerts.connection: unknown connection 'nope' (connections: hook, team, out)",
    ]);
    const wrongType = await loadProject(writeProject({ 'weft.yml': weft('alerts: { connection: out }') }), {
      env: {},
    });
    expect(wrongType.issues.map(formatIssue)).toEqual([
      "weft.yml:6:23  alerts.connection: connection 'out' has type 'file'; alerts go to a webhook or slack connection",
    ]);
  });

  it('rejects a rate outside 0..1 and an unknown trigger', async () => {
    const { issues } = await loadProject(
      writeProject({ 'weft.yml': weft('alerts: { connection: hook, on: [done], max_rejection_rate: 5 }') }),
      { env: {} },
    );
    expect(issues.map((i) => i.message).join('\n')).toMatch(/on\[0\]|failed|partial/);
    expect(issues.length).toBe(2);
  });
});
