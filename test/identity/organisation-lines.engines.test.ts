/**
 * Organisation lines (issue 17): a role mailbox or a desk phone on rows carrying nothing else
 * never glues those rows to one person, on every live engine. One small dataset, one full build
 * per engine; each scenario uses identifiers of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { buildIdentity, type IdentityReport } from '../../src/identity/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';
import {
  dayAt,
  dropEngineSchemas,
  engineProject,
  loadTable,
  profileOf,
  profilesOf,
  sharedRows,
} from './engine-helpers.js';

const at = dayAt;

/** shop: user_id, email, phone. */
const SHOP: Array<[string, string, string, Date]> = [
  // a role mailbox four contacts give, each with their own phone
  ['u-a1', 'info@acme.io', '212 555 1001', at(1)],
  ['u-a2', 'info@acme.io', '212 555 1002', at(2)],
  ['u-a3', 'info@acme.io', '212 555 1003', at(3)],
  ['u-a4', 'info@acme.io', '212 555 1004', at(4)],
  // a role mailbox one contact gives with their phone; tickets come from it alone
  ['u-b1', 'sales@beta.io', '415 555 7001', at(5)],
  // a role mailbox one person uses, always with their other identifiers: theirs
  ['u-solo', 'info@solo.io', '303 555 2001', at(6)],
  // a toll-free desk line three people give
  ['u-d1', 'dee@desk.io', '877 555 2100', at(7)],
  ['u-d2', 'dan@desk.io', '(877) 555-2100', at(8)],
  ['u-d3', 'dora@desk.io', '+1 877 555 2100', at(9)],
  // personal values that also appear on rows carrying nothing else
  ['u-ann', 'ann@home.io', '720 555 4001', at(10)],
  ['u-pia', 'pia@p.io', '303 555 4000', at(11)],
];
/** crm: email, phone, first and last name. */
const CRM: Array<[string | null, string | null, string, string, Date]> = [
  // a contact filed under the desk line only
  [null, '877-555-2100', 'Kim', 'Ode', at(12)],
  // a toll-free line one person gives with her address; another contact filed under it alone
  ['lu@l.io', '877 555 2199', 'Lu', 'Ng', at(13)],
  [null, '(877) 555-2199', 'Mo', 'Ra', at(14)],
  // a personal phone on a row carrying nothing else: still its owner's
  [null, '303-555-4000', 'Pia', 'Po', at(15)],
];
/** tickets: ticket_id, email. */
const TICKETS: Array<[string, string, Date]> = [
  ['t1', 'info@acme.io', at(20)],
  ['t2', 'INFO@acme.io', at(21)],
  ['t3', 'sales@beta.io', at(22)],
  ['t4', 'sales@beta.io', at(23)],
  ['t5', 'ann@home.io', at(24)],
  // a role mailbox seen on tickets only
  ['t6', 'hello@gamma.io', at(25)],
  ['t7', 'hello@gamma.io', at(26)],
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
    { from: 'src.tickets', key: 'ticket_id', ids: { email: 'email' }, timestamp: 'ts' },
  ],
};

for (const { engine, config } of liveEngines()) {
  describe(`organisation lines on bare rows, ${engine.name}`, () => {
    let warehouse: Warehouse;
    let project: Project;
    let report: IdentityReport;
    const schema = uniqueSchema('idorg');

    /** Profile of a source row in identity_rows (undefined: in no profile). */
    async function rowProfile(source: string, where: string): Promise<string | undefined> {
      const d = warehouse.dialect;
      const rows = await warehouse.query(
        `SELECT r.profile_id FROM ${d.qualify({ schema: project.config.schema, name: 'identity_rows' })} r
         WHERE r.source = ${d.literal(source)} AND r.row_key IN (
           SELECT o.row_key FROM ${d.qualify({ schema: project.config.schema, name: 'identity_occurrences' })} o
           WHERE o.source = ${d.literal(source)} AND ${where})`,
      );
      expect(rows.length).toBeLessThanOrEqual(1);
      return rows[0] ? String(rows[0].profile_id) : undefined;
    }
    const ticket = (key: string) =>
      rowProfile('src.tickets', `o.row_key = ${warehouse.dialect.literal(key)}`);
    /** The crm row whose only identifier is `phone` (normalized). */
    const bareCrm = (phone: string) =>
      rowProfile(
        'src.crm',
        `o.id_type = 'phone' AND o.id_value = ${warehouse.dialect.literal(phone)} AND o.row_key NOT IN (
           SELECT x.row_key FROM ${warehouse.dialect.qualify({ schema: project.config.schema, name: 'identity_occurrences' })} x
           WHERE x.source = 'src.crm' AND x.id_type = 'email')`,
      );

    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      project = engineProject(schema, ['shop', 'crm', 'tickets'], IDENTITY);
      await loadTable(warehouse, project, 'shop', ['user_id', 'email', 'phone'], SHOP);
      await loadTable(warehouse, project, 'crm', ['email', 'phone', 'first_name', 'last_name'], CRM);
      await loadTable(warehouse, project, 'tickets', ['ticket_id', 'email'], TICKETS);
      report = await buildIdentity(project, warehouse, { fullRefresh: true });
    }, 180_000);
    afterAll(() => dropEngineSchemas(warehouse, schema));

    it('leaves rows carrying only a role mailbox four contacts share out of every profile', async () => {
      const users = await profilesOf(warehouse, project, [
        'user_id:u-a1',
        'user_id:u-a2',
        'user_id:u-a3',
        'user_id:u-a4',
      ]);
      expect(new Set(users).size).toBe(4);
      expect(await ticket('t1')).toBeUndefined();
      expect(await ticket('t2')).toBeUndefined();
      expect(
        (await sharedRows(warehouse, project, 'email', 'info@acme.io')).map((r) => r.profile_id),
      ).toEqual([...users].sort());
    });

    it('does not glue tickets from a role mailbox to the one contact seen with it', async () => {
      const b1 = await profileOf(warehouse, project, 'user_id', 'u-b1');
      expect(await profileOf(warehouse, project, 'phone', '+14155557001')).toBe(b1);
      expect(await ticket('t3')).toBeUndefined();
      expect(await ticket('t4')).toBeUndefined();
      // the mailbox is not merged on, and stays attached to the contact's profile
      expect(await profileOf(warehouse, project, 'email', 'sales@beta.io')).toBeUndefined();
      expect(await sharedRows(warehouse, project, 'email', 'sales@beta.io')).toEqual([
        { profile_id: b1, reason: 'shared', persons: 2 },
      ]);
    });

    it('keeps each row of a role mailbox seen on tickets only apart', async () => {
      expect(await ticket('t6')).toBeUndefined();
      expect(await ticket('t7')).toBeUndefined();
      expect(report.shared_values.map((v) => v.id_value)).toContain('hello@gamma.io');
    });

    it('leaves a role mailbox one person uses with their other identifiers as theirs', async () => {
      const solo = await profileOf(warehouse, project, 'user_id', 'u-solo');
      expect(await profilesOf(warehouse, project, ['email:info@solo.io', 'phone:+13035552001'])).toEqual([
        solo,
        solo,
      ]);
      expect(report.shared_values.map((v) => v.id_value)).not.toContain('info@solo.io');
    });

    it('keeps 3 people behind a desk line apart, and a contact filed under it alone in no profile', async () => {
      const people = await profilesOf(warehouse, project, ['user_id:u-d1', 'user_id:u-d2', 'user_id:u-d3']);
      expect(new Set(people).size).toBe(3);
      expect(
        await profilesOf(warehouse, project, [
          'email:dee@desk.io',
          'email:dan@desk.io',
          'email:dora@desk.io',
        ]),
      ).toEqual(people);
      expect(
        (await sharedRows(warehouse, project, 'phone', '+18775552100')).map((r) => r.profile_id),
      ).toEqual([...people].sort());
      expect(await bareCrm('+18775552100')).toBeUndefined();
    });

    it('does not give a contact filed under a toll-free line alone to the one person seen with it', async () => {
      const lu = await profileOf(warehouse, project, 'email', 'lu@l.io');
      expect(lu).toBeDefined();
      expect(await bareCrm('+18775552199')).toBeUndefined();
      expect(await sharedRows(warehouse, project, 'phone', '+18775552199')).toEqual([
        { profile_id: lu, reason: 'shared', persons: 2 },
      ]);
    });

    it('still joins rows carrying only a personal value to its owner', async () => {
      const ann = await profileOf(warehouse, project, 'user_id', 'u-ann');
      expect(await ticket('t5')).toBe(ann);
      const pia = await profileOf(warehouse, project, 'user_id', 'u-pia');
      expect(await bareCrm('+13035554000')).toBe(pia);
      const values = report.shared_values.map((v) => v.id_value);
      expect(values).not.toContain('ann@home.io');
      expect(values).not.toContain('+13035554000');
    });
  });
}
