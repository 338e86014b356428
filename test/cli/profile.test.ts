import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceEmulator } from '../../destinations/salesforce/emulator.js';
import { startEmulator } from '../../src/sandbox/server.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { lookupIdentityYaml, writeLookupTables } from '../profiles/lookup-fixture.js';
import { jsonLines, repoRoot, runWeft, tempDir } from './run-weft.js';

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

/** A copy of the demo project after `weft seed` and `weft build` (models, identity, profiles). */
async function builtDemoProject(): Promise<string> {
  const dir = tempDir('weft-profile-demo-');
  fs.cpSync(path.join(repoRoot, 'models'), path.join(dir, 'models'), { recursive: true });
  // This weft.yml has no connections, so the demo's triggers (which send through them) stay out.
  fs.rmSync(path.join(dir, 'models/triggers'), { recursive: true, force: true });
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    'name: demo\nwarehouse:\n  type: duckdb\n  path: demo.duckdb\nvars:\n  currency: USD\n',
  );
  const seed = await runWeft(['seed', '--people', '300', '--seed', '11', '--project', dir]);
  expect(seed.code, seed.stderr).toBe(0);
  const build = await runWeft(['build', '--project', dir, '--json']);
  expect(build.code, build.stderr).toBe(0);
  return dir;
}

describe('weft profile on the seeded demo project', () => {
  let dir: string;
  let expected: { email: string; profile_id: string; order_count: unknown; lifetime_value: unknown };
  beforeAll(async () => {
    dir = await builtDemoProject();
    const warehouse = await openWarehouse({ type: 'duckdb', path: 'demo.duckdb' }, { projectDir: dir });
    try {
      // A shop email stored with capitals or spaces, whose profile has paid orders.
      const [row] = await warehouse.query(`SELECT c.email, m.profile_id, p.order_count, p.lifetime_value
        FROM weft.stg_shop_customers AS c
        JOIN weft.identity_map AS m ON m.id_type = 'email' AND m.id_value = lower(trim(c.email))
        JOIN weft.profiles AS p ON p.profile_id = m.profile_id
        WHERE c.email <> lower(trim(c.email)) AND p.order_count > 0
        ORDER BY c.customer_id LIMIT 1`);
      expected = row as typeof expected;
    } finally {
      await warehouse.close();
    }
  }, 120_000);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the profile from the email as a source spells it, with its traits', async () => {
    expect(expected?.email).toBeTruthy();
    const res = await runWeft(['profile', `email:${expected.email}`, '--project', dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const [profile] = jsonLines(res.stdout) as Array<{
      profile_id: string;
      identifiers: Array<{ type: string; value: string; sources: string[] }>;
      traits: Record<string, unknown>;
    }>;
    expect(profile?.profile_id).toBe(expected.profile_id);
    expect(profile?.traits.order_count).toBe(expected.order_count);
    expect(profile?.traits.lifetime_value).toBe(expected.lifetime_value);
    const email = profile?.identifiers.find((i) => i.value === expected.email.trim().toLowerCase());
    expect(email?.sources).toContain('stg_shop_customers');
    expect(profile?.identifiers[0]?.type).toBe('user_id');
  });

  it('the demo Salesforce sync plans known people only, not anonymous profiles', async () => {
    const emulator = await startEmulator(salesforceEmulator, {});
    const weftYml = fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8');
    try {
      const { type: _type, ...settings } = emulator.settings;
      fs.writeFileSync(
        path.join(dir, 'weft.yml'),
        `${weftYml}connections:\n  sandbox_salesforce:\n    type: salesforce\n${Object.entries(settings)
          .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
          .join('\n')}\n`,
      );
      fs.mkdirSync(path.join(dir, 'syncs'), { recursive: true });
      fs.copyFileSync(
        path.join(repoRoot, 'syncs/salesforce_contacts.yml'),
        path.join(dir, 'syncs/salesforce_contacts.yml'),
      );
      const warehouse = await openWarehouse({ type: 'duckdb', path: 'demo.duckdb' }, { projectDir: dir });
      let counts: { known: unknown; anonymous: unknown } | undefined;
      try {
        [counts] = (await warehouse.query(
          `SELECT count(*) FILTER (WHERE email IS NOT NULL) AS known, count(*) FILTER (WHERE email IS NULL) AS anonymous
           FROM weft.profiles`,
        )) as Array<{ known: unknown; anonymous: unknown }>;
      } finally {
        await warehouse.close();
      }
      expect(Number(counts?.anonymous)).toBeGreaterThan(0);
      const plan = await runWeft(['plan', 'salesforce_contacts', '--project', dir, '--json']);
      expect(plan.code, plan.stdout).toBe(0);
      const [line] = jsonLines(plan.stdout) as Array<{ added: number; invalid: { null_keys: number } }>;
      expect(line?.added).toBe(Number(counts?.known));
      expect(line?.invalid.null_keys).toBe(0);
    } finally {
      fs.writeFileSync(path.join(dir, 'weft.yml'), weftYml);
      fs.rmSync(path.join(dir, 'syncs'), { recursive: true, force: true });
      await emulator.close();
    }
  }, 60_000);

  it('a junk email seen in the sources is explained, not found', async () => {
    const res = await runWeft(['profile', 'email:TEST@test.com', '--project', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('tried email:test@test.com');
    expect(res.stderr).toMatch(/excluded from matching/);
  });
});
