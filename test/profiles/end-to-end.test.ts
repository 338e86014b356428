/** Profiles on seeded demo data, through the real identity build, checked against sources and truth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdentity, rowKeyExpr } from '../../src/identity/index.js';
import { buildProfiles, type ProfilesReport } from '../../src/profiles/index.js';
import { lookupProfile } from '../../src/profiles/lookup/index.js';
import { type SeededDemo, seededDemo } from '../identity-quality/seeded.js';

let demo: SeededDemo;
let report: ProfilesReport;
const one = async (sql: string) => (await demo.warehouse.query(sql))[0] ?? {};

beforeAll(async () => {
  demo = await seededDemo(400, 7);
  await buildIdentity(demo.project, demo.warehouse);
  report = await buildProfiles(demo.project, demo.warehouse);
}, 120_000);
afterAll(async () => {
  await demo?.dispose();
});

describe('profiles over the real identity graph (demo project, 400 seeded people)', () => {
  it('has one row per profile id of identity_map and every demo trait', async () => {
    const counts = await one(`SELECT
      (SELECT count(*) FROM weft.profiles) AS n,
      (SELECT count(DISTINCT profile_id) FROM weft.profiles) AS ids,
      (SELECT count(DISTINCT profile_id) FROM weft.identity_map) AS mapped`);
    expect(Number(counts.n)).toBe(Number(counts.mapped));
    expect(Number(counts.ids)).toBe(Number(counts.mapped));
    expect(report.profiles).toBe(Number(counts.mapped));
    expect(report.traits).toEqual(Object.keys(demo.project.profiles?.traits ?? {}));
  });

  it('aggregates add up to the resolved source rows', async () => {
    const totals = await one(
      'SELECT sum(order_count) AS orders, sum(support_tickets) AS tickets, sum(lifetime_value) AS ltv FROM weft.profiles',
    );
    // Only rows identity_rows placed in a profile count (a guest order has no user id).
    const source = demo.project.identity?.sources.find((s) => s.from === 'stg_shop_orders');
    if (!source) throw new Error('the demo has no stg_shop_orders identity source');
    const rowKey = rowKeyExpr(demo.warehouse.dialect, source);
    const resolved = await one(`SELECT
      count(*) FILTER (WHERE o.status = 'paid') AS orders,
      sum(CASE WHEN o.status = 'paid' THEN o.amount ELSE 0 END) AS ltv
      FROM (SELECT *, CAST(${rowKey} AS VARCHAR) AS row_key FROM weft.stg_shop_orders) AS o
      JOIN weft.identity_rows AS r ON r.source = 'stg_shop_orders' AND r.row_key = o.row_key`);
    expect(Number(totals.orders)).toBeGreaterThan(0);
    expect(Number(totals.orders)).toBe(Number(resolved.orders));
    expect(Number(totals.ltv)).toBeCloseTo(Number(resolved.ltv), 2);
    const tickets = await one(
      `SELECT count(*) AS n FROM weft.identity_rows WHERE source = 'stg_support_tickets'`,
    );
    expect(Number(totals.tickets)).toBe(Number(tickets.n));
  });

  it('a customer email spelled as in the source finds a profile whose email trait matches', async () => {
    const [customer] = await demo.warehouse.query(`SELECT c.email FROM weft.stg_shop_customers AS c
      JOIN weft.identity_map AS m ON m.id_type = 'email' AND m.id_value = lower(trim(c.email))
      WHERE c.email <> lower(trim(c.email)) ORDER BY c.customer_id LIMIT 1`);
    const email = String(customer?.email);
    const lookup = await lookupProfile(demo.project, demo.warehouse, `email:${email}`);
    if (!lookup.found) throw new Error(lookup.hints.join('; '));
    const identifiers = lookup.sections.find((s) => s.key === 'identifiers')?.output.json as Array<{
      type: string;
      value: string;
      sources: string[];
    }>;
    const matched = identifiers.find((i) => i.type === 'email' && i.value === lookup.normalized);
    expect(matched?.sources).toContain('stg_shop_customers');
    const traits = lookup.sections.find((s) => s.key === 'traits')?.output.json as Record<string, unknown>;
    expect(Object.keys(traits)).toEqual(report.traits);
    // The shop account outranks the CRM for the email trait: it is the address as the shop has it.
    expect(traits.email).toBe(email);
  });
});
