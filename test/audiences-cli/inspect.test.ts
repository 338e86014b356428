import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudienceNotBuiltError,
  listAudiences,
  previewAudience,
  UnknownAudienceError,
} from '../../src/audiences/inspect/index.js';
import { recordAudienceState } from '../../src/audiences/state.js';
import type { AudienceConfig } from '../../src/config/types.js';
import { type AudienceFixture, createViews, MEMBERS, openAudienceFixture, reportFor } from './fixture.js';

describe('audience inspect on hand-made views', () => {
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
    await createViews(fx.warehouse);
    await recordAudienceState(fx.warehouse, fx.project, reportFor(), new Date('2025-06-01T00:00:00Z'));
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
  });

  it('preview reads the audiences in two queries: size + overlaps, then the sample', async () => {
    const seen: string[] = [];
    const counting = Object.create(fx.warehouse, {
      query: {
        value: (sql: string) => {
          seen.push(sql);
          return fx.warehouse.query(sql);
        },
      },
    });
    await previewAudience(counting, fx.project, 'vip');
    const reads = seen.filter((sql) => sql.includes('"weft"."audience_'));
    expect(reads).toHaveLength(2);
    expect(reads[0]).toMatch(/UNION ALL/);
    expect(reads[1]).toMatch(/LIMIT 10$/);
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
  });
});
