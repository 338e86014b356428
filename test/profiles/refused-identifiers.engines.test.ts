/**
 * Column traits never hold a value the identity build refused as an identifier (junk or
 * blocklisted), on every live engine: one small source through the real identity and profiles
 * builds. A refused value falls to the next valid one by the trait's order, or leaves NULL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { buildIdentity } from '../../src/identity/index.js';
import { buildProfiles } from '../../src/profiles/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { dayAt, dropEngineSchemas, engineProject, loadTable, profileOf } from '../identity/engine-helpers.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';

const at = dayAt;

/** shop: user_id, email, phone, alt_email (not an id column), then ts. */
const SHOP: Array<[string, string | null, string | null, string | null, Date]> = [
  // u-1: valid values first, then a newer row with a built-in junk email and a one-digit phone
  ['u-1', 'ann@real.io', '415 555 2671', null, at(1)],
  ['u-1', 'test@test.com', '(555) 555-5555', 'test@test.com', at(2)],
  // u-2: only refused values: a blocklisted address (any case), a no-reply one, an all-zero phone
  ['u-2', 'Blocked@Corp.io', '(000) 000-0000', null, at(3)],
  ['u-2', 'noreply@shop.io', null, null, at(4)],
  // u-3: the newest email matches a blocklist glob; the older one is the trait
  ['u-3', 'cat@c.io', '212 555 7000', null, at(5)],
  ['u-3', 'SPAM-1@corp.io', null, null, at(6)],
];

const IDENTITY = {
  id_types: {
    user_id: {},
    email: { normalize: 'email' },
    phone: { normalize: 'phone', default_country_code: '1' },
  },
  blocklist: { email: ['blocked@corp.io', 'spam-*@corp.io'] },
  sources: [
    { from: 'src.shop', ids: { user_id: 'user_id', email: 'email', phone: 'phone' }, timestamp: 'ts' },
  ],
};

for (const { engine, config } of liveEngines()) {
  describe(`traits without refused identifiers, ${engine.name}`, () => {
    let warehouse: Warehouse;
    let project: Project;
    const schema = uniqueSchema('prf');
    const traitsOf = async (user: string) => {
      const id = await profileOf(warehouse, project, 'user_id', user);
      const d = warehouse.dialect;
      const [row] = await warehouse.query(
        `SELECT email, phone, alt_email FROM ${d.qualify({ schema: project.config.schema, name: 'profiles' })}
         WHERE profile_id = ${d.literal(String(id))}`,
      );
      return row;
    };

    beforeAll(async () => {
      warehouse = await openWarehouse(config, { projectDir: process.cwd() });
      const base = engineProject(schema, ['shop'], IDENTITY);
      const from = 'src.shop';
      project = {
        ...base,
        profiles: {
          traits: {
            email: { from, column: 'email' },
            phone: { from, column: 'phone' },
            alt_email: { from, column: 'alt_email' },
          },
        },
      };
      await loadTable(warehouse, project, 'shop', ['user_id', 'email', 'phone', 'alt_email'], SHOP);
      await buildIdentity(project, warehouse, { fullRefresh: true });
      await buildProfiles(project, warehouse);
    }, 180_000);
    afterAll(() => dropEngineSchemas(warehouse, schema));

    it('skips a junk email and phone for the next valid value by the trait order', async () => {
      expect(await traitsOf('u-1')).toEqual({
        email: 'ann@real.io',
        phone: '415 555 2671',
        // a column no identity source lists under ids is not an identifier: kept as it is
        alt_email: 'test@test.com',
      });
    });

    it('leaves the traits NULL when every value is blocklisted or junk', async () => {
      expect(await traitsOf('u-2')).toEqual({ email: null, phone: null, alt_email: null });
    });

    it('applies blocklist globs case-insensitively to emails', async () => {
      expect(await traitsOf('u-3')).toMatchObject({ email: 'cat@c.io', phone: '212 555 7000' });
    });
  });
}
