import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { identitySchema } from '../../src/config/schemas/identity.js';
import type { Project } from '../../src/config/types.js';
import { lookupProfile, ProfileQueryError, parseProfileQuery } from '../../src/profiles/lookup/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { makeProject } from '../compiler/project-fixture.js';
import { lookupIdentityYaml, writeLookupTables } from './lookup-fixture.js';

const project: Project = {
  ...makeProject({}),
  identity: identitySchema.parse((parse(lookupIdentityYaml) as { identity: unknown }).identity),
};

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
  await writeLookupTables(warehouse);
});
afterAll(async () => {
  await warehouse.close();
});

async function found(text: string) {
  const lookup = await lookupProfile(project, warehouse, text);
  if (!lookup.found) throw new Error(`not found: ${lookup.hints.join('; ')}`);
  return { ...lookup, json: Object.fromEntries(lookup.sections.map((s) => [s.key, s.output.json])) };
}

async function notFound(text: string) {
  const lookup = await lookupProfile(project, warehouse, text);
  if (lookup.found) throw new Error(`unexpectedly found ${lookup.profileId}`);
  return lookup;
}

describe('parseProfileQuery', () => {
  const types = ['user_id', 'email'];
  it('reads type:value, keeping colons in the value, and a bare profile id', () => {
    expect(parseProfileQuery('email:Ann@X.com', types)).toMatchObject({
      kind: 'identifier',
      idType: 'email',
      value: 'Ann@X.com',
    });
    expect(parseProfileQuery('user_id:a:b', types)).toMatchObject({ idType: 'user_id', value: 'a:b' });
    expect(parseProfileQuery('3f9c2a1e', types)).toMatchObject({ kind: 'profile_id', profileId: '3f9c2a1e' });
  });
  it('refuses an unknown id type (listing the known ones) and an empty value', () => {
    expect(() => parseProfileQuery('mail:a@b.c', types)).toThrow(/unknown id type 'mail'.*user_id, email/);
    expect(() => parseProfileQuery('email:  ', types)).toThrow(ProfileQueryError);
    expect(() => parseProfileQuery(' ', types)).toThrow(ProfileQueryError);
  });
});

describe('lookupProfile', () => {
  it('finds a profile by an identifier spelled differently, normalized like the identity build', async () => {
    const lookup = await found('email:  Ann@X.COM ');
    expect(lookup.profileId).toBe('p1');
    expect(lookup.normalized).toBe('ann@x.com');
  });

  it('lists identifiers by type priority, oldest first, with their sources and first/last seen', async () => {
    const { json } = await found('user_id:u1');
    expect(json.identifiers).toEqual([
      {
        type: 'user_id',
        value: 'u1',
        sources: ['shop.customers'],
        first_seen_at: '2024-01-01T00:00:00.000Z',
        last_seen_at: '2024-03-01T00:00:00.000Z',
      },
      {
        type: 'email',
        value: 'ann@x.com',
        sources: ['crm.contacts', 'shop.customers'],
        first_seen_at: '2023-06-01T00:00:00.000Z',
        last_seen_at: '2024-05-01T10:30:00.000Z',
      },
      {
        type: 'email',
        value: 'ann.work@corp.com',
        sources: ['crm.contacts'],
        first_seen_at: '2024-02-01T00:00:00.000Z',
        last_seen_at: '2024-02-01T00:00:00.000Z',
      },
      {
        type: 'phone',
        value: '+14155552671',
        sources: ['shop.customers'],
        first_seen_at: '2024-01-01T00:00:00.000Z',
        last_seen_at: '2024-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('shows the traits as JSON values and human lines', async () => {
    const lookup = await found('p1');
    const traits = lookup.sections.find((s) => s.key === 'traits');
    expect(traits?.output.json).toEqual({
      first_name: 'Ann',
      lifetime_value: 30.5,
      last_seen_at: '2024-05-01T10:30:00.000Z',
    });
    expect(traits?.output.lines).toEqual([
      'first_name      Ann',
      'lifetime_value  30.5',
      'last_seen_at    2024-05-01 10:30',
    ]);
  });

  it('explains a blocklisted value, with the normalized form tried', async () => {
    const lookup = await notFound('email:TEST@test.com');
    expect(lookup.normalized).toBe('test@test.com');
    expect(lookup.hints[0]).toBe("tried email:test@test.com (normalized from 'TEST@test.com')");
    expect(lookup.hints[1]).toMatch(
      /seen in 2 row\(s\) of crm\.contacts, excluded from matching: .*blocklist/,
    );
  });

  it('explains a hub value and a value never seen', async () => {
    expect((await notFound('email:family@home.net')).hints.join('\n')).toMatch(/hub/);
    expect((await notFound('email:nobody@nowhere.org')).hints).toEqual([
      'tried email:nobody@nowhere.org',
      'email:nobody@nowhere.org was not seen in any identity source',
    ]);
  });

  it('for a profile id that was merged away, names the profile it became', async () => {
    const lookup = await notFound('p_old');
    expect(lookup.hints.join('\n')).toContain('it became p1 (merge)');
  });
});

describe('identifier normalization (the identity build’s)', () => {
  it('finds a phone written in any format and a gmail address with dots and a +tag', async () => {
    await warehouse.execute(
      "INSERT INTO weft.identity_map VALUES ('email', 'annsmith@gmail.com', 'p2', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01')",
    );
    for (const phone of ['phone:(415) 555-2671', 'phone:+1 415.555.2671', 'phone:001 415 555 2671']) {
      expect(await found(phone), phone).toMatchObject({ profileId: 'p1', normalized: '+14155552671' });
    }
    expect(await found('email:Ann.Smith+news@GoogleMail.com')).toMatchObject({
      profileId: 'p2',
      normalized: 'annsmith@gmail.com',
    });
  });

  it('says when normalization rejects the value', async () => {
    const lookup = await notFound('phone:12');
    expect(lookup.normalized).toBeNull();
    expect(lookup.hints).toEqual(["'12' is not a valid phone: normalization rejects it"]);
  });
});

describe('before the identity graph is built', () => {
  it('says to run weft build', async () => {
    const empty = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: process.cwd() });
    try {
      await expect(lookupProfile(project, empty, 'email:ann@x.com')).rejects.toThrow(
        /identity_map" does not exist: run `weft build` first/,
      );
    } finally {
      await empty.close();
    }
  });
});
