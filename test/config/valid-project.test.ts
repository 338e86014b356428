import { describe, expect, it } from 'vitest';
import { loadProject, loadProjectOrThrow } from '../../src/config/index.js';
import { fixture } from './helpers.js';

const env = { HUBSPOT_TOKEN: 'pat-na1-0123456789' };

describe('a valid full project', () => {
  it('loads with no issues', async () => {
    const { project, issues } = await loadProject(fixture('valid'), { env });
    expect(issues).toEqual([]);
    expect(project?.dir).toBe(fixture('valid'));
  });

  it('reads weft.yml with env rendered and defaults applied', async () => {
    const project = await loadProjectOrThrow(fixture('valid'), { env });
    expect(project.config).toEqual({
      name: 'demo',
      schema: 'weft',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb', path: '.weft/warehouse.duckdb' },
      connections: {
        hubspot_main: { type: 'hubspot', token: 'pat-na1-0123456789', base_url: 'https://api.hubapi.com' },
      },
      vars: { min_order_amount: 10 },
    });
  });

  it('normalizes sources: bare names and objects with identifier', async () => {
    const project = await loadProjectOrThrow(fixture('valid'), { env });
    expect(project.sources.map((s) => s.name)).toEqual(['shop', 'crm', 'web']);
    expect(project.sources[0]).toEqual({
      name: 'shop',
      schema: 'raw',
      description: "The web shop's database",
      tables: [
        { name: 'customers', identifier: 'customers' },
        { name: 'orders', identifier: 'orders' },
      ],
    });
    expect(project.sources[1]?.tables).toEqual([
      { name: 'contacts', identifier: 'crm_contacts', description: 'CRM export' },
    ]);
  });

  it('discovers models sorted, with comment and sidecar configs', async () => {
    const project = await loadProjectOrThrow(fixture('valid'), { env });
    expect(project.models.map((m) => [m.name, m.path])).toEqual([
      ['stg_customers', 'models/staging/stg_customers.sql'],
      ['stg_orders', 'models/staging/stg_orders.sql'],
    ]);
    const [customers, orders] = project.models;
    expect(customers?.config).toEqual({
      materialized: 'table',
      unique_key: ['customer_id'],
      tags: ['staging'],
      enabled: true,
      description: 'Shop customers, cleaned',
    });
    expect(orders?.config).toEqual({
      materialized: 'incremental',
      unique_key: ['order_id'],
      tags: [],
      enabled: true,
    });
    expect(orders?.sql.startsWith('/* config:')).toBe(true);
  });

  it('parses identity, profiles, audiences and syncs faithfully', async () => {
    const project = await loadProjectOrThrow(fixture('valid'), { env });
    expect(Object.keys(project.identity?.id_types ?? {})).toEqual([
      'user_id',
      'email',
      'phone',
      'anonymous_id',
    ]);
    expect(project.identity?.id_types.phone).toEqual({
      normalize: 'phone',
      default_country_code: '1',
      max_per_profile: 2,
    });
    expect(project.identity?.blocklist).toEqual({ email: ['test@test.com', '*@example.com'] });
    expect(project.identity?.sources[1]).toEqual({
      from: 'web.events',
      ids: { anonymous_id: 'anonymous_id', user_id: 'user_id' },
      timestamp: 'ts',
    });
    expect(project.profiles?.traits.email).toEqual({
      from: 'crm.contacts',
      column: 'email',
      pick: 'most_recent',
      order_by: 'updated_at',
    });
    expect(project.profiles?.traits.lifetime_value).toEqual({ from: 'shop.orders', expr: 'sum(amount)' });
    expect(project.audiences.map((a) => a.path)).toEqual([
      'models/audiences/high_value_recent.yml',
      'models/audiences/unsubscribed.yml',
    ]);
    expect(project.audiences[0]?.value.where).toEqual({
      all: [
        { trait: 'lifetime_value', op: 'gte', value: 500 },
        { event: 'shop.orders', timestamp: 'created_at', within_days: 90, count: { gte: 1 } },
        { not: { audience: 'unsubscribed' } },
      ],
    });
    expect(project.syncs[0]).toEqual({
      path: 'syncs/hubspot_vip.yml',
      value: {
        name: 'hubspot_vip',
        from: 'audience.high_value_recent',
        connection: 'hubspot_main',
        object: 'contacts',
        mode: 'upsert',
        key: 'email',
        match_on: 'email',
        mappings: { email: 'email', firstname: 'first_name', ltv: '{{round lifetime_value 2}}' },
        schedule: '0 * * * *',
        priority: 'normal',
        guardrails: { max_delete_pct: 20 },
      },
    });
  });

  it('collects the env-rendered connection token as a secret, not the committed default', async () => {
    const project = await loadProjectOrThrow(fixture('valid'), { env });
    expect(project.secrets).toEqual(['pat-na1-0123456789']);
  });
});
