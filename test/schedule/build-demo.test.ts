/**
 * Build before sync on the demo project (seeded): a sync from an audience needs the staging
 * models, identity, profiles and audiences; a changed source table rebuilds its staging model
 * and the stages after it, and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/index.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { buildWhatChanged } from '../../src/schedule/index.js';
import { ensureScheduleTables } from '../../src/schedule/tables.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { repoRoot, runWeft, tempDir } from '../cli/run-weft.js';

const STAGING = [
  'stg_app_events',
  'stg_crm_contacts',
  'stg_devices',
  'stg_newsletter_signups',
  'stg_shop_customers',
  'stg_shop_orders',
  'stg_support_tickets',
  'stg_web_events',
];

const sync = (name: string, from: string) =>
  ({
    name,
    from,
    connection: 'sandbox_webhook',
    key: 'profile_id',
    mode: 'upsert',
    mappings: {},
  }) as SyncConfig;

describe('build before sync on the demo project', () => {
  let dir: string;
  let project: Project;

  beforeAll(async () => {
    dir = tempDir('weft-schedule-demo-');
    fs.cpSync(path.join(repoRoot, 'models'), path.join(dir, 'models'), { recursive: true });
    const weft = fs.readFileSync(path.join(repoRoot, 'weft.yml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'weft.yml'), weft.replace(/path: \S+/, 'path: demo.duckdb'));
    const seed = await runWeft(['seed', '--people', '300', '--seed', '3', '--project', dir]);
    expect(seed.code, seed.stderr).toBe(0);
    project = await loadProjectOrThrow(dir, { env: {} });
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const withWarehouse = async <T>(body: (w: Warehouse) => Promise<T>): Promise<T> => {
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
    try {
      await ensureScheduleTables(warehouse, project.config.state_schema);
      return await body(warehouse);
    } finally {
      await warehouse.close();
    }
  };
  const build = (...syncs: SyncConfig[]) => withWarehouse((w) => buildWhatChanged(project, w, syncs));

  it('an audience sync builds the models identity reads, identity, profiles and audiences; then nothing', async () => {
    const first = await build(sync('vip', 'audience.high_value_recent'));
    expect(first.failures).toEqual(new Map());
    expect(first.built.filter((id) => id.startsWith('model:')).sort()).toEqual(
      STAGING.map((m) => `model:${m}`),
    );
    expect(first.built.filter((id) => id.startsWith('stage:'))).toEqual([
      'stage:identity',
      'stage:profiles',
      'stage:audiences',
    ]);
    const members = await withWarehouse((w) =>
      w.query('SELECT count(*) AS n FROM weft.audience_high_value_recent'),
    );
    expect(Number(members[0]?.n)).toBeGreaterThan(0);
    expect((await build(sync('vip', 'audience.high_value_recent'))).built).toEqual([]);
  }, 120_000);

  it('a changed source table rebuilds its staging model and the stages after it only', async () => {
    await build(sync('vip', 'audience.high_value_recent'));
    await withWarehouse((w) =>
      w.execute(
        "UPDATE raw.tickets SET subject = subject || ' (edited)' WHERE rowid = (SELECT min(rowid) FROM raw.tickets)",
      ),
    );
    const next = await build(sync('vip', 'audience.high_value_recent'), sync('crm', 'stg_crm_contacts'));
    expect(next.built).toEqual([
      'model:stg_support_tickets',
      'stage:identity',
      'stage:profiles',
      'stage:audiences',
    ]);
  }, 120_000);

  it('a model sync needs only that model and what it reads', async () => {
    const changed = await build(sync('crm', 'stg_crm_contacts'));
    expect(changed.built).toEqual([]); // built above, nothing changed since
  }, 60_000);
});
