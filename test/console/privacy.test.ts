/**
 * The profile page's privacy buttons in Chromium: an editor downloads the export (the JSON
 * `weft privacy export` gathers) and requests erasure through a confirm dialog naming the
 * destinations, then sees the request id and its status per destination, as the ledger holds
 * them; a viewer sees neither button and the API refuses a viewer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPerson } from '../../src/privacy/export.js';
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

describe.runIf(available)('privacy buttons on the profile page', () => {
  let fixture: ConsoleFixture;
  let browser: ConsoleBrowser;
  let shots: string;
  let vip: { profile_id: string; email: string };

  const query = (sql: string): Promise<Row[]> => fixture.query(sql);
  const api = (p: string, key: string, body?: unknown) =>
    fetch(`${fixture.url}/console/api/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    fixture = await consoleFixture(60);
    browser = await consoleBrowser(fixture.url);
    shots = screenshotsDir();
    // A person in an audience that several syncs send, so the erasure reaches several destinations.
    const [row] = await query(`SELECT m.profile_id, min(i.id_value) AS email FROM weft.audience_members m
      JOIN weft.identity_map i ON i.profile_id = m.profile_id AND i.id_type = 'email'
      WHERE m.audience = 'high_value_recent' GROUP BY m.profile_id ORDER BY m.profile_id LIMIT 1`);
    vip = { profile_id: String(row?.profile_id), email: String(row?.email) };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.dispose();
    if (shots) dropScreenshots(shots);
  });

  it('shows a viewer neither button, and the API refuses a viewer', async () => {
    const page = await browser.signedIn(fixture.keys.viewer);
    await page.goto(`${fixture.url}/#/profiles?q=${encodeURIComponent(vip.email)}`);
    await page.getByTestId('traits').waitFor();
    expect(await page.getByRole('heading', { name: 'Privacy' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /export|erasure/i }).count()).toBe(0);
    for (const endpoint of ['privacy/export', 'privacy/erase'])
      expect((await api(endpoint, fixture.keys.viewer, { query: vip.email })).status).toBe(403);
    expect((await api('privacy/requests/pr_0000000000000000', fixture.keys.viewer)).status).toBe(403);
    // Nothing was filed.
    expect(
      await query(`SELECT table_name FROM information_schema.tables WHERE table_name = 'privacy_requests'`),
    ).toEqual([]);
  });

  it('lets an editor download the export and request erasure, then shows the status per destination', async () => {
    const project = await fixture.project();
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
    const expected = await exportPerson(project, warehouse, `email:${vip.email}`).finally(() =>
      warehouse.close(),
    );
    const syncs = [...new Set(expected.destinations.map((d) => d.sync))].sort();
    expect(syncs.length).toBeGreaterThan(1);

    const page = await browser.signedIn(fixture.keys.editor);
    await page.goto(`${fixture.url}/#/profiles?q=${encodeURIComponent(vip.email)}`);
    await page.getByTestId('traits').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download export (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`weft-export-${vip.profile_id}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as typeof expected;
    expect(exported.profile_id).toBe(vip.profile_id);
    expect(JSON.stringify(exported.sections.identifiers)).toContain(vip.email);
    expect([...new Set(exported.destinations.map((d) => d.sync))].sort()).toEqual(syncs);

    // The dialog says what will happen, naming every destination; Cancel files nothing.
    await page.getByRole('button', { name: 'Request erasure…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase this person everywhere?' });
    await dialog.waitFor();
    const said = (await dialog.textContent()) ?? '';
    expect(said).toContain(vip.profile_id);
    expect(said).toMatch(/no sync sends them again/);
    for (const sync of syncs) expect(said).toContain(sync);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.isVisible()).toBe(false);
    expect(
      await query(`SELECT table_name FROM information_schema.tables WHERE table_name = 'privacy_requests'`),
    ).toEqual([]);

    await page.getByRole('button', { name: 'Request erasure…' }).click();
    await dialog.getByRole('button', { name: 'Erase' }).click();
    const id = page.getByTestId('request-id');
    await id.waitFor({ timeout: 60_000 });
    const requestId = (await id.textContent()) ?? '';
    expect(requestId).toMatch(/^pr_[0-9a-f]{16}$/);
    await page
      .getByRole('region', { name: 'Privacy' })
      .screenshot({ path: path.join(shots, 'console-privacy.jpg'), type: 'jpeg', quality: 80 });

    // The page shows the ledger's steps: one row per system, each destination's status as stored.
    const ledger = await query(
      `SELECT step, status FROM weft_state.privacy_steps WHERE request_id = '${requestId}' ORDER BY step`,
    );
    expect(ledger.map((r) => r.step)).toEqual(expect.arrayContaining(syncs.map((s) => `sync:${s}`)));
    const rows = page.getByTestId('erasure').locator('tbody tr');
    expect(await rows.count()).toBe(ledger.length);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [tr.children[0]?.textContent ?? '', tr.children[3]?.textContent ?? '']),
    );
    expect(shown.sort()).toEqual(ledger.map((r) => [String(r.step), String(r.status)]).sort());
    // The person is suppressed: the export now says so and nothing else.
    const after = (await (
      await api('privacy/export', fixture.keys.editor, { query: `email:${vip.email}` })
    ).json()) as {
      suppressed_by?: string[];
      error?: string;
    };
    expect(JSON.stringify(after)).toContain(requestId);
  });
});
