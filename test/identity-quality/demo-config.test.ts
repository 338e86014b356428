/** The demo project's identity.yml and profiles.yml load, and cover every seeded source. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.js';
import { qualitySources } from '../../src/identity-quality/index.js';
import { SOURCE_TABLES, tableName } from '../../src/seed/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('demo identity and profiles config', () => {
  it('validates, lists id types in priority order and maps every source to a seeded table', async () => {
    const { project, issues } = await loadProject(repoRoot);
    expect(issues).toEqual([]);
    expect(Object.keys(project?.identity?.id_types ?? {})).toEqual([
      'user_id',
      'email',
      'phone',
      'anonymous_id',
      'device_id',
    ]);
    const warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: repoRoot });
    try {
      const sources = qualitySources(project!, warehouse.dialect);
      expect(new Set(sources.map((s) => s.truthTable))).toEqual(new Set(SOURCE_TABLES.map(tableName)));
      // Keys are the raw tables' keys, so identity_rows joins the ground truth directly.
      for (const s of sources) expect(s.rowKey).toContain(s.truthKeyColumn);
      expect(sources.find((s) => s.name === 'stg_shop_orders')?.ids).toEqual([
        { type: 'user_id', column: 'customer_id' },
      ]);
    } finally {
      await warehouse.close();
    }
  });

  it('defines the traits the demo promises, each from an identity source', async () => {
    const { project } = await loadProject(repoRoot);
    const traits = project?.profiles?.traits ?? {};
    for (const name of ['email', 'phone', 'first_name', 'last_name', 'lifetime_value', 'order_count']) {
      expect(traits[name], name).toBeDefined();
    }
    for (const name of ['last_seen_at', 'plan', 'company', 'support_tickets', 'newsletter_subscribed']) {
      expect(traits[name], name).toBeDefined();
    }
    const identitySources = new Set(project?.identity?.sources.map((s) => s.from));
    for (const [name, trait] of Object.entries(traits)) {
      for (const from of [trait.from].flat())
        expect(identitySources.has(from), `${name} from ${from}`).toBe(true);
    }
  });
});
