/**
 * Identity on messy real-world data, on every live engine (DuckDB in memory, Postgres, and the
 * BigQuery/Snowflake proofs when they run here): one small dataset, one full build per engine.
 * Each scenario uses its own identifiers, so the assertions read the one build's outputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { buildIdentity, type IdentityReport } from '../../src/identity/index.js';
import { reviewProfiles } from '../../src/identity/review.js';
import { explainLink } from '../../src/identity-quality/explain/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';
import {
  dayAt,
  dropEngineSchemas,
  engineProject,
  limitEdges,
  loadTable,
  profileOf,
  profilesOf,
  sharedRows,
} from './engine-helpers.js';

const at = dayAt;

/** shop: user_id, email, phone. */
const SHOP: Array<[string, string | null, string | null, Date]> = [
  // an unassigned-exchange phone (415 055-xxxx) recurring in shop and crm: the only link
  // between Ann's shop account and her work address
  ['u-ann', 'ann@home.io', '(415) 055-2671', at(1)],
  // a role mailbox shared by 4 contacts of one company, each with their own user id and phone
  ['u-c1', 'info@acme.io', '212 555 1001', at(3)],
  ['u-c2', 'Info@Acme.io', '212 555 1002', at(4)],
  ['u-c3', 'info@acme.io', '212 555 1003', at(5)],
  ['u-c4', 'info@acme.io ', '212 555 1004', at(6)],
  // a role mailbox one person uses: theirs
  ['u-solo', 'info@solo.io', '303 555 2001', at(7)],
  // a desk phone shared by 3 people
  ['u-d1', 'dee@desk.io', '646 555 3000', at(8)],
  ['u-d2', 'dan@desk.io', '(646) 555-3000', at(9)],
  ['u-d3', 'dora@desk.io', '+1 646 555 3000', at(10)],
  // two people bridged by a front-desk address (2 people: below the shared threshold)
  ['u-bea', 'bea@a.io', '720 555 4001', at(13)],
  ['u-bob', 'bob@b.io', '720 555 4002', at(14)],
];
/** crm: email, phone, first and last name. */
const CRM: Array<[string | null, string | null, string | null, string | null, Date]> = [
  ['ann@work.io', '+1 415 055 2671', 'Ann', 'Lee', at(2)],
  ['info@solo.io', '303-555-2001', 'Sol', 'Ortiz', at(11)],
  ['info@acme.io', '212 555 1002', 'Cat', 'Two', at(12)],
  ['frontdesk@corp.io', '720 555 4001', null, null, at(15)],
  ['frontdesk@corp.io', '720-555-4002', null, null, at(16)],
  // a desk line three colleagues give, each with a work address seen nowhere else: only the
  // distinct names on its rows tell three people from one
  ['wu@co2.io', '512 555 6000', 'Wen', 'Wu', at(17)],
  ['xu@co2.io', '512-555-6000', 'Xia', 'Xu', at(18)],
  ['yu@co2.io', '(512) 555-6000', ' wen', 'YU', at(19)],
  // one address under two names, nothing else: not shared, but worth a look
  ['pat@kim.io', '303 555 9000', 'Pat', 'Kim', at(20)],
  ['pat@kim.io', null, 'Patricia', 'Kim', at(21)],
];

const IDENTITY = {
  id_types: {
    user_id: { max_per_profile: 1 },
    email: { normalize: 'email', max_per_profile: 3 },
    phone: { normalize: 'phone', default_country_code: '1', max_per_profile: 2 },
  },
  sources: [
    { from: 'src.shop', ids: { user_id: 'user_id', email: 'email', phone: 'phone' }, timestamp: 'ts' },
    {
      from: 'src.crm',
      ids: { email: 'email', phone: 'phone' },
      names: ['first_name', 'last_name'],
      timestamp: 'ts',
    },
  ],
};

for (const { engine, config } of liveEngines()) {
  describe(`identity on messy data, ${engine.name}`, () => {
    let warehouse: Warehouse;
    let project: Project;
    let report: IdentityReport;
    const schema = uniqueSchema('idm');

    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      project = engineProject(schema, ['shop', 'crm'], IDENTITY);
      await loadTable(warehouse, project, 'shop', ['user_id', 'email', 'phone'], SHOP);
      await loadTable(warehouse, project, 'crm', ['email', 'phone', 'first_name', 'last_name'], CRM);
      report = await buildIdentity(project, warehouse, { fullRefresh: true });
    }, 180_000);
    afterAll(() => dropEngineSchemas(warehouse, schema));

    it('keeps a possible but not strictly valid phone that recurs in two sources: one profile, flagged', async () => {
      const ann = await profileOf(warehouse, project, 'user_id', 'u-ann');
      expect(ann).toBeDefined();
      expect(await profilesOf(warehouse, project, ['email:ann@work.io', 'phone:+14150552671'])).toEqual([
        ann,
        ann,
      ]);
      expect(report.phones_not_strictly_valid).toBe(1);
      // values typed already normalized: the BigQuery emulator's transpiler cannot run the nested
      // phone expression on a literal (normalize.test.ts covers normalization itself)
      const normalize = async (_type: string, raw: string) => raw;
      const explained = await explainLink(warehouse, project, 'user_id:u-ann', 'email:ann@work.io', {
        normalize,
      });
      expect(explained.linked).toBe(true);
      expect(explained.path.map((hop) => hop.to.value)).toContain('+14150552671');
      const viaPhone = await explainLink(warehouse, project, 'phone:+14150552671', 'email:ann@work.io', {
        normalize,
      });
      expect(viaPhone.a.flags).toEqual(['phone_not_strictly_valid']);
      expect(viaPhone.b.flags).toBeUndefined();
    });

    it('keeps 4 contacts behind one role mailbox apart, each with their own phone', async () => {
      const users = await profilesOf(warehouse, project, [
        'user_id:u-c1',
        'user_id:u-c2',
        'user_id:u-c3',
        'user_id:u-c4',
      ]);
      expect(new Set(users).size).toBe(4);
      const phones = await profilesOf(warehouse, project, [
        'phone:+12125551001',
        'phone:+12125551002',
        'phone:+12125551003',
        'phone:+12125551004',
      ]);
      expect(phones).toEqual(users);
      expect(await profileOf(warehouse, project, 'email', 'info@acme.io')).toBeUndefined();
      expect(report.shared_values).toContainEqual({ id_type: 'email', id_value: 'info@acme.io', persons: 4 });
      // shared detection kept them apart, not a limit
      expect(await limitEdges(warehouse, project, 'info@acme.io')).toEqual([]);
      expect(await sharedRows(warehouse, project, 'email', 'info@acme.io')).toEqual(
        [...users].sort().map((profile_id) => ({ profile_id, reason: 'shared', persons: 4 })),
      );
      const explained = await explainLink(warehouse, project, 'email:info@acme.io', 'user_id:u-c1', {
        normalize: async (_type, raw) => raw,
      });
      expect(explained).toMatchObject({
        linked: false,
        reason: 'excluded_value',
        a: { excluded_reason: 'shared' },
      });
    });

    it('leaves a role mailbox one person uses as that person’s identifier', async () => {
      const solo = await profileOf(warehouse, project, 'user_id', 'u-solo');
      expect(await profilesOf(warehouse, project, ['email:info@solo.io', 'phone:+13035552001'])).toEqual([
        solo,
        solo,
      ]);
      expect(report.shared_values.map((v) => v.id_value)).not.toContain('info@solo.io');
    });

    it('keeps 3 people sharing a desk phone apart and attaches the phone to each', async () => {
      const people = await profilesOf(warehouse, project, ['user_id:u-d1', 'user_id:u-d2', 'user_id:u-d3']);
      expect(new Set(people).size).toBe(3);
      expect(
        await profilesOf(warehouse, project, [
          'email:dee@desk.io',
          'email:dan@desk.io',
          'email:dora@desk.io',
        ]),
      ).toEqual(people);
      expect(report.shared_values).toContainEqual({ id_type: 'phone', id_value: '+16465553000', persons: 3 });
      expect(
        (await sharedRows(warehouse, project, 'phone', '+16465553000')).map((r) => r.profile_id),
      ).toEqual([...people].sort());
      const [edge] = await warehouse.query(
        `SELECT used_for_merge, unused_reason FROM ${warehouse.dialect.qualify({ schema: project.config.schema, name: 'identity_edges' })}
         WHERE b_type = 'phone' AND b_value = '+16465553000' AND a_value = 'u-d1'`,
      );
      expect(edge).toMatchObject({ used_for_merge: false, unused_reason: 'shared' });
    });

    it('finds a desk line shared from the distinct names on its rows', async () => {
      const people = await profilesOf(warehouse, project, [
        'email:wu@co2.io',
        'email:xu@co2.io',
        'email:yu@co2.io',
      ]);
      expect(new Set(people).size).toBe(3);
      expect(report.shared_values).toContainEqual({ id_type: 'phone', id_value: '+15125556000', persons: 3 });
    });

    it('reviews the riskiest profiles first: two names, then shared values and cut edges, with evidence', async () => {
      const review = await reviewProfiles(project, warehouse, 50);
      const pat = await profileOf(warehouse, project, 'email', 'pat@kim.io');
      expect(review[0]).toMatchObject({
        profile_id: pat,
        names: 2,
        sample_names: ['pat kim', 'patricia kim'],
      });
      const c1 = await profileOf(warehouse, project, 'user_id', 'u-c1');
      expect(review.find((p) => p.profile_id === c1)).toMatchObject({
        shared: 1,
        shared_values: ['email:info@acme.io (4 people)'],
      });
      const desk = await profileOf(warehouse, project, 'email', 'frontdesk@corp.io');
      expect(review.find((p) => p.profile_id === desk)?.limit_cuts).toBe(2);
      const solo = await profileOf(warehouse, project, 'user_id', 'u-solo');
      expect(review.map((p) => p.profile_id)).not.toContain(solo);
    });

    it('cuts the bridge between two blocks over the limit, not the leaves', async () => {
      const [bea, bob] = await profilesOf(warehouse, project, ['user_id:u-bea', 'user_id:u-bob']);
      expect(bea).not.toBe(bob);
      // each phone stays with its owner: the front-desk address is cut off, on its own
      expect(await profilesOf(warehouse, project, ['email:bea@a.io', 'phone:+17205554001'])).toEqual([
        bea,
        bea,
      ]);
      expect(await profilesOf(warehouse, project, ['email:bob@b.io', 'phone:+17205554002'])).toEqual([
        bob,
        bob,
      ]);
      const desk = await profileOf(warehouse, project, 'email', 'frontdesk@corp.io');
      expect([bea, bob]).not.toContain(desk);
      expect(await limitEdges(warehouse, project, 'frontdesk@corp.io')).toEqual([
        '+17205554001',
        '+17205554002',
      ]);
      expect(report.shared_values.map((v) => v.id_value)).not.toContain('frontdesk@corp.io');
    });
  });
}
