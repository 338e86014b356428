/**
 * The audience pages' insights, over one built demo: each audience's size per build (recorded in
 * weft_state.audience_sizes at every build) as the list's trend; a draft's per-group sizes,
 * overlaps with the built audiences and a masked member sample, each checked against SQL written
 * here; and the builder's column conditions on events, in Chromium.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewAudience } from '../../src/audiences/inspect/index.js';
import { buildProject } from '../../src/build/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row } from '../../src/warehouse/types.js';
import {
  type ConsoleBrowser,
  chromiumAvailable,
  consoleBrowser,
  dropScreenshots,
  screenshotsDir,
} from './browser.js';
import { type ConsoleFixture, consoleFixture } from './fixture.js';

const available = chromiumAvailable();

describe.runIf(available)('audience trends, insights and column conditions', () => {
  let fixture: ConsoleFixture;
  let browser: ConsoleBrowser;
  let shots: string;

  const query = (sql: string): Promise<Row[]> => fixture.query(sql);
  const api = async <T>(p: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${fixture.url}/console/api/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${fixture.keys.viewer}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  };
  /** `weft audience preview NAME`'s size (the warehouse closed again, so the console gets it). */
  const preview = async (name: string): Promise<number> => {
    const project = await fixture.project();
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
    try {
      return (await previewAudience(warehouse, project, name)).size;
    } finally {
      await warehouse.close();
    }
  };
  /** The live size once the builder has it. */
  const liveSize = async (page: import('playwright-core').Page): Promise<number> => {
    const size = page.getByTestId('live-size');
    let text = '';
    await expect
      .poll(
        async () => {
          text = (await size.getAttribute('aria-busy')) === 'false' ? ((await size.textContent()) ?? '') : '';
          return text;
        },
        { timeout: 15_000 },
      )
      .toMatch(/^[\d,]+$/);
    return Number(text.replace(/,/g, ''));
  };

  beforeAll(async () => {
    fixture = await consoleFixture(120);
    // A second build: every audience gets a second size in its trend.
    const project = await fixture.project();
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
    try {
      const built = await buildProject(project, warehouse, { select: 'audiences' });
      expect(built.audiences?.status, built.audiences?.error).toBe('success');
    } finally {
      await warehouse.close();
    }
    browser = await consoleBrowser(fixture.url);
    shots = screenshotsDir();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.dispose();
    if (shots) dropScreenshots(shots);
  });

  it('lists each audience with its size per build, as weft_state.audience_sizes records them', async () => {
    const rows = await query(
      'SELECT audience, size FROM weft_state.audience_sizes ORDER BY audience, built_at',
    );
    const recorded = new Map<string, number[]>();
    for (const r of rows)
      recorded.set(String(r.audience), [...(recorded.get(String(r.audience)) ?? []), Number(r.size)]);
    expect(recorded.get('high_value_recent')).toHaveLength(2);
    const listed =
      await api<Array<{ name: string; size: number; trend: Array<{ size: number }> }>>('audiences');
    for (const a of listed) {
      expect(
        a.trend.map((t) => t.size),
        a.name,
      ).toEqual(recorded.get(a.name));
      expect(a.trend.at(-1)?.size).toBe(a.size);
    }

    const page = await browser.signedIn(fixture.keys.viewer);
    await page.getByRole('link', { name: 'Audiences' }).click();
    const row = page
      .getByTestId('audience-list')
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'high_value_recent', exact: true }) });
    const [first, last] = [recorded.get('high_value_recent')![0]!, recorded.get('high_value_recent')![1]!];
    expect(await row.getByTestId('trend').textContent()).toBe(
      `${first.toLocaleString('en-US')} → ${last.toLocaleString('en-US')} over 2 builds (+${(last - first).toLocaleString('en-US')})`,
    );
  });

  it("sizes a draft's groups, its overlaps and a masked sample as SQL over the tables says", async () => {
    const draft = {
      name: 'console_insights',
      where: {
        all: [
          { trait: 'lifetime_value', op: 'gte', value: 100 },
          {
            any: [
              { trait: 'order_count', op: 'gte', value: 3 },
              { trait: 'support_tickets', op: 'gt', value: 0 },
            ],
          },
        ],
      },
      columns: ['email', 'lifetime_value'],
    };
    const inner = '(p.order_count >= 3 OR p.support_tickets > 0)';
    const whole = `p.lifetime_value >= 100 AND ${inner}`;
    const count = async (where: string) =>
      Number((await query(`SELECT count(*) AS n FROM weft.profiles AS p WHERE ${where}`))[0]?.n);
    const insights = await api<{
      groups: Array<{ path: number[]; match: string; conditions: number; size: number }>;
      overlaps: Array<{ audience: string; size: number; overlap: number }>;
      sample: Array<Record<string, unknown>>;
      built: boolean;
    }>('audiences/insights', { audience: draft });
    expect(insights.groups).toEqual([
      { path: [], match: 'all', conditions: 2, size: await count(whole) },
      { path: [1], match: 'any', conditions: 2, size: await count(inner) },
    ]);
    expect(insights.groups[0]!.size).toBeGreaterThan(0);

    const expected = await query(`SELECT m.audience, count(DISTINCT m.profile_id) AS size,
        count(DISTINCT CASE WHEN p.profile_id IS NOT NULL THEN m.profile_id END) AS overlap
      FROM weft.audience_members AS m
      LEFT JOIN (SELECT profile_id FROM weft.profiles AS p WHERE ${whole}) AS p ON p.profile_id = m.profile_id
      GROUP BY m.audience ORDER BY m.audience`);
    expect(insights.built).toBe(true);
    expect([...insights.overlaps].sort((a, b) => a.audience.localeCompare(b.audience))).toEqual(
      expected.map((r) => ({
        audience: String(r.audience),
        size: Number(r.size),
        overlap: Number(r.overlap),
      })),
    );
    expect(insights.overlaps.some((o) => o.overlap > 0)).toBe(true);

    const members = await query(
      `SELECT p.profile_id, p.email, p.lifetime_value FROM weft.profiles AS p WHERE ${whole} ORDER BY p.profile_id LIMIT 10`,
    );
    expect(insights.sample.map((r) => r.profile_id)).toEqual(members.map((r) => r.profile_id));
    for (const [i, row] of insights.sample.entries()) {
      const email = members[i]?.email;
      if (typeof email !== 'string') continue;
      // The first character and the domain, never the whole address.
      expect(row.email).toBe(`${email[0]}…${email.slice(email.indexOf('@'))}`);
      expect(JSON.stringify(insights)).not.toContain(email);
      expect(Number(row.lifetime_value)).toBeCloseTo(Number(members[i]?.lifetime_value), 6);
    }
  });

  it("edits an event's column conditions in the builder: the size follows, and the YAML changes only there", async () => {
    const page = await browser.signedIn(fixture.keys.editor);
    await page.goto(`${fixture.url}/#/audiences/high_value_recent`);
    const built = await preview('high_value_recent');
    expect(await liveSize(page)).toBe(built);
    await page.getByTestId('group-sizes').waitFor();

    // The orders event (condition 3) keeps paid orders: no order has this status.
    const value = page.getByLabel('where › condition 3 column condition 1 value');
    expect(await value.inputValue()).toBe('paid');
    await value.fill('no-such-status');
    await expect.poll(() => liveSize(page), { timeout: 15_000 }).toBe(0);
    await value.fill('paid');
    await expect.poll(() => liveSize(page), { timeout: 15_000 }).toBe(built);
    await page
      .getByRole('region', { name: 'Inside this draft' })
      .screenshot({ path: path.join(shots, 'console-audience-insights.jpg'), type: 'jpeg', quality: 80 });

    // A second column condition, through the form.
    await page
      .getByRole('group', { name: 'where › condition 3' })
      .getByRole('button', { name: '+ column condition' })
      .click();
    await page.getByLabel('where › condition 3 column condition 2 column').selectOption('order_id');
    await page.getByLabel('where › condition 3 column condition 2 operator').selectOption('is_not_null');
    await expect.poll(() => liveSize(page), { timeout: 15_000 }).toBe(built);
    await page.getByRole('button', { name: 'Review YAML' }).click();
    const changed = (await page.getByTestId('diff').textContent())
      ?.split('\n')
      .filter((l) => l.startsWith('+') || l.startsWith('-'));
    expect(changed).toEqual([
      '-       where: [{ column: status, op: eq, value: paid }]',
      '+       where: [ { column: status, op: eq, value: paid }, { column: order_id, op: is_not_null } ]',
    ]);
  }, 60_000);
});
