/** buildAudiences and the 'audiences' build stage: views, failures, skips, stage wiring. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAudiences } from '../../src/audiences/index.js';
import { buildProject } from '../../src/build/index.js';
import { identitySchema } from '../../src/config/schemas/identity.js';
import { profilesSchema } from '../../src/config/schemas/profiles.js';
import type { Project } from '../../src/config/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { buildTestProject } from '../build/build-project.js';
import { kindOf, openSeededWarehouse, type TestWarehouse } from '../build/duckdb-fixture.js';
import { AS_OF, idsOf, openFixtureWarehouse, projectWith } from './fixture.js';

const pro = { trait: 'plan', op: 'eq', value: 'pro' };

describe('buildAudiences on the fixture', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openFixtureWarehouse();
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('reports a failing audience with its file, skips what reads it, builds the rest', async () => {
    const project = projectWith({
      broken: { where: { event: 'app.events', where: [{ column: 'no_such_column', op: 'eq', value: 1 }] } },
      reads_broken: { where: { any: [pro, { audience: 'broken' }] } },
      reads_reader: { where: { audience: 'reads_broken' } },
      fine: { where: pro },
    });
    const events: string[] = [];
    const report = await buildAudiences(project, warehouse, {
      asOf: AS_OF,
      onEvent: (e) => events.push(`${e.type}:${e.name}${e.type === 'audience_done' ? `:${e.status}` : ''}`),
    });
    expect(report.audiences.map((a) => [a.name, a.size])).toEqual([['fine', 3]]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.name).toBe('broken');
    expect(report.failed[0]?.error).toMatch(/^models\/audiences\/broken\.yml: .*no_such_column/s);
    expect(report.skipped).toEqual([
      {
        name: 'reads_broken',
        path: 'models/audiences/reads_broken.yml',
        skipped_because: 'reads audience broken, which failed (models/audiences/broken.yml)',
      },
      {
        name: 'reads_reader',
        path: 'models/audiences/reads_reader.yml',
        skipped_because: 'reads audience reads_broken, which was skipped',
      },
    ]);
    expect(events).toEqual([
      'audience_start:broken',
      'audience_done:broken:error',
      'audience_done:reads_broken:skipped',
      'audience_done:reads_reader:skipped',
      'audience_start:fine',
      'audience_done:fine:success',
    ]);
  });

  it('replaces a table of the same name and a changed definition', async () => {
    await warehouse.execute("CREATE TABLE weft.audience_pros AS SELECT 'old' AS profile_id");
    await buildAudiences(projectWith({ pros: { where: pro } }), warehouse, { asOf: AS_OF });
    expect(await kindOf(warehouse, 'weft', 'audience_pros')).toBe('view');
    expect(await idsOf(warehouse, 'weft.audience_pros')).toEqual(['p1', 'p3', 'p6']);
    await buildAudiences(
      projectWith({ pros: { where: { trait: 'vip', op: 'eq', value: true } } }),
      warehouse,
      {
        asOf: AS_OF,
      },
    );
    expect(await idsOf(warehouse, 'weft.audience_pros')).toEqual(['p1', 'p6']);
  });

  it('exports the columns traits next to profile_id', async () => {
    await buildAudiences(
      projectWith({ vips: { where: { trait: 'vip', op: 'eq', value: true }, columns: ['email', 'ltv'] } }),
      warehouse,
      {
        asOf: AS_OF,
      },
    );
    const rows = await warehouse.query('SELECT * FROM weft.audience_vips ORDER BY profile_id');
    expect(rows).toEqual([
      { profile_id: 'p1', email: 'ann@big.com', ltv: 800 },
      { profile_id: 'p6', email: 'eve@big.com', ltv: 1000 },
    ]);
  });

  it('without as_of, relative dates follow the warehouse clock (views stay live)', async () => {
    await warehouse.execute(
      "UPDATE weft.profiles SET last_seen_at = timezone('UTC', current_timestamp) - INTERVAL 2 DAY WHERE profile_id = 'p4'",
    );
    await buildAudiences(
      projectWith({ recent: { where: { trait: 'last_seen_at', op: 'within_days', value: 7 } } }),
      warehouse,
      {
        asOf: null,
      },
    );
    expect(await idsOf(warehouse, 'weft.audience_recent')).toEqual(['p4']);
  });
});

/** The build test project with identity over its models, an email trait and two audiences. */
function endToEndProject(): Project {
  const project = buildTestProject();
  project.identity = identitySchema.parse({
    id_types: { user_id: {}, email: { normalize: 'email' } },
    sources: [
      { from: 'stg_customers', ids: { user_id: 'customer_id', email: 'email' } },
      { from: 'stg_orders', ids: { user_id: 'customer_id' }, key: 'order_id', timestamp: 'updated_at' },
    ],
  });
  project.profiles = profilesSchema.parse({
    traits: { email: { from: 'stg_customers', column: 'email', pick: 'first', order_by: 'email' } },
  });
  const audiences = projectWith({
    repeat_buyers: { where: { event: 'stg_orders', count: { gte: 2 } }, columns: ['email'] },
    one_time: { where: { event: 'stg_orders', count: { eq: 1 } }, exclude: { audience: 'repeat_buyers' } },
  }).audiences;
  return { ...project, audiences };
}

describe("the build stage 'audiences'", () => {
  let test: TestWarehouse;
  beforeEach(async () => {
    test = await openSeededWarehouse();
  });
  afterEach(async () => {
    await test.dispose();
  });

  it('runs after profiles in a full build', async () => {
    const result = await buildProject(endToEndProject(), test.warehouse);
    expect(result.status).toBe('success');
    expect(result.audiences?.status).toBe('success');
    expect(result.audiences?.report?.audiences.map((a) => [a.name, a.size])).toEqual([
      ['repeat_buyers', 1],
      ['one_time', 2],
    ]);
    const rows = await test.warehouse.query('SELECT email FROM weft.audience_repeat_buyers');
    expect(rows).toEqual([{ email: 'ann@acme-shop.io' }]);
  });

  it('--select audiences rebuilds only the audiences', async () => {
    const project = endToEndProject();
    await buildProject(project, test.warehouse);
    await test.warehouse.execute('DROP VIEW weft.audience_one_time');
    const result = await buildProject(project, test.warehouse, { select: 'audiences' });
    expect(result.models).toEqual([]);
    expect(result.identity).toBeUndefined();
    expect(result.profiles).toBeUndefined();
    expect(result.audiences?.status).toBe('success');
    expect(await kindOf(test.warehouse, 'weft', 'audience_one_time')).toBe('view');
  });

  it('is skipped when profiles failed, and fails the build when an audience fails', async () => {
    const project = endToEndProject();
    project.profiles = profilesSchema.parse({
      traits: { email: { from: 'stg_customers', column: 'no_such' } },
    });
    const skipped = await buildProject(project, test.warehouse);
    expect(skipped.profiles?.status).toBe('error');
    expect(skipped.audiences).toEqual({
      status: 'skipped',
      skipped_because: 'profiles did not build',
      ms: 0,
    });

    const broken = endToEndProject();
    broken.audiences = projectWith({
      bad: { where: { event: 'stg_orders', where: [{ column: 'nope', op: 'is_null' }] } },
    }).audiences;
    const failed = await buildProject(broken, test.warehouse);
    expect(failed.status).toBe('failed');
    expect(failed.audiences?.status).toBe('error');
    expect(failed.audiences?.error).toBe('1 audience(s) failed: bad (models/audiences/bad.yml)');
    expect(failed.audiences?.report?.failed[0]?.error).toContain('nope');
  });
});
