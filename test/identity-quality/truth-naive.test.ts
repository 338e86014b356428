/** The truth clustering and the naive resolver on a small seeded population. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  measureNaiveQuality,
  overMergedProfiles,
  prepareTruth,
  qualitySources,
  qualityTables,
  scoreResolution,
} from '../../src/identity-quality/index.js';
import { type SeededDemo, seededDemo } from './seeded.js';

let demo: SeededDemo;

beforeAll(async () => {
  demo = await seededDemo(1_500);
  await prepareTruth(demo.warehouse, demo.project, qualitySources(demo.project, demo.warehouse.dialect));
}, 60_000);
afterAll(async () => {
  await demo?.dispose();
});

const count = async (sql: string) => Number((await demo.warehouse.query(sql))[0]?.n);

describe('truth clustering on seeded data', () => {
  it('keeps every truth cluster within one person and links most of a person’s rows', async () => {
    expect(
      await count(`SELECT COUNT(*) AS n FROM (SELECT truth_cluster FROM weft.quality_records
        GROUP BY truth_cluster HAVING COUNT(DISTINCT person_id) > 1) AS x`),
    ).toBe(0);
    // Orders, customers and logged-in events of one account all share the customer id.
    const records = await count('SELECT COUNT(*) AS n FROM weft.quality_records');
    const clusters = await count('SELECT COUNT(DISTINCT truth_cluster) AS n FROM weft.quality_records');
    const persons = await count('SELECT COUNT(DISTINCT person_id) AS n FROM weft.quality_records');
    expect(clusters).toBeGreaterThanOrEqual(persons);
    expect(clusters).toBeLessThan(records / 5);
  });

  it('scores a resolver that returns the truth clusters as perfect', async () => {
    await demo.warehouse.execute(`CREATE OR REPLACE TABLE weft.oracle_rows AS
      SELECT source, row_key, truth_cluster AS profile_id FROM weft.quality_records`);
    const report = await scoreResolution(
      demo.warehouse,
      demo.project,
      { schema: 'weft', name: 'oracle_rows' },
      'oracle',
    );
    expect(report.pairwise.precision).toBe(1);
    expect(report.pairwise.recall).toBe(1);
  });
});

describe('naive resolver', () => {
  it('glues strangers through junk values and misses normalized matches', async () => {
    const { report, naive } = await measureNaiveQuality(demo.warehouse, demo.project, { truthReady: true });
    expect(naive.rounds).toBeGreaterThan(0);
    expect(report.records).toBe(await count('SELECT COUNT(*) AS n FROM weft.quality_records'));
    expect(report.unresolved_records).toBe(0);
    expect(report.over_merged_profiles).toBeGreaterThan(0);
    expect(report.largest_profile.persons).toBeGreaterThan(10);
    // Deterministic for seed 42 (measured: 0.922 / 0.962): junk glues, spelling variants split.
    expect(report.pairwise.precision).toBeLessThan(0.97);
    expect(report.pairwise.recall).toBeLessThan(0.98);
    expect(report.split_persons).toBeGreaterThan(0);
    const misplaced = await overMergedProfiles(
      demo.warehouse,
      demo.project,
      qualityTables(demo.project).naiveRows,
      5,
    );
    expect(misplaced).toHaveLength(5);
    // Every listed record sits with another person's majority.
    for (const m of misplaced) expect(m.record_person_id).not.toBe(m.person_id);
  });
});
