/** Splits: SQL arms equal the JS mirror, shares follow the percents, arms never move. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAudiences, splitArmOf, splitArms, splitBucket } from '../../src/audiences/index.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { AS_OF, openFixtureWarehouse, projectWith } from './fixture.js';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openFixtureWarehouse();
});
afterEach(async () => {
  await warehouse.close();
});

const splits = { control: 10, treatment: 60, extra: 30 };
const project = projectWith({
  test: { where: { trait: 'ltv', op: 'is_not_null' }, splits, columns: ['ltv'] },
});

/** Replaces profiles with ids `u<from>` … `u<to - 1>`, all with an ltv. */
async function seedProfiles(from: number, to: number): Promise<void> {
  await warehouse.execute(`DELETE FROM weft.profiles`);
  await warehouse.execute(`INSERT INTO weft.profiles (profile_id, ltv)
    SELECT 'u' || i, i FROM range(${from}, ${to}) AS r(i)`);
}

async function armsById(view = 'weft.audience_test'): Promise<Map<string, string>> {
  const rows = await warehouse.query(`SELECT profile_id, split FROM ${view}`);
  return new Map(rows.map((r) => [String(r.profile_id), String(r.split)]));
}

describe('splits', () => {
  it('puts each profile in the arm the JS mirror computes, with shares close to the percents', async () => {
    await seedProfiles(0, 10_000);
    const report = await buildAudiences(project, warehouse, { asOf: AS_OF });
    const arms = await armsById();
    expect(arms.size).toBe(10_000);
    const ranges = splitArms(splits);
    for (const [id, arm] of arms) expect(arm, id).toBe(splitArmOf('test', id, ranges));
    const built = report.audiences[0]!;
    expect(built.size).toBe(10_000);
    expect(built.arms.map((a) => a.name)).toEqual(['control', 'treatment', 'extra']);
    for (const arm of built.arms) {
      const share = arm.size / 10_000;
      expect(Math.abs(share - splits[arm.name as keyof typeof splits] / 100), arm.name).toBeLessThan(0.015);
    }
  });

  it('keeps every profile in its arm across rebuilds and after more profiles arrive', async () => {
    await seedProfiles(0, 2_000);
    await buildAudiences(project, warehouse, { asOf: AS_OF });
    const before = await armsById();
    await buildAudiences(project, warehouse, { asOf: AS_OF });
    expect(await armsById()).toEqual(before);
    await seedProfiles(0, 5_000);
    await buildAudiences(project, warehouse, { asOf: AS_OF });
    const after = await armsById();
    expect(after.size).toBe(5_000);
    for (const [id, arm] of before) expect(after.get(id), id).toBe(arm);
  });

  it('writes one view per arm holding exactly that arm, and the report gives their sizes', async () => {
    await seedProfiles(0, 1_000);
    const report = await buildAudiences(project, warehouse, { asOf: AS_OF });
    const all = await armsById();
    for (const arm of report.audiences[0]!.arms) {
      expect(arm.relation).toEqual({ schema: 'weft', name: `audience_test_${arm.name}` });
      const members = await armsById(`weft.audience_test_${arm.name}`);
      expect([...members.values()].every((a) => a === arm.name)).toBe(true);
      expect(members.size).toBe(arm.size);
      expect(members.size).toBe([...all.values()].filter((a) => a === arm.name).length);
    }
    const columns = await warehouse.query('SELECT * FROM weft.audience_test_control LIMIT 1');
    expect(Object.keys(columns[0]!)).toEqual(['profile_id', 'ltv', 'split']);
  });

  it('depends on the audience name: another audience splits the same ids differently', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const differ = ids.filter((id) => splitBucket('a', id) !== splitBucket('b', id));
    expect(differ.length).toBeGreaterThan(150);
  });

  it('gives a 0% arm an empty view', async () => {
    await seedProfiles(0, 500);
    const zero = projectWith({
      z: { where: { trait: 'ltv', op: 'is_not_null' }, splits: { off: 0, on: 100 } },
    });
    const report = await buildAudiences(zero, warehouse, { asOf: AS_OF });
    expect(report.audiences[0]!.arms).toEqual([
      { name: 'off', relation: { schema: 'weft', name: 'audience_z_off' }, size: 0 },
      { name: 'on', relation: { schema: 'weft', name: 'audience_z_on' }, size: 500 },
    ]);
  });
});
