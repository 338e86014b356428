import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudienceNotBuiltError,
  listAudiences,
  previewAudience,
  UnknownAudienceError,
} from '../../src/audiences/inspect/index.js';
import type { AudienceConfig } from '../../src/config/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { type AudienceFixture, createViews, MEMBERS, openAudienceFixture, recordBuild } from './fixture.js';

describe('audience inspect after a build (audience_members)', () => {
  let fx: AudienceFixture;
  beforeAll(async () => {
    fx = await openAudienceFixture();
  });
  afterAll(async () => {
    await fx.dispose();
  });

  it('list: every declared audience, without sizes before a build', async () => {
    const listed = await listAudiences(fx.warehouse, fx.project);
    expect(listed.map((a) => [a.name, a.size, a.changed_at])).toEqual([
      ['vip', null, null],
      ['recent', null, null],
      ['lapsed', null, null],
    ]);
    expect(listed[0]).toMatchObject({ description: 'the vip people', path: 'models/audiences/vip.yml' });
  });

  it('preview before a build says to run weft build; an unknown name suggests the closest', async () => {
    await expect(previewAudience(fx.warehouse, fx.project, 'vip')).rejects.toThrow(AudienceNotBuiltError);
    await expect(previewAudience(fx.warehouse, fx.project, 'vip')).rejects.toThrow(/run `weft build`/);
    await expect(previewAudience(fx.warehouse, fx.project, 'recnet')).rejects.toThrow(UnknownAudienceError);
    await expect(previewAudience(fx.warehouse, fx.project, 'recnet')).rejects.toThrow(
      "unknown audience 'recnet' (did you mean 'recent'?); audiences: vip, recent, lapsed",
    );
    const churn = {
      path: 'models/audiences/churn_risk.yml',
      value: { name: 'churn_risk' } as AudienceConfig,
    };
    const project = { ...fx.project, audiences: [...fx.project.audiences, churn] };
    await expect(previewAudience(fx.warehouse, project, 'churn')).rejects.toThrow(
      "unknown audience 'churn' (did you mean 'churn_risk'?)",
    );
  });

  it('list after a build: sizes and last change from audience_state', async () => {
    await recordBuild(fx.warehouse, fx.project, new Date('2025-06-01T00:00:00Z'));
    const listed = await listAudiences(fx.warehouse, fx.project);
    expect(listed.map((a) => [a.name, a.size, a.changed_at?.toISOString()])).toEqual([
      ['vip', 3, '2025-06-01T00:00:00.000Z'],
      ['recent', 4, '2025-06-01T00:00:00.000Z'],
      ['lapsed', 1, '2025-06-01T00:00:00.000Z'],
    ]);
  });

  it('preview: size, a sample with its columns, and the overlap with every other audience', async () => {
    const preview = await previewAudience(fx.warehouse, fx.project, 'recent', { limit: 2 });
    expect(preview.size).toBe(MEMBERS.recent?.length);
    expect(preview.columns).toEqual(['profile_id', 'email', 'lifetime_value']);
    expect(preview.sample).toEqual([
      { profile_id: 'p2', email: 'bob@x.com', lifetime_value: 650.5 },
      { profile_id: 'p3', email: 'cy@x.com', lifetime_value: 520 },
    ]);
    expect(preview.overlaps).toEqual([
      { audience: 'vip', size: 3, overlap: 2 },
      { audience: 'lapsed', size: 1, overlap: 0 },
    ]);
    expect(preview.arms).toEqual([]);
    expect(preview.notBuilt).toEqual([]);
    expect(preview.source).toBe('members');
    expect(preview.builtAt?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
  });

  it('preview reflects the last build, not the live view', async () => {
    await createViews(fx.warehouse, { ...MEMBERS, recent: ['p1'] });
    try {
      const preview = await previewAudience(fx.warehouse, fx.project, 'recent');
      expect(preview.size).toBe(4);
      expect(preview.sample.map((r) => r.profile_id)).toEqual(['p2', 'p3', 'p4', 'p5']);
    } finally {
      await createViews(fx.warehouse);
    }
  });

  it('preview reads size + arms + overlaps in one query over audience_members, and evaluates no view', async () => {
    const seen = countingQueries(fx.warehouse);
    await previewAudience(seen.warehouse, fx.project, 'vip');
    const reads = seen.sql.filter((sql) => sql.includes('"weft"."audience_'));
    expect(reads).toHaveLength(2);
    expect(reads.every((sql) => !/"weft"\."audience_(vip|recent|lapsed)"/.test(sql))).toBe(true);
    expect(reads[0]).toMatch(/GROUP BY o\.audience, o\.split/);
    expect(reads[0]).toMatch(/IN \('vip', 'recent', 'lapsed'\)/);
    expect(reads[1]).toMatch(/LIMIT 10\n/);
  });

  it('preview lists unbuilt audiences apart and shows split arm sizes', async () => {
    const trial: { path: string; value: AudienceConfig } = {
      path: 'models/audiences/trial.yml',
      value: {
        name: 'trial',
        sql: 'select profile_id from profiles',
        columns: [],
        splits: { control: 50, treatment: 50 },
      } as AudienceConfig,
    };
    const project = {
      ...fx.project,
      audiences: [...fx.project.audiences, trial, { ...trial, value: { ...trial.value, name: 'later' } }],
    };
    await fx.warehouse.execute(`CREATE OR REPLACE VIEW weft.audience_trial AS
      SELECT profile_id, CASE WHEN profile_id IN ('p1', 'p2') THEN 'control' ELSE 'treatment' END AS split
      FROM weft.profiles WHERE profile_id <> 'p6'`);
    await recordBuild(fx.warehouse, project, new Date('2025-06-02T00:00:00Z'), MEMBERS, [
      { name: 'trial', hasSplits: true },
    ]);
    const preview = await previewAudience(fx.warehouse, project, 'trial', { limit: 0 });
    expect(preview).toMatchObject({
      size: 5,
      arms: [
        { arm: 'control', size: 2 },
        { arm: 'treatment', size: 3 },
      ],
      sample: [],
      notBuilt: ['later'],
    });
    expect(preview.overlaps).toEqual([
      { audience: 'recent', size: 4, overlap: 4 },
      { audience: 'vip', size: 3, overlap: 3 },
      { audience: 'lapsed', size: 1, overlap: 0 },
    ]);
    const sample = await previewAudience(fx.warehouse, project, 'trial', { limit: 3 });
    expect(sample.columns).toEqual(['profile_id', 'split']);
    expect(sample.sample).toEqual([
      { profile_id: 'p1', split: 'control' },
      { profile_id: 'p2', split: 'control' },
      { profile_id: 'p3', split: 'treatment' },
    ]);
  });

  it('an audience without members still shows in the overlaps (0 of 0)', async () => {
    await recordBuild(fx.warehouse, fx.project, new Date('2025-06-03T00:00:00Z'), { ...MEMBERS, lapsed: [] });
    const preview = await previewAudience(fx.warehouse, fx.project, 'vip');
    expect(preview.overlaps).toContainEqual({ audience: 'lapsed', size: 0, overlap: 0 });
    expect((await previewAudience(fx.warehouse, fx.project, 'lapsed')).size).toBe(0);
  });
});

describe('audience preview before a build wrote audience_members (views only)', () => {
  let fx: AudienceFixture;
  beforeAll(async () => {
    fx = await openAudienceFixture();
    await createViews(fx.warehouse);
  });
  afterAll(async () => {
    await fx.dispose();
  });

  it('falls back to the views: same numbers, source views, two queries', async () => {
    const seen = countingQueries(fx.warehouse);
    const preview = await previewAudience(seen.warehouse, fx.project, 'recent', { limit: 2 });
    expect(preview).toMatchObject({ source: 'views', builtAt: null, size: 4, notBuilt: [] });
    expect(preview.sample.map((r) => r.profile_id)).toEqual(['p2', 'p3']);
    expect(preview.overlaps).toEqual([
      { audience: 'vip', size: 3, overlap: 2 },
      { audience: 'lapsed', size: 1, overlap: 0 },
    ]);
    const reads = seen.sql.filter((sql) => sql.includes('"weft"."audience_'));
    expect(reads).toHaveLength(2);
    expect(reads[0]).toMatch(/UNION ALL/);
    expect(reads[1]).toMatch(/LIMIT 2$/);
  });
});

/** The warehouse with every `query` recorded. */
function countingQueries(warehouse: Warehouse): { warehouse: Warehouse; sql: string[] } {
  const sql: string[] = [];
  const counting = Object.create(warehouse, {
    query: {
      value: (text: string) => {
        sql.push(text);
        return warehouse.query(text);
      },
    },
  });
  return { warehouse: counting, sql };
}
