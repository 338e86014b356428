import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceConfig, Project } from '../../src/config/types.js';
import { audiencesSection } from '../../src/profiles/lookup/audiences-section.js';
import type { LookupTables } from '../../src/profiles/lookup/tables.js';
import { type AudienceFixture, createViews, MEMBERS, openAudienceFixture, recordBuild } from './fixture.js';

const tables = {} as LookupTables;

describe('profile page: audiences section', () => {
  let fx: AudienceFixture;
  beforeEach(async () => {
    fx = await openAudienceFixture();
  });
  afterEach(async () => {
    await fx.dispose();
  });
  const load = (profileId: string, project: Project = fx.project) =>
    audiencesSection.load({ project, warehouse: fx.warehouse, tables, profileId });

  it('says to run weft build when no audience is built, without failing', async () => {
    expect(await load('p2')).toEqual({ json: [], lines: ['(no audiences built yet: run `weft build`)'] });
  });

  it('lists the audiences the profile is in, in file order, with its split arm', async () => {
    await createViews(fx.warehouse);
    await fx.warehouse.execute(`CREATE VIEW weft.audience_trial AS
      SELECT profile_id, CASE WHEN profile_id = 'p2' THEN 'control' ELSE 'treatment' END AS split FROM weft.profiles`);
    const trial = {
      path: 'models/audiences/trial.yml',
      value: {
        name: 'trial',
        sql: 'x',
        columns: [],
        splits: { control: 10, treatment: 90 },
      } as AudienceConfig,
    };
    const pending = { path: 'models/audiences/pending.yml', value: { ...trial.value, name: 'pending' } };
    const project = { ...fx.project, audiences: [...fx.project.audiences, trial, pending] };
    const page = await load('p2', project);
    expect(page.json).toEqual([
      { audience: 'vip' },
      { audience: 'recent' },
      { audience: 'trial', split: 'control' },
    ]);
    expect(page.lines).toEqual(['vip', 'recent', 'trial  (arm: control)', '(not built yet: pending)']);
    expect((await load('nobody', project)).lines).toEqual(['(none)', '(not built yet: pending)']);
  });

  it('after a build: one lookup in audience_members, as of that build, no view read', async () => {
    await fx.warehouse.execute(`CREATE VIEW weft.audience_trial AS
      SELECT profile_id, CASE WHEN profile_id = 'p2' THEN 'control' ELSE 'treatment' END AS split FROM weft.profiles`);
    const trial = {
      path: 'models/audiences/trial.yml',
      value: {
        name: 'trial',
        sql: 'x',
        columns: [],
        splits: { control: 10, treatment: 90 },
      } as AudienceConfig,
    };
    const pending = { path: 'models/audiences/pending.yml', value: { ...trial.value, name: 'pending' } };
    const project = { ...fx.project, audiences: [...fx.project.audiences, trial, pending] };
    await recordBuild(fx.warehouse, project, new Date('2025-06-01T00:00:00Z'), MEMBERS, [
      { name: 'trial', hasSplits: true },
    ]);
    // The live view changes after the build; the page shows the build's members.
    await createViews(fx.warehouse, { ...MEMBERS, vip: [] });
    const sql: string[] = [];
    const warehouse = Object.create(fx.warehouse, {
      query: {
        value: (text: string) => {
          sql.push(text);
          return fx.warehouse.query(text);
        },
      },
    });
    const page = await audiencesSection.load({ project, warehouse, tables, profileId: 'p2' });
    expect(page.json).toEqual([
      { audience: 'vip' },
      { audience: 'recent' },
      { audience: 'trial', split: 'control' },
    ]);
    expect(page.lines).toEqual(['vip', 'recent', 'trial  (arm: control)', '(not built yet: pending)']);
    const reads = sql.filter((text) => text.includes('"weft"."audience_'));
    expect(reads).toEqual([
      expect.stringMatching(/FROM "weft"\."audience_members" WHERE profile_id = 'p2'$/),
    ]);
  });

  it('a broken view (its table dropped) does not take the page down', async () => {
    await createViews(fx.warehouse);
    await fx.warehouse.execute('DROP TABLE weft.profiles');
    const page = await load('p1');
    expect(page.json).toEqual([]);
    expect(page.lines[0]).toMatch(/^\(could not read the audience views: /);
  });
});
