import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import { splitSelect } from '../../src/build/stages.js';
import { identitySchema } from '../../src/config/schemas/identity.js';
import { profilesSchema } from '../../src/config/schemas/profiles.js';
import type { Project } from '../../src/config/types.js';
import { buildTestProject } from './build-project.js';
import { openSeededWarehouse, type TestWarehouse } from './duckdb-fixture.js';

/** The build test project plus identity over stg_customers and an email trait. */
function projectWithIdentity(extra: Parameters<typeof buildTestProject>[0] = {}): Project {
  const project = buildTestProject(extra);
  project.identity = identitySchema.parse({
    id_types: { user_id: {}, email: { normalize: 'email' } },
    sources: [{ from: 'stg_customers', ids: { user_id: 'customer_id', email: 'email' } }],
  });
  project.profiles = profilesSchema.parse({
    traits: { email: { from: 'stg_customers', column: 'email', pick: 'first', order_by: 'email' } },
  });
  return project;
}

let test: TestWarehouse;
beforeEach(async () => {
  test = await openSeededWarehouse();
});
afterEach(async () => {
  await test.dispose();
});

describe('weft build stages', () => {
  it('runs identity then profiles after the models', async () => {
    const result = await buildProject(projectWithIdentity(), test.warehouse);
    expect(result.status).toBe('success');
    expect(result.identity?.status).toBe('success');
    expect(result.identity?.report?.profiles).toBe(3);
    expect(result.profiles?.status).toBe('success');
    const rows = await test.warehouse.query('SELECT email FROM weft.profiles ORDER BY email');
    expect(rows.map((r) => r.email)).toEqual([
      ' Ann@acme-shop.io'.trim().toLowerCase(),
      'bob@acme-shop.io',
      'cy@acme-shop.io',
    ]);
  });

  it('a project without identity.yml has no stages', async () => {
    const result = await buildProject(buildTestProject(), test.warehouse);
    expect(result.identity).toBeUndefined();
    expect(result.profiles).toBeUndefined();
  });

  it('--select of models runs no stage; --select identity runs only identity', async () => {
    const project = projectWithIdentity();
    const modelsOnly = await buildProject(project, test.warehouse, { select: 'stg_customers' });
    expect(modelsOnly.models.map((m) => m.name)).toEqual(['stg_customers']);
    expect(modelsOnly.identity).toBeUndefined();
    const identityOnly = await buildProject(project, test.warehouse, { select: 'identity' });
    expect(identityOnly.models).toEqual([]);
    expect(identityOnly.identity?.status).toBe('success');
    expect(identityOnly.profiles).toBeUndefined();
  });

  it('skips identity and profiles when a model they read failed, and the build fails', async () => {
    const project = projectWithIdentity({
      stg_customers: { path: 'models/staging/stg_customers.sql', sql: 'select * from raw.no_such_table' },
    });
    const result = await buildProject(project, test.warehouse);
    expect(result.status).toBe('failed');
    expect(result.identity?.status).toBe('skipped');
    expect(result.identity?.skipped_because).toContain('stg_customers');
    expect(result.profiles?.status).toBe('skipped');
  });

  it('splitSelect separates stage names from model selectors', () => {
    expect(splitSelect(undefined)).toEqual({});
    expect(splitSelect('a+ identity')).toEqual({ models: 'a+', stages: new Set(['identity']) });
    expect(splitSelect('profiles')).toEqual({ models: '', stages: new Set(['profiles']) });
    expect(splitSelect('+a,b')).toEqual({ models: '+a b', stages: new Set() });
  });
});
