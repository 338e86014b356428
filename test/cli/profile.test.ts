import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { lookupIdentityYaml, writeLookupTables } from '../profiles/lookup-fixture.js';
import { jsonLines, runWeft, tempDir } from './run-weft.js';

/** A project whose warehouse file already holds the identity contract tables. */
async function projectWithContractTables(): Promise<string> {
  const dir = tempDir('weft-profile-');
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    'name: t\nwarehouse:\n  type: duckdb\n  path: warehouse.duckdb\n',
  );
  fs.writeFileSync(
    path.join(dir, 'models/sources.yml'),
    'sources:\n  shop: { schema: raw, tables: [customers] }\n  crm: { schema: raw, tables: [contacts] }\n',
  );
  fs.writeFileSync(path.join(dir, 'models/identity.yml'), lookupIdentityYaml);
  const warehouse = await openWarehouse({ type: 'duckdb', path: 'warehouse.duckdb' }, { projectDir: dir });
  try {
    await writeLookupTables(warehouse);
  } finally {
    await warehouse.close();
  }
  return dir;
}

describe('weft profile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await projectWithContractTables();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints one object: profile id, identifiers, traits', async () => {
    const res = await runWeft(['profile', 'email:ANN@x.com', '--project', dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const [profile] = jsonLines(res.stdout) as Array<{
      profile_id: string;
      identifiers: Array<{ type: string; value: string; sources: string[] }>;
      traits: Record<string, unknown>;
    }>;
    expect(profile?.profile_id).toBe('p1');
    expect(profile?.identifiers.map((i) => `${i.type}:${i.value}`)).toEqual([
      'user_id:u1',
      'email:ann@x.com',
      'email:ann.work@corp.com',
      'phone:+14155552671',
    ]);
    expect(profile?.identifiers[1]?.sources).toEqual(['crm.contacts', 'shop.customers']);
    expect(profile?.traits).toEqual({
      first_name: 'Ann',
      lifetime_value: 30.5,
      last_seen_at: '2024-05-01T10:30:00.000Z',
    });
  });

  it('prints identifiers and traits for people', async () => {
    const res = await runWeft(['profile', 'p1', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^profile p1\n/);
    expect(res.stdout).toMatch(/identifiers\n\s+type\s+value\s+sources\s+first seen\s+last seen/);
    expect(res.stdout).toMatch(
      /email\s+ann@x\.com\s+crm\.contacts, shop\.customers\s+2023-06-01 00:00\s+2024-05-01 10:30/,
    );
    expect(res.stdout).toMatch(/traits\n\s+first_name\s+Ann\n\s+lifetime_value\s+30\.5/);
  });

  it('not found: exit 1 with the normalized form tried and why the value is not matched', async () => {
    const res = await runWeft(['profile', 'email: Test@Test.com', '--project', dir]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('no profile found for email: Test@Test.com');
    expect(res.stderr).toContain("tried email:test@test.com (normalized from ' Test@Test.com')");
    expect(res.stderr).toMatch(/excluded from matching: .*blocklist/);
  });

  it('not found with --json: stdout carries only a JSON error object', async () => {
    const res = await runWeft(['profile', 'user_id:zzz', '--project', dir, '--json']);
    expect(res.code).toBe(1);
    expect(jsonLines(res.stdout)).toEqual([
      {
        error: 'not_found',
        query: 'user_id:zzz',
        normalized: 'zzz',
        hints: ['tried user_id:zzz', 'user_id:zzz was not seen in any identity source'],
      },
    ]);
  });

  it('an unknown id type is bad usage (exit 2) naming the known types', async () => {
    const res = await runWeft(['profile', 'mail:ann@x.com', '--project', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown id type 'mail'");
    expect(res.stderr).toContain('user_id, email, phone');
  });

  it('--help explains the identifier forms with examples', async () => {
    const res = await runWeft(['profile', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('type:value');
    expect(res.stdout).toContain('Examples:');
  });
});
