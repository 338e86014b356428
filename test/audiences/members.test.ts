/**
 * audience_members: what the build writes (equal to the views), sizes and fingerprints from it,
 * and what happens to a failing, skipped, removed or reserved-name audience.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAndMeasureAudiences, buildAudiences } from '../../src/audiences/index.js';
import { readAudienceState, recordAudienceState } from '../../src/audiences/state.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { AS_OF, openFixtureWarehouse, projectWith } from './fixture.js';

const pro = { trait: 'plan', op: 'eq', value: 'pro' };
const audiences = {
  pros: { where: pro, columns: ['email'] },
  trial: { where: { trait: 'ltv', op: 'is_not_null' }, splits: { control: 30, treatment: 70 } },
  recent_pros: {
    where: {
      all: [{ audience: 'pros' }, { event: 'app.events', timestamp: 'occurred_at', within_days: 30 }],
    },
  },
  nobody: { where: { trait: 'ltv', op: 'gt', value: 1_000_000 } },
};

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openFixtureWarehouse();
});
afterEach(async () => {
  await warehouse.close();
});

/** `audience|profile_id|split` rows of the members table, sorted. */
async function memberRows(): Promise<string[]> {
  const rows = await warehouse.query('SELECT audience, profile_id, split FROM weft.audience_members');
  return rows.map((r) => `${r.audience}|${r.profile_id}|${r.split ?? ''}`).sort();
}

/** The same rows read from the views. */
async function viewRows(names: Record<string, boolean>): Promise<string[]> {
  const rows: string[] = [];
  for (const [name, split] of Object.entries(names)) {
    const read = await warehouse.query(
      `SELECT profile_id${split ? ', split' : ''} FROM weft.audience_${name}`,
    );
    rows.push(...read.map((r) => `${name}|${r.profile_id}|${r.split ?? ''}`));
  }
  return rows.sort();
}

describe('audience_members', () => {
  it("holds exactly the views' members (with the split arm); sizes come from it", async () => {
    const report = await buildAudiences(projectWith(audiences), warehouse, { asOf: AS_OF });
    expect(report.failed).toEqual([]);
    const rows = await memberRows();
    expect(rows).toEqual(await viewRows({ pros: false, trial: true, recent_pros: false, nobody: false }));
    expect(rows.filter((r) => r.startsWith('pros|'))).toEqual(['pros|p1|', 'pros|p3|', 'pros|p6|']);
    expect(rows.filter((r) => r.startsWith('trial|')).every((r) => /\|(control|treatment)$/.test(r))).toBe(
      true,
    );
    for (const built of report.audiences) {
      const [view] = await warehouse.query(`SELECT count(*) AS n FROM weft.audience_${built.name}`);
      expect(built.size, built.name).toBe(Number(view?.n));
      for (const arm of built.arms) {
        const [armView] = await warehouse.query(`SELECT count(*) AS n FROM weft.audience_trial_${arm.name}`);
        expect(arm.size, arm.name).toBe(Number(armView?.n));
      }
    }
    expect(report.audiences.find((a) => a.name === 'nobody')?.size).toBe(0);
  });

  it('fingerprints equal the per-view formula audience_state used before the members table', async () => {
    const { measures } = await buildAndMeasureAudiences(projectWith(audiences), warehouse, { asOf: AS_OF });
    for (const measure of measures) {
      // The former fingerprintSql, evaluated over the view.
      const id = 'CAST(profile_id AS VARCHAR)';
      const hash = (expr: string) => `mod(CAST('0x' || substr(sha256(${expr}), 1, 8) AS BIGINT), 2147483647)`;
      const [old] = await warehouse.query(`SELECT CAST(count(*) AS VARCHAR) || ':' ||
        CAST(coalesce(sum(${hash(id)}), 0) AS VARCHAR) || ':' ||
        CAST(coalesce(sum(${hash(`${id} || '#'`)}), 0) AS VARCHAR) AS fingerprint
        FROM weft.audience_${measure.name}`);
      expect(measure.fingerprint, measure.name).toBe(old?.fingerprint);
    }
    expect(measures.find((m) => m.name === 'nobody')?.fingerprint).toBe('0:0:0');
  });

  it('changed_at moves only when the members in the table change', async () => {
    const project = projectWith(audiences);
    const build = async (at: string) => {
      const { measures } = await buildAndMeasureAudiences(project, warehouse, { asOf: AS_OF });
      await recordAudienceState(warehouse, project, measures, new Date(at));
      return readAudienceState(warehouse, project);
    };
    await build('2025-06-01T00:00:00Z');
    const same = await build('2025-06-02T00:00:00Z');
    expect(same.get('pros')?.changed_at.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    await warehouse.execute("UPDATE weft.profiles SET plan = 'pro' WHERE profile_id = 'p2'");
    const moved = await build('2025-06-03T00:00:00Z');
    expect(moved.get('pros')).toMatchObject({ size: 4 });
    expect(moved.get('pros')?.changed_at.toISOString()).toBe('2025-06-03T00:00:00.000Z');
    expect(moved.get('nobody')?.changed_at.toISOString()).toBe('2025-06-01T00:00:00.000Z');
  });

  it('a failing audience and the ones reading it keep their previous rows; the rest are rebuilt', async () => {
    await buildAudiences(projectWith(audiences), warehouse, { asOf: AS_OF });
    const before = await memberRows();
    await warehouse.execute("UPDATE weft.profiles SET ltv = NULL WHERE profile_id = 'p1'");
    const broken = {
      ...audiences,
      pros: { where: { event: 'app.events', where: [{ column: 'no_such_column', op: 'eq', value: 1 }] } },
    };
    const report = await buildAudiences(projectWith(broken), warehouse, { asOf: AS_OF });
    expect(report.failed.map((f) => f.name)).toEqual(['pros']);
    expect(report.skipped.map((s) => s.name)).toEqual(['recent_pros']);
    const after = await memberRows();
    const of = (rows: string[], name: string) => rows.filter((r) => r.startsWith(`${name}|`));
    expect(of(after, 'pros')).toEqual(of(before, 'pros'));
    expect(of(after, 'recent_pros')).toEqual(of(before, 'recent_pros'));
    // trial was rebuilt: p1 lost its ltv, so it left.
    expect(of(after, 'trial')).toEqual(of(before, 'trial').filter((r) => !r.startsWith('trial|p1|')));
  });

  it('an audience failing only when evaluated fails alone; a removed audience loses its rows', async () => {
    const project = projectWith({
      ...audiences,
      bad_cast: { sql: 'select profile_id from weft.profiles where cast(email as integer) > 0' },
    });
    const report = await buildAudiences(project, warehouse, { asOf: AS_OF });
    expect(report.failed.map((f) => f.name)).toEqual(['bad_cast']);
    expect(report.failed[0]?.error).toMatch(/^models\/audiences\/bad_cast\.yml: .*(Conversion|convert)/s);
    expect(report.audiences.map((a) => a.name).sort()).toEqual(['nobody', 'pros', 'recent_pros', 'trial']);
    const { nobody: _nobody, trial: _trial, ...fewer } = audiences;
    await buildAudiences(projectWith(fewer), warehouse, { asOf: AS_OF });
    const names = new Set((await memberRows()).map((r) => r.split('|')[0]));
    expect([...names].sort()).toEqual(['pros', 'recent_pros']);
  });

  it("an audience named 'members' fails with a teaching error and leaves the table alone", async () => {
    await buildAudiences(projectWith({ pros: audiences.pros }), warehouse, { asOf: AS_OF });
    const report = await buildAudiences(
      projectWith({ pros: audiences.pros, members: { where: pro } }),
      warehouse,
      {
        asOf: AS_OF,
      },
    );
    expect(report.failed).toEqual([
      {
        name: 'members',
        path: 'models/audiences/members.yml',
        error: expect.stringMatching(
          /^models\/audiences\/members\.yml: the audience name 'members' is reserved: .*audience_members; rename the audience$/,
        ),
      },
    ]);
    expect(await memberRows()).toEqual(['pros|p1|', 'pros|p3|', 'pros|p6|']);
    const [kind] = await warehouse.query(
      "SELECT table_type FROM information_schema.tables WHERE table_schema = 'weft' AND table_name = 'audience_members'",
    );
    expect(kind?.table_type).toBe('BASE TABLE');
  });

  it('leaves no scratch table behind', async () => {
    await buildAudiences(projectWith(audiences), warehouse, { asOf: AS_OF });
    const scratch = await warehouse.query(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'audience_members__weft%'",
    );
    expect(scratch).toEqual([]);
  });
});
