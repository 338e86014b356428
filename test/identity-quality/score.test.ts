/** scoreResolution on hand-made truth and profiles, every figure worked out by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { qualityTables, scoreResolution } from '../../src/identity-quality/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

const project = { config: { schema: 'weft' } } as Project;
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: '.' });
  await warehouse.execute('CREATE SCHEMA weft');
  // Person 1: rows a1, a2 linked (cluster t1), a3 unlinkable (t2). Person 2: b1, b2 linked (t3).
  await warehouse.execute(`CREATE TABLE weft.quality_records AS SELECT * FROM (VALUES
    ('s', 'a1', 1, 't1'), ('s', 'a2', 1, 't1'), ('s', 'a3', 1, 't2'),
    ('s', 'b1', 2, 't3'), ('s', 'b2', 2, 't3')) AS t(source, row_key, person_id, truth_cluster)`);
  // a2 and b1 carry the same family address; a1 and a2 person 1's own email
  await warehouse.execute(`CREATE TABLE weft.quality_ids AS SELECT * FROM (VALUES
    ('s', 'a1', 1, 'email', 'ann@x.com'), ('s', 'a2', 1, 'email', 'ann@x.com'),
    ('s', 'a2', 1, 'email', 'lee.family@x.com'), ('s', 'b1', 2, 'email', 'lee.family@x.com'))
    AS t(source, row_key, person_id, id_type, value)`);
});

afterAll(async () => {
  await warehouse?.close();
});

async function score(rows: string) {
  await warehouse.execute(`CREATE OR REPLACE TABLE weft.identity_rows AS SELECT * FROM (VALUES ${rows})
    AS t(source, row_key, profile_id)`);
  return scoreResolution(warehouse, project, qualityTables(project).identityRows, 'test');
}

describe('scoreResolution', () => {
  it('counts pairs, B-cubed, over-merges and splits of a mixed result', async () => {
    // P1 = {a1, a2, b1}, P2 = {a3}; b2 unresolved (a singleton).
    const report = await score(`('s', 'a1', 'P1'), ('s', 'a2', 'P1'), ('s', 'b1', 'P1'), ('s', 'a3', 'P2')`);
    expect(report.records).toBe(5);
    expect(report.unresolved_records).toBe(1);
    expect(report.persons).toBe(2);
    expect(report.profiles).toBe(2);
    expect(report.pairwise).toMatchObject({
      predicted_pairs: 3,
      correct_pairs: 1,
      linkable_pairs: 2,
      found_pairs: 1,
    });
    expect(report.pairwise.precision).toBeCloseTo(1 / 3);
    expect(report.pairwise.recall).toBeCloseTo(0.5);
    expect(report.pairwise.f1).toBeCloseTo(0.4);
    // Per record precision: 2/3, 2/3, 1/3, 1, 1; recall: 1, 1, 1, 1/2, 1/2.
    expect(report.bcubed.precision).toBeCloseTo(11 / 15);
    expect(report.bcubed.recall).toBeCloseTo(0.8);
    expect(report.over_merged_profiles).toBe(1);
    expect(report.over_merged_by_cause).toEqual({
      role_mailbox: 0,
      desk_phone: 0,
      shared_value: 1,
      other: 0,
    });
    expect(report.split_persons).toBe(1);
    expect(report.persons_in_several_profiles).toBe(2);
    expect(report.largest_profile).toEqual({ records: 3, persons: 2 });
  });

  it('scores the truth clustering itself as perfect, and one profile per person too', async () => {
    const perfect = await score(
      `('s', 'a1', 't1'), ('s', 'a2', 't1'), ('s', 'a3', 't2'), ('s', 'b1', 't3'), ('s', 'b2', 't3')`,
    );
    expect([perfect.pairwise.precision, perfect.pairwise.recall, perfect.bcubed.f1]).toEqual([1, 1, 1]);
    expect(perfect.split_persons).toBe(0);
    expect(perfect.persons_in_several_profiles).toBe(1);
    // Linking a3 too is not penalised: it is the same person, the evidence just did not show it.
    const byPerson = await score(
      `('s', 'a1', 'p1'), ('s', 'a2', 'p1'), ('s', 'a3', 'p1'), ('s', 'b1', 'p2'), ('s', 'b2', 'p2')`,
    );
    expect([byPerson.pairwise.precision, byPerson.pairwise.recall]).toEqual([1, 1]);
    expect(byPerson.over_merged_profiles).toBe(0);
  });

  it('gives precision 1 and recall 0 when nothing is merged, and counts a duplicate row once', async () => {
    const none = await score(`('other', 'x', 'P')`);
    expect(none.unresolved_records).toBe(5);
    expect(none.pairwise.precision).toBe(1);
    expect(none.pairwise.recall).toBe(0);
    const duplicated = await score(`('s', 'a1', 'P1'), ('s', 'a1', 'P1'), ('s', 'a2', 'P1')`);
    expect(duplicated.pairwise.predicted_pairs).toBe(1);
    expect(duplicated.pairwise.correct_pairs).toBe(1);
  });
});
