/** `from: profiles` reads the unified profiles table, when the project builds one. */
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadProject } from '../../src/config/index.js';
import { sourceRelation } from '../../src/sync/resolve.js';
import { removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

const base: Record<string, string> = {
  'weft.yml': 'name: t\nconnections:\n  hook: { type: webhook }\n',
  'models/sources.yml': 'sources:\n  shop:\n    schema: raw\n    tables: [customers]\n',
  'syncs/s.yml': 'name: s\nfrom: profiles\nconnection: hook\nkey: email\n',
};
const identity =
  'identity:\n  id_types:\n    email: {}\n  sources:\n    - from: shop.customers\n      ids: { email: email }\n';
const profiles =
  'profiles:\n  traits:\n    email: { from: shop.customers, column: email, pick: most_frequent }\n';

async function load(files: Record<string, string>) {
  return loadProject(writeProject({ ...base, ...files }), { env: {} });
}

describe('sync from: profiles', () => {
  it('resolves to <schema>.profiles when models/profiles.yml exists', async () => {
    const { project, issues } = await load({
      'models/identity.yml': identity,
      'models/profiles.yml': profiles,
    });
    expect(issues.map(formatIssue)).toEqual([]);
    expect(sourceRelation(project!, 'profiles')).toEqual({ schema: 'weft', name: 'profiles' });
  });

  it('is an unknown model without models/profiles.yml', async () => {
    const { issues } = await load({});
    expect(issues.map(formatIssue)).toEqual(["syncs/s.yml:2:7  from: unknown model 'profiles'"]);
  });

  it('means the model when a model is called profiles', async () => {
    const { project, issues } = await load({
      'models/identity.yml': identity,
      'models/profiles.yml': profiles,
      'models/profiles.sql': 'select 1 as email',
    });
    expect(issues.map(formatIssue)).toEqual([]);
    expect(sourceRelation(project!, 'profiles')).toMatchObject({ name: 'profiles' });
  });
});
