import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadProject } from '../../src/config/index.js';
import { removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

describe('cross-file references', () => {
  it('reports unknown connections, relations, audiences and id types at the referencing field', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nconnections:\n  hubspot_main: { type: hubspot }\n',
      'models/sources.yml': 'sources:\n  shop:\n    schema: raw\n    tables: [orders]\n',
      'models/stg.sql': 'select 1',
      'models/identity.yml': [
        'identity:',
        '  id_types:',
        '    email: {}',
        '  blocklist:',
        '    phone: ["0"]',
        '  sources:',
        '    - from: shop.order',
        '      ids: { emial: e }',
        '',
      ].join('\n'),
      'models/profiles.yml': 'profiles:\n  traits:\n    ltv: { from: [stg, nope], expr: "sum(x)" }\n',
      'models/audiences/a.yml': 'name: a\nwhere:\n  not: { audience: missing }\n',
      'syncs/s.yml': 'name: s\nfrom: audience.b\nconnection: hubspot_mian\nkey: email\n',
      'syncs/t.yml': 'name: t\nfrom: stg\nconnection: hubspot_main\nkey: email\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      "models/identity.yml:5:5  identity.blocklist.phone: unknown id type 'phone'",
      "models/identity.yml:7:13  identity.sources[0].from: unknown source table 'shop.order' (did you mean 'shop.orders'?)",
      "models/identity.yml:8:14  identity.sources[0].ids.emial: unknown id type 'emial' (did you mean 'email'?)",
      "models/profiles.yml:3:24  profiles.traits.ltv.from[1]: unknown model 'nope'",
      "models/audiences/a.yml:3:20  where.not.audience: unknown audience 'missing'; known audiences: a",
      "syncs/s.yml:2:7  from: unknown audience 'b' (did you mean 'a'?)",
      "syncs/s.yml:3:13  connection: unknown connection 'hubspot_mian': not in weft.yml connections (did you mean 'hubspot_main'?)",
    ]);
  });

  it('reports duplicate audience and sync names', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\n',
      'models/audiences/one.yml': 'name: vip\nsql: select 1 as profile_id\n',
      'models/audiences/two.yml': 'name: vip\nsql: select 2 as profile_id\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      "models/audiences/two.yml:1:7  name: duplicate audience name 'vip' (also in models/audiences/one.yml)",
    ]);
  });
});

describe('sync sources', () => {
  it('accepts a model, a source table or an audience, and names an unknown source table', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\nconnections:\n  hook: { type: webhook }\n',
      'models/sources.yml': 'sources:\n  shop:\n    schema: raw\n    tables: [orders]\n',
      'models/stg.sql': 'select 1',
      'syncs/a.yml': 'name: a\nfrom: shop.orders\nconnection: hook\nkey: id\n',
      'syncs/b.yml': 'name: b\nfrom: stg\nconnection: hook\nkey: id\n',
      'syncs/c.yml': 'name: c\nfrom: shop.order\nconnection: hook\nkey: id\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      "syncs/c.yml:2:7  from: unknown source table 'shop.order' (did you mean 'shop.orders'?)",
    ]);
  });
});
