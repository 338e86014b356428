/**
 * `exportPerson` (weft privacy export, the console's profile page) on the demo: what it reports
 * per source and per destination equals what SQL finds, whatever the case and spaces of the
 * value asked for; each count and its sample come from one query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_ROW_LIMIT, exportPerson } from '../../src/privacy/export.js';
import { type PrivacyFixture, privacyFixture } from './fixture.js';

let f: PrivacyFixture;
let person: { profile_id: string; email: string };

beforeAll(async () => {
  f = await privacyFixture(150);
  // Someone with several source rows, in an audience that syncs send.
  const [row] = await f.warehouse.query(
    `SELECT a.profile_id, a.email FROM weft.audience_high_value_recent a
     JOIN weft.identity_rows r ON r.profile_id = a.profile_id
     WHERE a.email IS NOT NULL GROUP BY a.profile_id, a.email ORDER BY count(*) DESC, a.profile_id LIMIT 1`,
  );
  person = row as typeof person;
}, 240_000);
afterAll(async () => {
  await f?.dispose();
});

describe('exportPerson', () => {
  it('reports every source row and destination of the person, as SQL counts them', async () => {
    const asked = `email:  ${person.email.toUpperCase()} `;
    const found = await exportPerson(f.project, f.warehouse, asked);
    expect(found.profile_id).toBe(person.profile_id);

    const truth = await f.warehouse.query(
      `SELECT source, count(DISTINCT row_key) AS n FROM weft.identity_rows
       WHERE profile_id = '${person.profile_id}' GROUP BY source ORDER BY source`,
    );
    const reported = found.source_rows
      .map((s) => ({ source: s.source, n: s.rows }))
      .sort((a, b) => a.source.localeCompare(b.source));
    const expected = truth.map((r) => ({ source: String(r.source), n: Number(r.n) }));
    expect(reported).toEqual(expected);
    expect(reported.length).toBeGreaterThan(0);
    for (const source of found.source_rows) {
      expect(source.sample).toHaveLength(Math.min(source.rows, EXPORT_ROW_LIMIT));
      for (const row of source.sample) expect(Object.keys(row)).not.toContain('weft_export_rows');
    }

    // Every snapshot row keyed by one of the person's values, matched trimmed and lower-cased.
    const email = person.email.trim().toLowerCase();
    const synced = found.destinations.filter((d) => d.key.trim().toLowerCase() === email);
    expect(synced.length).toBeGreaterThan(0);
    for (const d of found.destinations) {
      const [row] = await f.warehouse.query(
        `SELECT count(*) AS n FROM weft_state."snapshot_${d.sync}" WHERE key = '${d.key.replaceAll("'", "''")}'`,
      );
      expect(Number(row?.n)).toBe(1);
    }
  });
});
