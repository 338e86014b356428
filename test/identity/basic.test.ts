import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIdentity } from '../../src/identity/index.js';
import { identityProject, loadRows, profileGroups, type TempWarehouse, tempWarehouse } from './helpers.js';

let tw: TempWarehouse;
beforeEach(async () => {
  tw = await tempWarehouse();
});
afterEach(async () => tw.dispose());

const identity = {
  id_types: {
    user_id: { max_per_profile: 1 },
    email: { normalize: 'email' },
    phone: { normalize: 'phone', default_country_code: '1' },
    anonymous_id: {},
  },
  sources: [
    { from: 'src.customers', ids: { user_id: 'user_id', email: 'email', phone: 'phone' }, timestamp: 'ts' },
    { from: 'src.events', ids: { anonymous_id: 'anonymous_id', user_id: 'user_id' }, timestamp: 'ts' },
  ],
};

describe('buildIdentity', () => {
  it('links a customer to its cookie and normalizes', async () => {
    const t = (d: number) => new Date(Date.UTC(2024, 0, d));
    await loadRows(
      tw.warehouse,
      'customers',
      ['user_id', 'email', 'phone'],
      [
        ['u1', ' Ann@Acme.COM', '(415) 555-2671', t(1)],
        ['u2', 'bob@x.org', null, t(2)],
      ],
    );
    await loadRows(
      tw.warehouse,
      'events',
      ['anonymous_id', 'user_id'],
      [
        ['c1', null, t(3)],
        ['c1', 'u1', t(4)],
        ['c2', 'u2', t(5)],
      ],
    );
    const project = identityProject(tw.dir, ['customers', 'events'], identity);
    const report = await buildIdentity(project, tw.warehouse);
    expect(await profileGroups(tw.warehouse)).toEqual([
      ['anonymous_id:c1', 'email:ann@acme.com', 'phone:+14155552671', 'user_id:u1'],
      ['anonymous_id:c2', 'email:bob@x.org', 'user_id:u2'],
    ]);
    expect(report.profiles).toBe(2);
    expect(report.incremental).toBe(false);
  });
});
