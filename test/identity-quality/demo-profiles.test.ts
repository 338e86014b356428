/** The demo profiles.yml builds on seeded data (identity from the naive resolver, as a stand-in). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureNaiveQuality } from '../../src/identity-quality/index.js';
import { buildProfiles } from '../../src/profiles/index.js';
import { type SeededDemo, seededDemo } from './seeded.js';

let demo: SeededDemo;
beforeAll(async () => {
  demo = await seededDemo(300);
  await measureNaiveQuality(demo.warehouse, demo.project);
  await demo.warehouse.execute(`CREATE TABLE weft.identity_rows AS SELECT * FROM weft.naive_identity_rows`);
  await demo.warehouse.execute(
    `CREATE TABLE weft.identity_map AS SELECT DISTINCT 'x' AS id_type, profile_id AS id_value, profile_id FROM weft.identity_rows`,
  );
}, 60_000);
afterAll(async () => {
  await demo?.dispose();
});

describe('demo profiles.yml', () => {
  it('computes every trait, with plausible values', async () => {
    const report = await buildProfiles(demo.project, demo.warehouse);
    expect(report.traits).toEqual(Object.keys(demo.project.profiles?.traits ?? {}));
    const [row] =
      await demo.warehouse.query(`SELECT COUNT(*) AS n, COUNT(email) AS emails, SUM(order_count) AS orders,
      COUNT(last_seen_at) AS seen, COUNT(plan) AS plans, SUM(support_tickets) AS tickets,
      COUNT(*) FILTER (WHERE lifetime_value < 0) AS negative FROM weft.profiles`);
    expect(Number(row?.n)).toBe(report.profiles);
    expect(Number(row?.emails)).toBeGreaterThan(0);
    expect(Number(row?.seen)).toBeGreaterThan(0);
    expect(Number(row?.plans)).toBeGreaterThan(0);
    expect(Number(row?.negative)).toBe(0);
    const [orders] = await demo.warehouse.query(
      `SELECT COUNT(*) AS n FROM weft.stg_shop_orders WHERE status = 'paid' AND customer_id IS NOT NULL`,
    );
    expect(Number(row?.orders)).toBe(Number(orders?.n));
    const [tickets] = await demo.warehouse.query(
      'SELECT COUNT(*) AS n FROM weft.stg_support_tickets WHERE email IS NOT NULL',
    );
    expect(Number(row?.tickets)).toBe(Number(tickets?.n));
  });
});
