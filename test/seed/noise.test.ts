import { describe, expect, it } from 'vitest';
import { makePerson } from '../../src/seed/index.js';
import { rowObjects, smallContext, table } from './helpers.js';

const ctx = smallContext(3_000);
const customers = rowObjects(ctx, table('raw.customers'));
const contacts = rowObjects(ctx, table('raw.contacts'));
const events = rowObjects(ctx, table('raw.events'));
const appEvents = rowObjects(ctx, table('raw.app_events'));
const emails = [...customers, ...contacts]
  .map((r) => r.email)
  .filter((e): e is string => typeof e === 'string');
const phones = [...customers, ...contacts]
  .map((r) => r.phone)
  .filter((p): p is string => typeof p === 'string');

describe('seed noise', () => {
  it('spells emails with case, whitespace and gmail variants', () => {
    expect(emails.some((e) => e !== e.toLowerCase() && e.includes('@'))).toBe(true);
    expect(emails.some((e) => e !== e.trim())).toBe(true);
    expect(emails.some((e) => /\+[a-z]+@gmail\.com$/.test(e.trim().toLowerCase()))).toBe(true);
  });

  it('writes phones in several formats', () => {
    expect(phones.some((p) => /^\(\d{3}\) \d{3}-\d{4}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\+1 \d{3}-\d{3}-\d{4}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\d{10}$/.test(p) && p !== '0000000000')).toBe(true);
    expect(phones.some((p) => /^\d{3}\.\d{3}\.\d{4}$/.test(p))).toBe(true);
  });

  it('contains junk and missing values', () => {
    expect(emails).toContain('test@test.com');
    expect(emails).toContain('null');
    expect(emails).toContain('');
    expect(phones).toContain('0000000000');
    expect(customers.some((r) => r.email === null)).toBe(true);
  });

  it('shares one address between several people (families, role mailboxes)', () => {
    const family = customers
      .map((r) =>
        String(r.email ?? '')
          .trim()
          .toLowerCase(),
      )
      .filter((e) => e.includes('.family'));
    expect(family.length).toBeGreaterThan(0);
    const roleAddresses = contacts
      .map((r) =>
        String(r.email ?? '')
          .trim()
          .toLowerCase(),
      )
      .filter((e) => /^(info|sales|hello|admin|contact)@/.test(e));
    expect(roleAddresses.length).toBeGreaterThan(new Set(roleAddresses).size);
  });

  it('has anonymous web visitors that later log in, the login event carrying both ids', () => {
    const byCookie = new Map<string, Array<Record<string, unknown>>>();
    for (const e of events)
      byCookie.set(String(e.anonymous_id), [...(byCookie.get(String(e.anonymous_id)) ?? []), e]);
    const linked = [...byCookie.values()].filter(
      (rows) => rows[0]?.user_id === null && rows.some((r) => r.user_id !== null),
    );
    expect(linked.length).toBeGreaterThan(100);
    for (const rows of linked.slice(0, 50)) {
      const first = rows.findIndex((r) => r.user_id !== null);
      expect(['login', 'signup']).toContain(rows[first]?.event_type);
      expect(rows.slice(first).every((r) => r.user_id === rows[first]?.user_id)).toBe(true);
    }
    expect(events.some((e) => e.event_type === 'pricing_page_view')).toBe(true);
  });

  it('uses the shop customer_id as web and app user_id', () => {
    const customerIds = new Set(customers.map((r) => r.customer_id));
    const userIds = [...events, ...appEvents].map((e) => e.user_id).filter((u) => u !== null);
    expect(userIds.length).toBeGreaterThan(0);
    expect(userIds.every((u) => customerIds.has(u))).toBe(true);
    expect(appEvents.some((e) => e.user_id === null)).toBe(true);
  });

  it('puts people in some sources but not all, some with two emails or phones', () => {
    const people = Array.from({ length: 500 }, (_, i) => makePerson(ctx, i));
    expect(people.some((p) => p.accounts.length === 0)).toBe(true);
    expect(people.some((p) => p.contacts === 0 && p.webEvents > 0)).toBe(true);
    expect(people.some((p) => p.workEmail !== null)).toBe(true);
    expect(people.some((p) => p.secondPhone !== null)).toBe(true);
    expect(people.some((p) => p.accounts.length === 2)).toBe(true);
  });
});
