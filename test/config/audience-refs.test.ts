import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadProject } from '../../src/config/index.js';
import { removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

/** A small project: two identity sources (one a model over a source table), three traits. */
const base: Record<string, string> = {
  'weft.yml': 'name: t\nconnections:\n  hook: { type: webhook }\n',
  'models/sources.yml': 'sources:\n  shop:\n    schema: raw\n    tables: [customers, orders]\n',
  'models/stg_orders.sql': "select * from {{source 'shop' 'orders'}}",
  'models/stg_visits.sql': 'select 1 as visit_id',
  'models/identity.yml': [
    'identity:',
    '  id_types:',
    '    user_id: {}',
    '  sources:',
    '    - from: shop.customers',
    '      ids: { user_id: id }',
    '    - from: stg_orders',
    '      ids: { user_id: customer_id }',
    '',
  ].join('\n'),
  'models/profiles.yml': [
    'profiles:',
    '  traits:',
    '    lifetime_value: { from: stg_orders, expr: "sum(amount)" }',
    '    last_order_at: { from: stg_orders, expr: "max(created_at)" }',
    '    email: { from: shop.customers, column: email }',
    '',
  ].join('\n'),
};

async function problems(files: Record<string, string>): Promise<string[]> {
  const dir = writeProject({ ...base, ...files });
  const { issues } = await loadProject(dir, { env: {} });
  return issues.map(formatIssue);
}

describe('audience references', () => {
  it('accepts traits, identity-source events, trait columns and known audiences', async () => {
    const found = await problems({
      'models/audiences/buyers.yml': [
        'name: buyers',
        'where:',
        '  all:',
        '    - { trait: lifetime_value, op: gt, value: 0 }',
        '    - { event: stg_orders, timestamp: created_at, within_days: 30 }',
        '    - { event: shop.customers }',
        '    - not: { audience: other }',
        'columns: [email, lifetime_value]',
        '',
      ].join('\n'),
      'models/audiences/other.yml': 'name: other\nsql: select 1 as profile_id\n',
    });
    expect(found).toEqual([]);
  });

  it('names the closest trait, column and audience at their lines', async () => {
    const found = await problems({
      'models/audiences/vip.yml': [
        'name: vip',
        'description: Big spenders',
        'where:',
        '  all:',
        '    - { trait: lifetme_value, op: gte, value: 500 }',
        '    - any:',
        '        - { audience: buyer }',
        '        - not: { trait: favourite_colour, op: eq, value: red }',
        'columns: [email, last_ordr_at]',
        '',
      ].join('\n'),
      'models/audiences/buyers.yml': 'name: buyers\nsql: select 1 as profile_id\n',
    });
    expect(found).toEqual([
      "models/audiences/vip.yml:5:16  where.all[0].trait: unknown trait 'lifetme_value': not in models/profiles.yml (did you mean 'lifetime_value'?)",
      "models/audiences/vip.yml:7:23  where.all[1].any[0].audience: unknown audience 'buyer' (did you mean 'buyers'?)",
      "models/audiences/vip.yml:8:25  where.all[1].any[1].not.trait: unknown trait 'favourite_colour': not in models/profiles.yml; known traits: lifetime_value, last_order_at, email",
      "models/audiences/vip.yml:9:18  columns[1]: unknown column 'last_ordr_at': columns are traits from models/profiles.yml (did you mean 'last_order_at'?)",
    ]);
  });

  it('events must be identity sources: says so for a real model or source table, and who reads it', async () => {
    const found = await problems({
      'models/audiences/a.yml': [
        'name: a',
        'where:',
        '  any:',
        '    - { event: stg_order }',
        '    - { event: shop.orders, count: { gte: 2 } }',
        '    - { event: stg_visits }',
        '',
      ].join('\n'),
    });
    expect(found).toEqual([
      "models/audiences/a.yml:4:16  where.any[0].event: unknown event source 'stg_order': events must be identity sources (models/identity.yml), whose rows reach a profile (did you mean 'stg_orders'?)",
      "models/audiences/a.yml:5:16  where.any[1].event: source table 'shop.orders' is not an identity source: events must be identity sources (models/identity.yml), whose rows reach a profile ('stg_orders' reads it and is one)",
      "models/audiences/a.yml:6:16  where.any[2].event: model 'stg_visits' is not an identity source: events must be identity sources (models/identity.yml), whose rows reach a profile; known identity sources: shop.customers, stg_orders",
    ]);
  });

  it('explains a trait or event when the project has no profiles.yml or identity.yml', async () => {
    const dir = writeProject({
      'weft.yml': 'name: t\n',
      'models/audiences/a.yml':
        'name: a\nwhere:\n  all:\n    - { trait: x, op: is_null }\n    - { event: y }\n',
    });
    const { issues } = await loadProject(dir, { env: {} });
    expect(issues.map((i) => i.message)).toEqual([
      "unknown trait 'x': the project has no models/profiles.yml",
      "event source 'y': events must be identity sources (models/identity.yml), whose rows reach a profile, and the project has no models/identity.yml",
    ]);
  });
});

describe('audience exclusions', () => {
  it('walks exclude like where', async () => {
    const found = await problems({
      'models/audiences/a.yml': [
        'name: a',
        'where: { trait: lifetime_value, op: gt, value: 0 }',
        'exclude:',
        '  any:',
        '    - { audience: staf }',
        '    - { trait: emial, op: is_null }',
        '',
      ].join('\n'),
      'models/audiences/staff.yml': 'name: staff\nsql: select 1 as profile_id\n',
    });
    expect(found).toEqual([
      "models/audiences/a.yml:5:19  exclude.any[0].audience: unknown audience 'staf' (did you mean 'staff'?)",
      "models/audiences/a.yml:6:16  exclude.any[1].trait: unknown trait 'emial': not in models/profiles.yml (did you mean 'email'?)",
    ]);
  });
});

describe('sync from an audience', () => {
  const winBack = [
    'name: win_back',
    'where: { trait: last_order_at, op: older_than_days, value: 90 }',
    'splits: { control: 10, treatment: 90 }',
    '',
  ].join('\n');

  it('accepts audience.<name>_<arm> for an arm of the audience splits', async () => {
    const found = await problems({
      'models/audiences/win_back.yml': winBack,
      'syncs/s.yml': 'name: s\nfrom: audience.win_back_treatment\nconnection: hook\nkey: profile_id\n',
      'syncs/t.yml': 'name: t\nfrom: audience.win_back\nconnection: hook\nkey: profile_id\n',
    });
    expect(found).toEqual([]);
  });

  it("refuses the reserved audience name 'members'", async () => {
    const found = await problems({
      'models/audiences/members.yml': 'name: members\nsql: select 1 as profile_id\n',
    });
    expect(found).toEqual([
      "models/audiences/members.yml:1:7  name: the audience name 'members' is reserved: weft writes every audience's members to audience_members",
    ]);
  });

  it('accepts membership in one split arm inside a condition', async () => {
    const found = await problems({
      'models/audiences/win_back.yml': winBack,
      'models/audiences/followup.yml': 'name: followup\nwhere: { audience: win_back_control }\n',
      'models/audiences/typo.yml': 'name: typo\nwhere: { audience: win_back_contro }\n',
    });
    expect(found).toEqual([
      "models/audiences/typo.yml:2:20  where.audience: unknown audience 'win_back_contro' (did you mean 'win_back_control'?)",
    ]);
  });

  it('names the closest arm view for an arm that is not in splits', async () => {
    const found = await problems({
      'models/audiences/win_back.yml': winBack,
      'syncs/s.yml': 'name: s\nfrom: audience.win_back_contrl\nconnection: hook\nkey: profile_id\n',
    });
    expect(found).toEqual([
      "syncs/s.yml:2:7  from: unknown audience 'win_back_contrl' (did you mean 'win_back_control'?)",
    ]);
  });

  it('names the closest audience for a typo in audience.<name>', async () => {
    const found = await problems({
      'models/audiences/vip.yml': 'name: vip\nsql: select 1 as profile_id\n',
      'syncs/s.yml': 'name: s\nfrom: audience.vipp\nconnection: hook\nkey: profile_id\n',
    });
    expect(found).toEqual(["syncs/s.yml:2:7  from: unknown audience 'vipp' (did you mean 'vip'?)"]);
  });
});
