/**
 * The quality measurement's SQL on every live engine (DuckDB in memory, Postgres when it
 * answers): the truth oracle's canonical spellings, the scores and the diagnostics over a small
 * hand-made resolution whose metrics are worked out below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { overMergedProfiles, splitRecords } from '../../src/identity-quality/diagnostics.js';
import { oracleValue } from '../../src/identity-quality/oracle.js';
import { scoreResolution } from '../../src/identity-quality/score.js';
import { qualityTables } from '../../src/identity-quality/tables.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';

/** [input, normalize kind, canonical value] */
const ORACLE_CASES: Array<[string | number, 'email' | 'phone' | undefined, string | null]> = [
  [' John.Doe+news@GMail.com ', 'email', 'johndoe@gmail.com'],
  ['jo.hn@googlemail.com', 'email', 'john@gmail.com'],
  ['Ann.Lee+x@Example.COM', 'email', 'ann.lee+x@example.com'],
  ['an n@exa mple.org', 'email', 'ann@example.org'],
  ['no-at-sign.example.com', 'email', null],
  ['a@b', 'email', null],
  ['+1 (415) 555-2671', 'phone', '4155552671'],
  ['415.555.2671', 'phone', '4155552671'],
  ['2 415 555 2671', 'phone', null],
  ['555-2671', 'phone', null],
  ['  cookie-1 ', undefined, 'cookie-1'],
  ['   ', undefined, null],
  [12345, undefined, '12345'],
];

for (const { engine, config } of liveEngines()) {
  describe(`identity quality SQL on ${engine.name}`, () => {
    let warehouse: Warehouse;
    const schema = uniqueSchema('iq_test');
    const project = { config: { schema } } as unknown as Project;
    const t = qualityTables(project);

    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      await warehouse.execute(warehouse.dialect.createSchema(schema));
      // person 1: s/1, s/2 (one truth cluster); person 2: s/3; person 3: s/4, s/5 (one
      // cluster); person 4: s/6, left out by the resolver.
      await warehouse.load(
        t.records,
        [
          { name: 'source', type: 'string' },
          { name: 'row_key', type: 'string' },
          { name: 'person_id', type: 'integer' },
          { name: 'truth_cluster', type: 'string' },
        ],
        [
          ['s', '1', 1, 'c1'],
          ['s', '2', 1, 'c1'],
          ['s', '3', 2, 'c3'],
          ['s', '4', 3, 'c4'],
          ['s', '5', 3, 'c4'],
          ['s', '6', 4, 'c6'],
        ],
      );
      await warehouse.load(
        t.ids,
        [
          { name: 'source', type: 'string' },
          { name: 'row_key', type: 'string' },
          { name: 'person_id', type: 'integer' },
          { name: 'id_type', type: 'string' },
          { name: 'value', type: 'string' },
        ],
        [
          ['s', '3', 2, 'phone', '4155552671'],
          ['s', '3', 2, 'email', 'b@x.com'],
          ['s', '3', 2, 'cookie', null],
          ['s', '4', 3, 'email', 'c@x.com'],
          ['s', '5', 3, 'email', 'c@x.com'],
        ],
      );
      // P1 over-merges persons 1 and 2; person 3 is split over P4 and P5.
      await warehouse.load(
        t.identityRows,
        [
          { name: 'source', type: 'string' },
          { name: 'row_key', type: 'string' },
          { name: 'profile_id', type: 'string' },
        ],
        [
          ['s', '1', 'P1'],
          ['s', '2', 'P1'],
          ['s', '3', 'P1'],
          ['s', '4', 'P4'],
          ['s', '5', 'P5'],
        ],
      );
    });
    afterAll(async () => {
      await warehouse.execute(`DROP SCHEMA IF EXISTS ${warehouse.dialect.quoteIdent(schema)} CASCADE`);
      await warehouse.close();
    });

    it('spells identifiers canonically as the oracle defines', async () => {
      const d = warehouse.dialect;
      const select = ORACLE_CASES.map(
        ([input, kind], i) => `${oracleValue(d, d.literal(input), kind)} AS ${d.quoteIdent(`v${i}`)}`,
      ).join(',\n');
      const [row] = await warehouse.query(`SELECT ${select}`);
      const got = ORACLE_CASES.map((_, i) => row?.[`v${i}`] ?? null);
      expect(got).toEqual(ORACLE_CASES.map(([, , expected]) => expected));
    });

    it('scores the resolution with pair counts and B-cubed', async () => {
      const report = await scoreResolution(warehouse, project, t.identityRows, 'test');
      expect(report).toMatchObject({
        records: 6,
        unresolved_records: 1,
        persons: 4,
        profiles: 3,
        over_merged_profiles: 1,
        split_persons: 1,
        persons_in_several_profiles: 1,
        largest_profile: { records: 3, persons: 2 },
      });
      // P1 holds 3 pairs, 1 of them one person's; truth clusters c1 and c4 hold 1 pair each,
      // and only c1's shares a profile.
      expect(report.pairwise).toMatchObject({
        predicted_pairs: 3,
        correct_pairs: 1,
        linkable_pairs: 2,
        found_pairs: 1,
      });
      expect(report.pairwise.precision).toBeCloseTo(1 / 3, 10);
      expect(report.pairwise.recall).toBeCloseTo(0.5, 10);
      // per record, share of its profile that is its person: 2/3, 2/3, 1/3, 1, 1, 1.
      expect(report.bcubed.precision).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 3 + 3) / 6, 10);
      // per record, share of its truth cluster in its profile: 1, 1, 1, 1/2, 1/2, 1.
      expect(report.bcubed.recall).toBeCloseTo(5 / 6, 10);
    });

    it('lists the over-merged record with its identifiers in order', async () => {
      expect(await overMergedProfiles(warehouse, project)).toEqual([
        {
          profile_id: 'P1',
          person_id: 1,
          record_person_id: 2,
          source: 's',
          row_key: '3',
          identifiers: 'cookie:(invalid) email:b@x.com phone:4155552671',
        },
      ]);
    });

    it('lists the records of a split truth cluster, by profile', async () => {
      const split = await splitRecords(warehouse, project);
      expect(split.map((r) => [r.profile_id, r.row_key, r.person_id, r.identifiers])).toEqual([
        ['P4', '4', 3, 'email:c@x.com'],
        ['P5', '5', 3, 'email:c@x.com'],
      ]);
    });
  });
}
