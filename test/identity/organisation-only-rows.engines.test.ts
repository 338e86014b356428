/**
 * Rows carrying organisation lines only (issue 17, the two role-mailbox over-merges of the
 * harder seed at 1M people): a CRM contact filed under a company's role mailbox *and* its
 * toll-free desk line names the company, not a person. Two colleagues with the same name each
 * filed that way give the mailbox one partner (the desk line), one name and no row carrying the
 * mailbox alone, so none of the per-value tests saw it shared, and their two contacts met in one
 * profile. Such rows are bare for every organisation line on them. On every live engine.
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
  // two colleagues with the same (common) name, each with an account of their own
  ['u-j1', 'john.smith@home.io', '212 555 3101', at(1)],
  ['u-j2', 'jsmith@mail.io', '718 555 3102', at(2)],
  // a sole trader whose own rows carry the role mailbox and the toll-free line with their user id
  ['u-t1', 'info@trader.io', '888 555 3300', at(3)],
];
/** crm: contact_id, email, phone, first and last name. */
const CRM: Array<[string, string | null, string | null, string, string, Date]> = [
  // John (u-j1) also filed under his own address and phone: those rows are his
  ['c-j1', 'john.smith@home.io', '212-555-3101', 'John', 'Smith', at(10)],
  // each colleague filed under the company's role mailbox and desk line, nothing else
  ['c-org1', 'info@corp.io', '877 555 3000', 'John', 'Smith', at(11)],
  ['c-org2', 'INFO@corp.io', '(877) 555-3000', ' john ', 'SMITH', at(12)],
  // a contact under a role mailbox with a personal phone: that phone's owner's evidence
  ['c-own', 'sales@own.io', '303 555 3201', 'Ola', 'Nor', at(13)],
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
      key: 'contact_id',
      ids: { email: 'email', phone: 'phone' },
      names: ['first_name', 'last_name'],
      timestamp: 'ts',
    },
  ],
};

for (const { engine, config } of liveEngines()) {
  describe(`rows carrying organisation lines only, ${engine.name}`, () => {
    let warehouse: Warehouse;
    let project: Project;
    let report: IdentityReport;
    const schema = uniqueSchema('idorgonly');

    /** Profile of a crm contact in identity_rows (undefined: in no profile). */
    async function contact(key: string): Promise<string | undefined> {
      const d = warehouse.dialect;
      const rows = await warehouse.query(
        `SELECT profile_id FROM ${d.qualify({ schema: project.config.schema, name: 'identity_rows' })}
         WHERE source = 'src.crm' AND row_key = ${d.literal(key)}`,
      );
      expect(rows.length).toBeLessThanOrEqual(1);
      return rows[0] ? String(rows[0].profile_id) : undefined;
    }

    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      project = engineProject(schema, ['shop', 'crm'], IDENTITY);
      await loadTable(warehouse, project, 'shop', ['user_id', 'email', 'phone'], SHOP);
      await loadTable(
        warehouse,
        project,
        'crm',
        ['contact_id', 'email', 'phone', 'first_name', 'last_name'],
        CRM,
      );
      report = await buildIdentity(project, warehouse, { fullRefresh: true });
    }, 180_000);
    afterAll(() => dropEngineSchemas(warehouse, schema));

    it('puts two colleagues filed under the role mailbox and desk line only in no profile', async () => {
      // before: info@corp.io + the desk line made one profile holding both colleagues' contacts
      expect(await contact('c-org1')).toBeUndefined();
      expect(await contact('c-org2')).toBeUndefined();
      expect(await profilesOf(warehouse, project, ['email:info@corp.io', 'phone:+18775553000'])).toEqual([
        undefined,
        undefined,
      ]);
      const shared = report.shared_values.map((v) => `${v.id_type}:${v.id_value}`);
      expect(shared).toContain('email:info@corp.io');
      expect(shared).toContain('phone:+18775553000');
    });

    it('keeps the colleagues apart and their own rows theirs', async () => {
      const [j1, j2] = await profilesOf(warehouse, project, ['user_id:u-j1', 'user_id:u-j2']);
      expect(j1).toBeDefined();
      expect(j2).toBeDefined();
      expect(j1).not.toBe(j2);
      expect(await contact('c-j1')).toBe(j1);
      // the lines are attached to no one: nothing ties either colleague to them
      expect(await sharedRows(warehouse, project, 'email', 'info@corp.io')).toEqual([]);
    });

    it('leaves organisation lines a person gives with their own identifiers theirs', async () => {
      const trader = await profileOf(warehouse, project, 'user_id', 'u-t1');
      expect(await profilesOf(warehouse, project, ['email:info@trader.io', 'phone:+18885553300'])).toEqual([
        trader,
        trader,
      ]);
      const own = await profileOf(warehouse, project, 'phone', '+13035553201');
      expect(own).toBeDefined();
      expect(await contact('c-own')).toBe(own);
      expect(await profileOf(warehouse, project, 'email', 'sales@own.io')).toBe(own);
    });
  });
}
