/**
 * Over-merged profiles by cause (src/identity-quality/causes.ts) on every live engine, over a
 * hand-made resolution: one profile per cause, and one correct profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { overMergeCauses } from '../../src/identity-quality/causes.js';
import { scoreResolution } from '../../src/identity-quality/score.js';
import { qualityTables } from '../../src/identity-quality/tables.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';

/** [row key, person, profile, identifiers as type:value] */
const ROWS: Array<[string, number, string, string[]]> = [
  // a role mailbox two persons carry (one of them with a desk line the other does not carry)
  ['1', 1, 'ROLE', ['email:info@acme1.com', 'phone:8772001234']],
  ['2', 2, 'ROLE', ['email:info@acme1.com']],
  // a desk line
  ['3', 3, 'DESK', ['phone:8773001234', 'email:c@x.com']],
  ['4', 4, 'DESK', ['phone:8773001234']],
  // role mailbox and desk line both: the role mailbox counts
  ['5', 5, 'BOTH', ['email:sales@b2.com', 'phone:8774001234']],
  ['6', 6, 'BOTH', ['email:sales@b2.com', 'phone:8774001234']],
  // a family address
  ['7', 7, 'FAMILY', ['email:smith.family1@aol.com']],
  ['8', 8, 'FAMILY', ['email:smith.family1@aol.com']],
  // a family address, the two persons' rows also carrying the family business's info@ and
  // desk line: the family address counts (it joins them on its own)
  ['14', 12, 'FAMILY_BUSINESS', ['email:jones.family2@aol.com', 'email:info@jones4.com']],
  ['15', 13, 'FAMILY_BUSINESS', ['email:jones.family2@aol.com', 'email:info@jones4.com']],
  ['16', 13, 'FAMILY_BUSINESS', ['phone:8776001234']],
  ['17', 12, 'FAMILY_BUSINESS', ['phone:8776001234']],
  // nothing in common between the persons (a value person 9 carries twice does not count)
  ['9', 9, 'OTHER', ['email:e9@x.com']],
  ['10', 9, 'OTHER', ['email:e9@x.com']],
  ['11', 10, 'OTHER', ['email:e10@x.com']],
  // one person: not over-merged, though a role mailbox is on both rows
  ['12', 11, 'OK', ['email:info@solo3.com']],
  ['13', 11, 'OK', ['email:info@solo3.com', 'phone:8775001234']],
];

for (const { engine, config } of liveEngines()) {
  describe(`over-merged profiles by cause on ${engine.name}`, () => {
    let warehouse: Warehouse;
    const schema = uniqueSchema('iq_causes');
    const project = { config: { schema } } as unknown as Project;
    const t = qualityTables(project);
    const s = (name: string) => ({ name, type: 'string' as const });

    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      await warehouse.execute(warehouse.dialect.createSchema(schema));
      await warehouse.load(
        t.records,
        [s('source'), s('row_key'), { name: 'person_id', type: 'integer' }, s('truth_cluster')],
        ROWS.map(([key, person]) => ['s', key, person, `c${person}`]),
      );
      await warehouse.load(
        t.ids,
        [s('source'), s('row_key'), { name: 'person_id', type: 'integer' }, s('id_type'), s('value')],
        ROWS.flatMap(([key, person, , ids]) =>
          ids.map((id) => ['s', key, person, id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)]),
        ),
      );
      await warehouse.load(
        t.identityRows,
        [s('source'), s('row_key'), s('profile_id')],
        ROWS.map(([key, , profile]) => ['s', key, profile]),
      );
    });
    afterAll(async () => {
      await warehouse.execute(`DROP SCHEMA IF EXISTS ${warehouse.dialect.quoteIdent(schema)} CASCADE`);
      await warehouse.close();
    });

    it('counts each over-merged profile under one cause: shared value, role mailbox, desk phone, other', async () => {
      expect(await overMergeCauses(warehouse, project, t.identityRows)).toEqual({
        role_mailbox: 2,
        desk_phone: 1,
        shared_value: 2,
        other: 1,
      });
    });

    it('reports the causes with the scores, adding up to the over-merged profiles', async () => {
      const report = await scoreResolution(warehouse, project, t.identityRows, 'test');
      expect(report.over_merged_profiles).toBe(6);
      expect(report.over_merged_by_cause).toEqual({
        role_mailbox: 2,
        desk_phone: 1,
        shared_value: 2,
        other: 1,
      });
    });
  });
}
