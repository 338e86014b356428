/**
 * The harder seed (`noise: 'messy'`): deterministic, and it carries what B2B CRMs carry — role
 * mailboxes and desk phones shared by a company's contacts, unassigned-exchange phones recurring
 * across sources, common names, email typos. Checked on generated rows (no warehouse).
 */
import { describe, expect, it } from 'vitest';
import { createSeedContext, makePerson, rowPersonRows, type SeedContext } from '../../src/seed/index.js';
import { hashAllRows, rowObjects, table } from './helpers.js';

const messy = (people = 2_000, seed = 42): SeedContext => createSeedContext({ people, seed, noise: 'messy' });
const digits = (v: unknown) =>
  String(v ?? '')
    .replace(/\D/g, '')
    .replace(/^1(?=\d{10}$)/, '');

/** value → distinct persons writing it, over one table's rows. */
function personsPerValue(ctx: SeedContext, name: string, column: string, clean: (v: unknown) => string) {
  const t = table(name);
  const owners = [...rowPersonRows(ctx, t)].map((r) => r[2] as number);
  const out = new Map<string, Set<number>>();
  rowObjects(ctx, t).forEach((row, i) => {
    const v = clean(row[column]);
    if (v === '') return;
    const set = out.get(v) ?? new Set<number>();
    set.add(owners[i] as number);
    out.set(v, set);
  });
  return out;
}

describe('the harder seed', () => {
  it('is deterministic, pinned, and differs from the standard seed', () => {
    expect(hashAllRows(messy(300, 7))).toBe(hashAllRows(messy(300, 7)));
    expect(hashAllRows(messy(300, 7))).not.toBe(hashAllRows(createSeedContext({ people: 300, seed: 7 })));
    expect(hashAllRows(messy(200, 7))).toBe(
      '8c6c34ef6e08ebdfa8c1f8ad2dd7fb711b4b5e0a574f74cd1e6fe863415ee980',
    );
  });

  it('rejects an unknown noise level', () => {
    expect(() => createSeedContext({ noise: 'loud' as 'messy' })).toThrow(/noise/);
  });

  it('shares role mailboxes (info@, sales@, contact@, office@) among a company’s contacts', () => {
    const ctx = messy();
    const emails = personsPerValue(ctx, 'raw.contacts', 'email', (v) =>
      String(v ?? '')
        .trim()
        .toLowerCase(),
    );
    const roles = [...emails].filter(([e]) => /^(info|sales|contact|office)@[a-z]+\d+\.com$/.test(e));
    expect(roles.length).toBeGreaterThan(20);
    expect(roles.filter(([, persons]) => persons.size >= 2).length).toBeGreaterThan(10);
  });

  it('shares desk phones among a company’s contacts', () => {
    const phones = personsPerValue(messy(), 'raw.contacts', 'phone', digits);
    const desks = [...phones].filter(([p]) => p.startsWith('877'));
    expect(desks.filter(([, persons]) => persons.size >= 2).length).toBeGreaterThan(10);
  });

  it('gives some people a phone in an unassigned exchange, recurring in shop and crm', () => {
    const ctx = messy();
    const unassigned = (p: string) => /^[2-9]\d{2}[01]\d{6}$/.test(p);
    const shop = personsPerValue(ctx, 'raw.customers', 'phone', digits);
    const crm = personsPerValue(ctx, 'raw.contacts', 'phone', digits);
    const both = [...shop.keys()].filter((p) => unassigned(p) && crm.has(p));
    expect(both.length).toBeGreaterThan(5);
    // each such number belongs to one person
    for (const p of both) expect(new Set([...(shop.get(p) ?? []), ...(crm.get(p) ?? [])]).size).toBe(1);
  });

  it('has name collisions and email typos', () => {
    const ctx = messy();
    const names = new Map<string, number>();
    for (let i = 0; i < ctx.people; i++) {
      const p = makePerson(ctx, i);
      const key = `${p.firstName} ${p.lastName}`;
      names.set(key, (names.get(key) ?? 0) + 1);
    }
    expect(Math.max(...names.values())).toBeGreaterThan(30);
    // a typo swaps two letters: the address is no longer the person's canonical one
    const people = Array.from({ length: ctx.people }, (_, i) => makePerson(ctx, i));
    const known = new Set(people.flatMap((p) => [p.personalEmail, p.workEmail, p.familyEmail]));
    const typed = rowObjects(ctx, table('raw.customers'))
      .map((r) =>
        String(r.email ?? '')
          .trim()
          .toLowerCase(),
      )
      .filter((e) => e.includes('@') && !e.includes('+') && !e.endsWith('@gmail.com'));
    const typos = typed.filter((e) => !known.has(e) && !/test|a@a|noemail/.test(e));
    expect(typos.length).toBeGreaterThan(3);
  });
});
