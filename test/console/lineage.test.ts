/**
 * Lineage click-through: every node of the graph has details (GET lineage/{id}), a model's are its
 * SQL path, its columns and rows as the warehouse has them and the syncs reading it; a sync's its
 * last run; a destination's nothing but its type (no secret); and in Chromium a node opens its
 * panel from the keyboard.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/warehouse/types.js';
import {
  type ConsoleBrowser,
  chromiumAvailable,
  consoleBrowser,
  dropScreenshots,
  screenshotsDir,
} from './browser.js';
import { type ConsoleFixture, consoleFixture, PARTIAL_SYNC } from './fixture.js';

const available = chromiumAvailable();

interface Detail {
  node: { id: string; kind: string; label: string; link?: string };
  facts: Array<[string, string]>;
  relation?: {
    name: string;
    exists: boolean;
    rows: number | null;
    columns: Array<{ name: string; type: string }>;
  };
  upstream: Array<{ id: string }>;
  downstream: Array<{ id: string }>;
  syncs: Array<{ name: string; status: string | null; started_at: string | null }>;
}

describe.runIf(available)('lineage click-through', () => {
  let fixture: ConsoleFixture;
  let browser: ConsoleBrowser;
  let shots: string;
  const query = (sql: string): Promise<Row[]> => fixture.query(sql);
  const api = async (p: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${fixture.url}/console/api/${p}`, {
      headers: { authorization: `Bearer ${fixture.keys.viewer}` },
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    fixture = await consoleFixture(60);
    browser = await consoleBrowser(fixture.url);
    shots = screenshotsDir();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.dispose();
    if (shots) dropScreenshots(shots);
  });

  it('answers every node, a model with its SQL path, columns, rows and the syncs downstream', async () => {
    const graph = JSON.parse((await api('lineage')).text) as { nodes: Array<{ id: string }> };
    for (const node of graph.nodes) {
      const answer = await api(`lineage/${encodeURIComponent(node.id)}`);
      expect(answer.status, node.id).toBe(200);
      for (const secret of fixture.secrets) expect(answer.text).not.toContain(secret);
    }
    expect((await api('lineage/model%3Ano_such_model')).status).toBe(404);

    const model = JSON.parse((await api('lineage/model%3Astg_crm_contacts')).text) as Detail;
    expect(Object.fromEntries(model.facts).SQL).toBe('models/staging/stg_crm_contacts.sql');
    const columns = await query(`SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'weft' AND table_name = 'stg_crm_contacts' ORDER BY ordinal_position`);
    expect(model.relation?.columns.map((c) => c.name)).toEqual(columns.map((c) => c.column_name));
    const [rows] = await query('SELECT count(*) AS n FROM weft.stg_crm_contacts');
    expect(model.relation?.rows).toBe(Number(rows?.n));
    // It feeds identity (so profiles, audiences and their syncs) and the partial sync directly.
    const project = await fixture.project();
    expect(model.syncs.map((s) => s.name).sort()).toEqual(project.syncs.map((s) => s.value.name).sort());
    expect(model.downstream.map((n) => n.id)).toEqual(
      expect.arrayContaining(['identity', `sync:${PARTIAL_SYNC}`]),
    );

    const [last] = await query(
      `SELECT status FROM weft_state.sync_runs WHERE sync = '${PARTIAL_SYNC}' ORDER BY started_at DESC LIMIT 1`,
    );
    const sync = JSON.parse((await api(`lineage/sync%3A${PARTIAL_SYNC}`)).text) as Detail;
    expect(sync.syncs).toEqual([
      expect.objectContaining({ name: PARTIAL_SYNC, status: String(last?.status) }),
    ]);
    expect(sync.node.link).toBe(`#/syncs/${PARTIAL_SYNC}`);

    const audience = JSON.parse((await api('lineage/audience%3Ahigh_value_recent')).text) as Detail;
    const direct = project.syncs
      .filter((s) => s.value.from === 'audience.high_value_recent')
      .map((s) => s.value.name);
    expect(audience.syncs.map((s) => s.name)).toEqual(expect.arrayContaining(direct));
    expect(Object.fromEntries(audience.facts)['last build']).toMatch(/members\)$/);

    const destination = JSON.parse((await api('lineage/destination%3Asandbox_webhook')).text) as Detail;
    expect(destination.facts).toEqual([
      ['connection', 'sandbox_webhook'],
      ['type', 'webhook'],
    ]);
  });

  it('opens a node from the keyboard: its panel with columns and what reads it', async () => {
    const page = await browser.signedIn(fixture.keys.viewer);
    await page.getByRole('link', { name: 'Lineage' }).click();
    const node = page.getByRole('link', { name: 'model stg_crm_contacts' });
    await node.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('node-detail');
    await panel.waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe('model stg_crm_contacts');
    expect(await panel.getByTestId('node-columns').locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await panel.getByTestId('node-syncs').textContent()).toContain(PARTIAL_SYNC);
    // A node listed in the panel opens its own panel.
    await panel.getByRole('link', { name: 'identity graph' }).click();
    await expect
      .poll(() => page.getByTestId('node-detail').getByRole('heading', { level: 2 }).textContent())
      .toBe('identity identity graph');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await page
      .getByTestId('node-detail')
      .screenshot({ path: path.join(shots, 'console-lineage-node.jpg'), type: 'jpeg', quality: 80 });
  });
});
